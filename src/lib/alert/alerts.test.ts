import { describe, expect, test } from 'vitest';
import { alertId, planAlerts, watchCauses } from './alerts.ts';

const t0 = new Date('2026-11-21T21:26:00Z');
const t1 = new Date('2026-11-21T21:27:00Z');
const hold = { key: 'hold', text: 'Publishing is on hold since 2026-11-21T21:19:00Z.' };
const bad = {
  key: 'content-check-failed:abc',
  text: 'The newest commit abc fails the content check.\n  incidents/2026/x.md:3: impact: "severe" is not allowed',
};

describe('an alert goes out once per cause, and a "resolved" when it clears', () => {
  test('a new cause is raised once; the same cause a minute later sends nothing', () => {
    const first = planAlerts([], [hold], t0, 'jabber.org status');
    expect(first.send.map((m) => [m.kind, m.subject])).toEqual([['raised', '[jabber.org status] ALERT: Publishing is on hold since 2026-11-21T21:19:00Z.']]);
    const again = planAlerts(first.open, [hold], t1, 'jabber.org status');
    expect(again.send).toEqual([]);
    expect(again.open).toEqual(first.open);
  });

  test('a cleared cause is resolved, naming when it began', () => {
    const first = planAlerts([], [hold, bad], t0, 'S');
    const later = planAlerts(first.open, [hold], t1, 'S');
    expect(later.send).toHaveLength(1);
    expect(later.send[0]!.kind).toBe('resolved');
    expect(later.send[0]!.subject).toBe('[S] RESOLVED: The newest commit abc fails the content check.');
    expect(later.send[0]!.text).toBe(`Resolved at 2026-11-21T21:27:00Z (open since 2026-11-21T21:26:00Z): ${bad.text}`);
    expect(later.open.map((a) => a.key)).toEqual(['hold']);
  });

  test('two hosts that see the same cause in the same ten minutes give it the same delivery id', () => {
    expect(alertId('raised', 'publish-silent', new Date('2026-11-21T21:21:10Z'))).toBe(alertId('raised', 'publish-silent', new Date('2026-11-21T21:29:50Z')));
    expect(alertId('raised', 'publish-silent', t0)).not.toBe(alertId('resolved', 'publish-silent', t0));
  });
});

describe('the watch on the probe hosts', () => {
  const url = 'https://status.jabber.org/publish-status.json';
  test('a publish loop that succeeded 4 minutes ago is fine; 6 minutes is an alert with the fix', () => {
    expect(watchCauses({ lastSuccessAt: '2026-11-21T21:22:00.000Z', ranAt: '2026-11-21T21:22:00.000Z' }, t0, url)).toEqual([]);
    expect(watchCauses({ lastSuccessAt: '2026-11-21T21:20:00.000Z', ranAt: '2026-11-21T21:25:00.000Z' }, t0, url)).toEqual([
      {
        key: 'publish-silent',
        text: 'The status page has not been published successfully for over 5 minutes (last success: 6 min ago (2026-11-21T21:20:00.000Z); last run 2026-11-21T21:25:00.000Z). Check journalctl -u jabber-status-publish on the build host, and npm run doctor there.',
      },
    ]);
  });

  test('a status that cannot be fetched is the same cause', () => {
    expect(watchCauses({ error: 'connect ECONNREFUSED' }, t0, url)[0]!.key).toBe('publish-silent');
  });
});
