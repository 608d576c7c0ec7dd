import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ProbeSummarySchema, type ProbeSummary } from '../schemas.ts';
import { mergeProbes } from './merge-probes.ts';
import { compactSummary } from './probe-summary.ts';

// The sample site's own summaries (outages, a dying location, maintenance-free), through the real schema.
const samples = ['ams', 'fra', 'nyc'].map((v) => ProbeSummarySchema.parse(JSON.parse(readFileSync(`content/probe-sample/${v}.json`, 'utf8'))));
const NOW = new Date(samples[0]!.generatedAt);
const mapping = new Map([
  ['c2s', [{ domain: 'jabber.org', check: 'c2s-starttls' as const }]],
  ['s2s', [{ domain: 'jabber.org', check: 's2s-starttls' as const }]],
  ['web', [{ domain: 'jabber.org', check: 'website' as const }]],
]);
const merge = (summaries: ProbeSummary[]) =>
  mergeProbes(summaries, mapping, { now: NOW, intervalSeconds: 60, quorum: 0.5, slaTarget: 99.9, maintenance: new Map() });

describe('a compact summary (format 2)', () => {
  const compact = samples.map((s) => ProbeSummarySchema.parse(JSON.parse(JSON.stringify(compactSummary(s)))));

  test('says exactly what the full summary says: uptime, days, months, response times and latest results', () => {
    expect(merge(compact)).toEqual(merge(samples));
  });

  test('is a fraction of the size, with no minute block', () => {
    const full = samples.reduce((n, s) => n + JSON.stringify(s).length, 0);
    const small = compact.reduce((n, s) => n + JSON.stringify(s).length, 0);
    expect(small / full).toBeLessThan(0.5);
    expect(compact.every((s) => s.v === 3 && s.checks.every((c) => c.recent === undefined && c.days.length === 0 && c.columns))).toBe(true);
  });

  test('columns that disagree with each other are refused, naming the field', () => {
    const broken = JSON.parse(JSON.stringify(compact[0]));
    broken.checks[0].columns.ok.pop();
    const result = ProbeSummarySchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['checks', 0, 'columns', 'ok'] });
    expect(result.error!.issues[0]!.message).toMatch(/^has \d+ entries but "step" has \d+; every column needs one entry per day$/);
  });
});
