import { expect, test } from 'vitest';
import { staleSourceAlerts, type SourceHealth } from './source-alerts.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
const source = (name: string, over: Partial<SourceHealth> = {}): SourceHealth => ({ name, sample: false, generatedAt: at(1), problem: undefined, ...over });

test('a location silent for longer than ten minutes (or five intervals) is one alert naming it, its age, the problem and the fix', () => {
  const alerts = staleSourceAlerts(
    [
      source('ams'),
      source('fra', { generatedAt: at(14), problem: 'could not fetch https://probe-fra.jabber.org/summary.json (HTTP 503); using the copy from 14 min ago' }),
    ],
    NOW,
    60,
  );
  expect(alerts).toEqual([
    {
      key: 'probe-location-stale:fra',
      text: 'Probe location fra has sent no new summary for 14 min (could not fetch https://probe-fra.jabber.org/summary.json (HTTP 503); using the copy from 14 min ago); the page counts it as stale and decides with the other locations. Fix: on that probe host, systemctl status jabber-status-probe.service and journalctl -u jabber-status-probe -n 50; on this host, npm run doctor.',
    },
  ]);
});

test('one missed run is no alert; the limit grows with a longer interval', () => {
  expect(staleSourceAlerts([source('ams', { generatedAt: at(3) })], NOW, 60)).toEqual([]);
  expect(staleSourceAlerts([source('ams', { generatedAt: at(20) })], NOW, 300)).toEqual([]);
  expect(staleSourceAlerts([source('ams', { generatedAt: at(26) })], NOW, 300).map((a) => a.key)).toEqual(['probe-location-stale:ams']);
});

test('a location with no summary at all is an alert; bundled sample data never is', () => {
  expect(
    staleSourceAlerts(
      [source('nyc', { generatedAt: undefined, problem: 'could not fetch … (timed out after 5000 ms); no earlier copy to fall back on' })],
      NOW,
      60,
    )[0]!.text,
  ).toMatch(/^Probe location nyc has no summary this host can read \(could not fetch/);
  expect(staleSourceAlerts([source('sample', { sample: true, generatedAt: at(9999) })], NOW, 60)).toEqual([]);
});
