import { expect, test } from 'vitest';
import { describeFreshness } from './source-freshness.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

test('fresh data from every location needs no notice', () => {
  const f = describeFreshness([{ name: 'ams', sample: false, origin: 'url', generatedAt: '2026-11-21T11:59:00Z' }], NOW, 60);
  expect(f).toEqual({ locations: ['ams'], newest: new Date('2026-11-21T11:59:00Z'), sample: false, notices: [] });
});

test('names old, cached and missing sources', () => {
  const f = describeFreshness(
    [
      { name: 'ams', sample: false, origin: 'cache', generatedAt: '2026-11-21T09:00:00Z', problem: 'could not fetch' },
      { name: 'fra', sample: false, origin: 'none', problem: 'could not fetch https://x/ (timed out after 5000 ms); no earlier copy to fall back on' },
      { name: 'nyc', sample: true, origin: 'file', generatedAt: '2026-11-21T11:59:30Z' },
    ],
    NOW,
    60,
  );
  expect(f.notices).toEqual([
    'Monitoring data from ams is 3 h old.',
    'The latest data from ams could not be fetched; showing the last good copy.',
    'No monitoring data from fra: could not fetch https://x/ (timed out after 5000 ms); no earlier copy to fall back on.',
  ]);
  expect([f.locations, f.sample]).toEqual([['ams', 'nyc'], true]);
});
