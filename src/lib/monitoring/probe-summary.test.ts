import { expect, test } from 'vitest';
import { percentile, SummaryBuilder, summariseDay } from './probe-summary.ts';
import { ProbeRecordSchema, ProbeSummarySchema } from '../schemas.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const rec = (at: string, ok: boolean, ms = 100, extra: Record<string, unknown> = {}) =>
  ProbeRecordSchema.parse({
    v: 1,
    at,
    vantage: 'ams',
    domain: 'jabber.org',
    check: 'c2s-starttls',
    target: 'a:5222',
    ok,
    ms,
    attempts: 1,
    detail: {},
    ...extra,
  });

test('nearest-rank percentiles', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([50, 95, 99]);
  expect(percentile([], 50)).toBeNull();
});

test('a day counts samples once, finds outage runs and ignores duplicates', () => {
  const raw = [
    { at: Date.parse('2026-11-20T00:02:00Z'), ok: true, ms: 120, target: 'a' },
    { at: Date.parse('2026-11-20T00:00:00Z'), ok: true, ms: 100, target: 'a' },
    { at: Date.parse('2026-11-20T00:01:00Z'), ok: false, ms: 0, target: 'a' },
    { at: Date.parse('2026-11-20T00:01:00Z'), ok: false, ms: 0, target: 'a' }, // duplicate line
    { at: Date.parse('2026-11-20T00:05:00Z'), ok: false, ms: 0, target: 'a' },
  ];
  expect(summariseDay('2026-11-20', raw)).toEqual({
    date: '2026-11-20',
    samples: 4,
    ok: 2,
    first: '2026-11-20T00:00:00Z',
    last: '2026-11-20T00:05:00Z',
    p50: 100,
    p95: 120,
    p99: 120,
    outages: [
      ['2026-11-20T00:01:00Z', '2026-11-20T00:02:00Z'],
      ['2026-11-20T00:05:00Z', '2026-11-20T00:05:00Z'],
    ],
  });
});

test('builds a valid summary with the 48-hour window, the newest result and certificate', () => {
  const builder = new SummaryBuilder('ams', NOW);
  const cert = {
    subject: 'jabber.org',
    issuer: 'CA',
    validFrom: '2026-10-01T00:00:00Z',
    validTo: '2026-12-30T00:00:00Z',
    daysLeft: 38,
    trusted: true,
    identity: 'DNS-ID',
    names: [],
    fingerprint256: 'AA',
  };
  builder.add(rec('2026-11-10T00:00:00.000Z', true, 90));
  builder.add(rec('2026-11-21T11:58:00.000Z', true, 80, { detail: { cert } }));
  builder.add(rec('2026-11-21T11:59:10.000Z', false, 10_000, { error: 'timed out' }));
  builder.add(rec('2026-11-21T12:30:00.000Z', true, 1)); // after "now": clock skew, not counted
  builder.add({ ...rec('2026-11-21T11:00:00.000Z', true), vantage: 'fra' }); // another vantage
  const summary = ProbeSummarySchema.parse(builder.finish());
  const [check] = summary.checks;
  expect(check!.days.map((d) => [d.date, d.samples, d.ok])).toEqual([
    ['2026-11-10', 1, 1],
    ['2026-11-21', 2, 1],
  ]);
  // Format 3 (issue 24): the version-1 record's sentence is carried as a problem ('timed out' alone is in no known form).
  expect(check!.last).toEqual({ at: '2026-11-21T11:59:10.000Z', ok: false, ms: 10_000, target: 'a:5222', problems: [{ kind: 'other', text: 'timed out' }] });
  expect(check!.cert?.daysLeft).toBe(38);
  // Two samples in the 48-hour window: two consecutive slots, one run, not 2,880 slots.
  expect(check!.recent).toEqual({ from: '2026-11-19T12:00:00Z', step: 60, runs: [[48 * 60 - 2, [80, -1]]] });
});

test('a record for a day that was already sealed is merged, not lost', () => {
  const builder = new SummaryBuilder('ams', NOW);
  builder.add(rec('2026-11-20T10:00:00.000Z', true));
  builder.sealDay('2026-11-20');
  builder.add(rec('2026-11-20T11:00:00.000Z', false));
  const day = builder.finish().checks[0]!.days[0]!;
  expect([day.samples, day.ok, day.outages.length]).toEqual([2, 1, 1]);
});

test('a check that did not run is no sample, and the summary says it did not run', () => {
  const builder = new SummaryBuilder('ams', NOW);
  builder.add(rec('2026-11-21T11:00:00.000Z', true, 80));
  builder.add(
    rec('2026-11-21T11:05:00.000Z', false, 0, { check: 'c2s-starttls', notRun: 'not-offered', error: 'not offered: _xmpp-client._tcp points to "."' }),
  );
  builder.add(
    rec('2026-11-21T11:05:00.000Z', false, 0, { check: 'ping', target: 'jabber.org', notRun: 'no-password', error: 'not run: PROBE_PASSWORD is not set' }),
  );
  const summary = ProbeSummarySchema.parse(builder.finish());
  const c2s = summary.checks.find((c) => c.check === 'c2s-starttls')!;
  expect(c2s.days.map((d) => [d.samples, d.ok, d.outages.length])).toEqual([[1, 1, 0]]);
  expect(c2s.last).toMatchObject({ at: '2026-11-21T11:05:00.000Z', ok: false, notRun: 'not-offered' });
  // Only not-run records: the check is listed (not missing), with no samples.
  const ping = summary.checks.find((c) => c.check === 'ping')!;
  expect(ping.days).toEqual([]);
  expect(ping.last).toMatchObject({ notRun: 'no-password', problems: [{ kind: 'not-run', text: 'not run: PROBE_PASSWORD is not set' }] });
});
