import { expect, test } from 'vitest';
import { ProbeRecordSchema, ProbeSummarySchema } from '../schemas.ts';
import { compactSummary, SummaryBuilder } from './probe-summary.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const fp = (b: string) => Array.from({ length: 32 }, () => b).join(':');
const cert = (b: string, extra: Record<string, unknown> = {}) => ({
  subject: 'jabber.org',
  issuer: 'R11',
  validFrom: '2026-10-01T00:00:00Z',
  validTo: '2026-12-30T00:00:00Z',
  daysLeft: 39,
  trusted: true,
  identity: 'SRV-ID',
  names: ['DNS:jabber.org'],
  fingerprint256: fp(b),
  ...extra,
});
const rec = (at: string, target: string, c: Record<string, unknown>) =>
  ProbeRecordSchema.parse({
    v: 2,
    at,
    vantage: 'ams',
    domain: 'jabber.org',
    check: 'c2s-starttls',
    target,
    ok: true,
    ms: 80,
    attempts: 1,
    detail: { cert: c },
  });

test("the summary carries each target's certificate, its unbroken run and the one before", () => {
  const b = new SummaryBuilder('ams', NOW);
  b.add(rec('2026-11-21T10:00:00Z', 'a:5222', cert('AA', { spki256: fp('11'), keyType: 'ec', keyBits: 256 })));
  b.add(rec('2026-11-21T10:01:00Z', 'a:5222', cert('AA')));
  b.add(rec('2026-11-21T10:02:00Z', 'a:5222', cert('BB')));
  b.add(rec('2026-11-21T10:03:00Z', 'a:5222', cert('BB')));
  b.add(rec('2026-11-21T10:03:00Z', 'b:5222', cert('CC')));
  // A late record of the old certificate cannot change the run.
  b.add(rec('2026-11-21T10:00:30Z', 'a:5222', cert('AA')));
  const summary = ProbeSummarySchema.parse(b.finish());
  const [a, other] = summary.checks[0]!.certs!;
  expect(a).toMatchObject({
    target: 'a:5222',
    since: '2026-11-21T10:02:00Z',
    at: '2026-11-21T10:03:00Z',
    streak: 2,
    previous: { until: '2026-11-21T10:01:00Z' },
  });
  expect(a!.previous!.cert.fingerprint256).toBe(fp('AA'));
  expect(a!.seen).toEqual([
    [fp('BB'), '2026-11-21T10:03:00Z'],
    [fp('AA'), '2026-11-21T10:01:00Z'],
  ]);
  expect(other).toMatchObject({ target: 'b:5222', streak: 1, previous: null, returns: 0 });
  expect(a!.returns).toBe(0); // one change, no going back
  // The compact form (format 2) keeps them.
  expect(ProbeSummarySchema.parse(compactSummary(summary)).checks[0]!.certs).toEqual(summary.checks[0]!.certs);
});

test('records written before issue 30, without the key facts, are still read and summarised', () => {
  const b = new SummaryBuilder('ams', NOW);
  b.add(
    ProbeRecordSchema.parse({
      v: 1,
      at: '2026-11-21T10:00:00Z',
      vantage: 'ams',
      domain: 'jabber.org',
      check: 'c2s-starttls',
      target: 'a:5222',
      ok: true,
      ms: 80,
      attempts: 1,
      detail: { cert: cert('AA') },
    }),
  );
  const t = ProbeSummarySchema.parse(b.finish()).checks[0]!.certs![0]!;
  expect(t.cert.spki256).toBeUndefined();
  expect(t.cert.fingerprint256).toBe(fp('AA'));
});

test("going back and forth between two certificates is counted as returns, a load balancer's mark", () => {
  const b = new SummaryBuilder('ams', NOW);
  ['AA', 'BB', 'AA', 'BB', 'AA'].forEach((c, i) => b.add(rec(`2026-11-21T10:0${i}:00Z`, 'a:5222', cert(c))));
  expect(ProbeSummarySchema.parse(b.finish()).checks[0]!.certs![0]).toMatchObject({ returns: 3, streak: 1 });
});
