import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  IntervalIndex,
  measure,
  mergeIntervals,
  mergeProbes,
  parseInstant,
  quorumDowntime,
  subtract,
  type Interval,
  type MergeOptions,
} from './merge-probes.ts';
import { ProbeSummarySchema, type ProbeSummary } from '../schemas.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const MAPPING = new Map([['c2s', [{ domain: 'jabber.org', check: 'c2s-starttls' as const }]]]);
const options = (over: Partial<MergeOptions> = {}): MergeOptions => ({
  now: NOW,
  intervalSeconds: 60,
  quorum: 0.5,
  slaTarget: 99.9,
  maintenance: new Map(),
  ...over,
});

/**
 * A vantage point's summary, through the real schema: full days of samples
 * from `fromDay` to now, outage runs as given, and the newest result.
 */
function summary(
  vantage: string,
  spec: { outages?: [string, string][]; last?: { at: string; ok: boolean; notRun?: string; error?: string }; fromDay?: string; skipDays?: string[] } = {},
): ProbeSummary {
  const days = [];
  for (let t = Date.parse(`${spec.fromDay ?? '2026-08-24'}T00:00:00Z`); t < NOW.getTime(); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (spec.skipDays?.includes(date)) continue;
    const end = Math.min(t + 86_400_000 - 60_000, NOW.getTime() - 60_000);
    days.push({
      date,
      samples: 1440,
      ok: 1440,
      first: new Date(t).toISOString(),
      last: new Date(end).toISOString(),
      p50: 100,
      p95: 200,
      p99: 300,
      outages: (spec.outages ?? []).filter(([from]) => from.startsWith(date)),
    });
  }
  const last = spec.last ?? { at: '2026-11-21T11:59:00Z', ok: true };
  return ProbeSummarySchema.parse({
    v: 1,
    generator: 'test',
    generatedAt: last.at,
    vantage,
    checks: [
      {
        domain: 'jabber.org',
        check: 'c2s-starttls',
        days,
        recent: { from: '2026-11-19T12:00:00Z', step: 60, values: [] },
        last: { ...last, ms: 100, target: 'x:5222' },
        cert: null,
      },
    ],
  });
}
const merged = (summaries: ProbeSummary[], over: Partial<MergeOptions> = {}) => mergeProbes(summaries, MAPPING, options(over)).get('c2s')!;

describe('the current verdict', () => {
  const failing = { at: '2026-11-21T11:59:00Z', ok: false };
  test.each([
    // failing / reporting vantage points → verdict (quorum: more than half)
    [0, 3, 'up'],
    [1, 3, 'up'],
    [2, 3, 'down'],
    [1, 2, 'up'], // exactly half is not a quorum
    [2, 2, 'down'],
    [1, 1, 'down'],
  ] as const)('%i of %i failing is %s', (fail, total, verdict) => {
    const summaries = Array.from({ length: total }, (_, i) => summary(`v${i}`, i < fail ? { last: failing } : {}));
    expect(merged(summaries).verdict).toBe(verdict);
  });

  test('one location failing is a note, not an outage', () => {
    expect(merged([summary('ams', { last: failing }), summary('fra'), summary('nyc')]).note).toBe('1 of 3 locations (ams) sees failures');
  });

  test('data older than twice the interval is unknown, never operational', () => {
    const old = { at: '2026-11-21T11:57:59Z', ok: true };
    expect(merged([summary('ams', { last: old })]).verdict).toBe('unknown');
    expect(merged([summary('ams', { last: { at: '2026-11-21T11:58:00Z', ok: true } })]).verdict).toBe('up');
    // A stale location does not count toward the quorum.
    const result = merged([summary('ams', { last: old }), summary('fra', { last: failing })]);
    expect([result.verdict, result.reporting]).toEqual(['down', 1]);
    expect(merged([]).verdict).toBe('unknown');
  });

  test('a check that did not run is no result: unknown everywhere, and never a failing location', () => {
    const notRun = { at: '2026-11-21T11:59:00Z', ok: false, notRun: 'no-account', error: 'not run: no probe account' };
    // Before, "ok: false" of a not-run record made every location "failing": a healthy service read "down".
    expect(merged([summary('ams', { last: notRun }), summary('fra', { last: notRun })]).verdict).toBe('unknown');
    const mixed = merged([summary('ams', { last: notRun }), summary('fra'), summary('nyc')]);
    expect([mixed.verdict, mixed.reporting, mixed.note]).toEqual(['up', 2, undefined]);
    // The latest result says "did not run", so the page shows "Not run", not "Failed" (found by a review).
    expect(mixed.latest.find((l) => l.vantage === 'ams')).toMatchObject({ ok: false, notRun: 'no-account', error: 'not run: no probe account' });
    expect(mixed.latest.find((l) => l.vantage === 'fra')?.notRun).toBeUndefined();
  });

  test('the same vantage point twice counts once (the newer copy)', () => {
    const result = merged([summary('ams', { last: failing }), summary('ams', { last: { at: '2026-11-21T11:59:30Z', ok: true } }), summary('fra')]);
    expect([result.verdict, result.reporting]).toEqual(['up', 2]);
  });
});

describe('uptime', () => {
  test('an outage seen everywhere counts; one seen at a single location of three does not', () => {
    const outage: [string, string][] = [['2026-11-21T06:00:00Z', '2026-11-21T07:00:00Z']];
    const all = merged([summary('a', { outages: outage }), summary('b', { outages: outage }), summary('c', { outages: outage })]);
    expect(all.uptime['24h']).toBeCloseTo(100 * (1 - 60 / 1440), 6);
    const one = merged([summary('a', { outages: outage }), summary('b'), summary('c')]);
    expect(one.uptime['24h']).toBe(100);
  });

  test('clock skew between locations only shortens the counted outage by the skew', () => {
    const a = summary('a', { outages: [['2026-11-21T06:00:00Z', '2026-11-21T06:10:00Z']] });
    const b = summary('b', { outages: [['2026-11-21T06:00:30Z', '2026-11-21T06:10:30Z']] });
    expect(merged([a, b]).days.at(-1)!.downMinutes).toBe(10); // 9.5 min, rounded to the minute
    expect(merged([a, b]).uptime['24h']).toBeCloseTo(100 * (1 - 9.5 / 1440), 6);
  });

  test('a day without data is a gap: no bar value and not counted as up', () => {
    const result = merged([summary('a', { skipDays: ['2026-11-20'], outages: [['2026-11-19T00:00:00Z', '2026-11-19T12:00:00Z']] })]);
    const bars = Object.fromEntries(result.days.map((d) => [d.date, d.uptime]));
    expect(bars['2026-11-20']).toBeNull();
    expect(bars['2026-11-19']).toBeCloseTo(50, 6);
    // The 7 days from 14 Nov 12:00 cover 12 h + 5 × 24 h + 12 h = 144 h (20 Nov is a gap); 12 h were down.
    expect(result.uptime['7d']).toBeCloseTo(100 * (1 - 12 / 144), 6);
  });

  test('maintenance windows are cut out of downtime and of the time counted', () => {
    const outage: [string, string][] = [['2026-11-21T04:00:00Z', '2026-11-21T05:00:00Z']];
    const maintenance = new Map([['c2s', [{ start: new Date('2026-11-21T04:00:00Z'), end: new Date('2026-11-21T05:00:00Z') }]]]);
    expect(merged([summary('a', { outages: outage })], { maintenance }).uptime['24h']).toBe(100);
    expect(merged([summary('a', { outages: outage })]).uptime['24h']).toBeLessThan(100);
  });
});

describe('monthly SLA', () => {
  test('splits an outage across a month boundary and budgets by month length', () => {
    const result = merged([
      summary('a', {
        fromDay: '2026-10-25',
        outages: [
          ['2026-10-31T23:30:00Z', '2026-11-01T00:00:00Z'],
          ['2026-11-01T00:00:00Z', '2026-11-01T00:30:00Z'],
        ],
      }),
    ]);
    expect(result.months).toEqual([
      { month: '2026-10', uptime: expect.any(Number), downMinutes: 30, budgetMinutes: 44.6, met: true, current: false },
      { month: '2026-11', uptime: expect.any(Number), downMinutes: 30, budgetMinutes: 43.2, met: true, current: true },
    ]);
  });

  test('a leap-year February allows 41.8 minutes, and going over misses the target', () => {
    const now = new Date('2028-03-10T00:00:00Z');
    const days = Array.from({ length: 29 }, (_, i) => {
      const date = `2028-02-${String(i + 1).padStart(2, '0')}`;
      return {
        date,
        samples: 1440,
        ok: 1440,
        first: `${date}T00:00:00Z`,
        last: `${date}T23:59:00Z`,
        p50: 1,
        p95: 1,
        p99: 1,
        outages: date === '2028-02-29' ? [[`${date}T10:00:00Z`, `${date}T10:45:00Z`]] : [],
      };
    });
    const s = ProbeSummarySchema.parse({
      v: 1,
      generator: 't',
      generatedAt: '2028-03-10T00:00:00Z',
      vantage: 'a',
      checks: [
        {
          domain: 'jabber.org',
          check: 'c2s-starttls',
          days,
          recent: { from: '2028-03-08T00:00:00Z', step: 60, values: [] },
          last: { at: '2028-02-29T23:59:00Z', ok: true, ms: 1, target: 'x' },
          cert: null,
        },
      ],
    });
    const feb = mergeProbes([s], MAPPING, options({ now }))
      .get('c2s')!
      .months.find((m) => m.month === '2028-02')!;
    expect(feb).toMatchObject({ downMinutes: 45, budgetMinutes: 41.8, met: false });
  });
});

describe('interval arithmetic', () => {
  test('merge, measure and subtract', () => {
    expect(
      mergeIntervals([
        { start: 5, end: 8 },
        { start: 0, end: 3 },
        { start: 2, end: 4 },
      ]),
    ).toEqual([
      { start: 0, end: 4 },
      { start: 5, end: 8 },
    ]);
    expect(
      measure(
        [
          { start: 0, end: 10 },
          { start: 5, end: 15 },
        ],
        2,
        12,
      ),
    ).toBe(10);
    expect(subtract([{ start: 0, end: 10 }], [{ start: 3, end: 5 }])).toEqual([
      { start: 0, end: 3 },
      { start: 5, end: 10 },
    ]);
  });
});

describe('properties', () => {
  const outageArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 6 * 24 * 60 }), fc.integer({ min: 1, max: 600 })), { maxLength: 6 });
  const toOutages = (list: [number, number][]): [string, string][] =>
    list.map(([start, len]) => {
      const s = Date.parse('2026-11-15T00:00:00Z') + start * 60_000;
      // Outage runs stay within their day, as the summary writes them.
      const dayEnd = Math.floor(s / 86_400_000) * 86_400_000 + 86_400_000 - 60_000;
      return [new Date(s).toISOString(), new Date(Math.min(s + len * 60_000, dayEnd)).toISOString()];
    });

  test('uptime always stays within [0, 100]', () => {
    fc.assert(
      fc.property(fc.array(outageArb, { minLength: 1, maxLength: 4 }), fc.double({ min: 0, max: 0.99, noNaN: true }), (perVantage, quorum) => {
        const result = merged(
          perVantage.map((o, i) => summary(`v${i}`, { outages: toOutages(o) })),
          { quorum },
        );
        for (const value of [...Object.values(result.uptime), ...result.days.map((d) => d.uptime), ...result.months.map((m) => m.uptime)]) {
          if (value !== null) expect(value >= 0 && value <= 100).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('merging does not depend on the order of the sources', () => {
    fc.assert(
      fc.property(fc.array(outageArb, { minLength: 2, maxLength: 4 }), (perVantage) => {
        const summaries = perVantage.map((o, i) => summary(`v${i}`, { outages: toOutages(o), last: { at: '2026-11-21T11:59:00Z', ok: o.length % 2 === 0 } }));
        expect(merged([...summaries].reverse())).toEqual(merged(summaries));
      }),
      { numRuns: 40 },
    );
  });
});

describe('the fast paths agree with the obvious ones (issue 10)', () => {
  const intervalArb = fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 40 })).map(([start, len]) => ({ start, end: start + len }));
  const listArb = fc.array(intervalArb, { maxLength: 12 });

  /** The pairwise sweep merge-probes used before issue 10: every edge against every interval. */
  function naiveQuorum(timelines: { covered: Interval[]; failing: Interval[] }[], quorum: number) {
    const edges = [...new Set(timelines.flatMap((t) => [...t.covered, ...t.failing].flatMap((i) => [i.start, i.end])))].sort((a, b) => a - b);
    const inside = (list: Interval[], a: number, b: number) => list.some((i) => i.start <= a && i.end >= b);
    const down: Interval[] = [];
    const covered: Interval[] = [];
    for (let k = 0; k + 1 < edges.length; k++) {
      const [a, b] = [edges[k]!, edges[k + 1]!];
      const reporting = timelines.filter((t) => inside(t.covered, a, b));
      if (reporting.length === 0) continue;
      covered.push({ start: a, end: b });
      if (reporting.filter((t) => inside(t.failing, a, b)).length > quorum * reporting.length) down.push({ start: a, end: b });
    }
    return { down: mergeIntervals(down), covered: mergeIntervals(covered) };
  }

  test('the quorum sweep gives what the pairwise sweep gave, for any timelines and quorum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ covered: listArb, failing: listArb }), { maxLength: 5 }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        (raw, quorum) => {
          const timelines = raw.map((t) => ({ covered: mergeIntervals(t.covered), failing: mergeIntervals(t.failing) }));
          const fast = quorumDowntime(timelines, quorum);
          expect({ down: mergeIntervals(fast.down), covered: mergeIntervals(fast.covered) }).toEqual(naiveQuorum(timelines, quorum));
        },
      ),
      { numRuns: 400 },
    );
  });

  test('indexed measure and linear subtract agree with clipping every interval', () => {
    fc.assert(
      fc.property(listArb, listArb, fc.integer({ min: -10, max: 250 }), fc.integer({ min: 0, max: 260 }), (list, cuts, from, len) => {
        const merged = mergeIntervals(list);
        const clip = (l: Interval[]) => l.reduce((sum, i) => sum + Math.max(0, Math.min(i.end, from + len) - Math.max(i.start, from)), 0);
        expect(new IntervalIndex(merged).measure(from, from + len)).toBe(clip(merged));
        // Subtracting is pointwise: an instant is kept when it is in the list and in no cut.
        const kept = subtract(list, cuts);
        for (let t = 0; t < 250; t++) {
          const inList = merged.some((i) => i.start <= t && t < i.end);
          const inCut = cuts.some((c) => c.start <= t && t < c.end);
          expect(kept.some((i) => i.start <= t && t < i.end)).toBe(inList && !inCut);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('parseInstant reads every instant as Date.parse does, hostile text included', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), fc.boolean(), (d, ms) => {
        const iso = ms ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
        expect(parseInstant(iso)).toBe(Date.parse(iso));
      }),
      { numRuns: 500 },
    );
    for (const hostile of [
      '0000-01-01T00:00:00Z',
      '0099-12-31T23:59:59Z',
      '2026-11-21T12:00:00+01:00',
      '2026-1a-21T12:00:00Z',
      'soon',
      '',
      '2026-11-21T12:00:00.1234Z',
      '+275760-09-13T00:00:00Z',
    ]) {
      expect(Object.is(parseInstant(hostile), Date.parse(hostile)), hostile).toBe(true);
    }
  });
});
