import { describe, expect, test } from 'vitest';
import { ProbeSummarySchema, type ProbeSummary } from '../schemas.ts';
import { DAY, DAYS, END, INTERVAL, START, rawRecords, summaryAt, wholeSummaries } from '../../../tests/helpers/history-fixture.ts';
import {
  appendSummary,
  decodeHistory,
  emptyHistory,
  encodeHistory,
  historyFigures,
  mergeHistory,
  preferRow,
  rowFromDay,
  type HistoryRow,
} from './history-store.ts';
import { monthlySla, quorumFigures, vantageTimeline } from './merge-probes.ts';
import { HistoryFileSchema } from '../schemas.ts';

const WANTED = [{ domain: 'jabber.org', check: 'c2s-starttls' as const }];
const MAINTENANCE = [{ start: new Date('2026-02-10T02:00:00Z'), end: new Date('2026-02-10T04:00:00Z') }];

describe('a history fed 400 days of summaries', () => {
  const records = rawRecords();
  const now = new Date(END - DAY / 2); // noon of the last day
  const options = { now, intervalSeconds: INTERVAL, quorum: 0.5, slaTarget: 99.9, maintenance: MAINTENANCE };

  // Builds every 4 days at noon (so each summary repeats 86 days the store
  // already has, and today is partial until the next build completes it),
  // none for 30 days in the middle (the build host was down: the summaries'
  // 90 days bridge it), then one stale summary fed again out of order.
  const store = emptyHistory();
  const builds: number[] = [];
  for (let t = START + DAY / 2; t <= now.getTime(); t += 4 * DAY) if (!(t > START + 200 * DAY && t < START + 230 * DAY)) builds.push(t);
  if (builds.at(-1) !== now.getTime()) builds.push(now.getTime());
  const summariesOf = new Map<number, ProbeSummary[]>();
  for (const t of builds) {
    const summaries = ['ams', 'fra', 'nyc'].flatMap((v) => summaryAt(records, v, t) ?? []);
    summariesOf.set(t, summaries);
    for (const s of summaries) appendSummary(store, s, new Date(t));
  }
  const stale = summariesOf.get(builds[10]!)!;
  const repeat = stale.map((s) => appendSummary(store, s, now));

  test('the monthly figures equal a direct computation over the raw records', () => {
    // Directly: every record of each location in one summary with no window, then the merge's quorum and SLA math.
    const full = wholeSummaries(records, now);
    const direct = quorumFigures(
      full.map((s) => vantageTimeline(s.checks, INTERVAL * 1000, -Infinity, now.getTime())),
      { quorum: 0.5, cuts: MAINTENANCE.map((m) => ({ start: m.start.getTime(), end: m.end.getTime() })) },
    );
    const expected = monthlySla(direct.down, direct.covered, direct.coveredList[0]?.start, { from: -Infinity, now: now.getTime(), slaTarget: 99.9 });
    const figures = historyFigures(store, WANTED, options);
    const months = figures.years.flatMap((y) => y.months).sort((a, b) => a.month.localeCompare(b.month));
    expect(months).toEqual(expected);
    expect(months.length).toBe(14); // October 2025 to November 2026
    expect(figures.firstDate).toBe('2025-10-01');
    expect(figures.years.map((y) => y.year)).toEqual([2026, 2025]);
    // Some months had real outages; a lone location's failures never count.
    expect(months.some((m) => m.downMinutes > 0)).toBe(true);
  });

  test('every day of every location is stored once, the gap and the dead location included', () => {
    const days = (v: string) => store.series.get(`${v}|jabber.org|c2s-starttls`)!.rows;
    expect(days('ams').size).toBe(DAYS);
    expect(days('fra').size).toBe(DAYS - 11);
    expect(days('nyc').size).toBe(300);
    // Each stored day has the whole day's samples (96), not the sum of its
    // many copies; only today, measured until noon, has half.
    const odd = [...days('ams').values()].filter((r) => r.samples !== 96);
    expect(odd.map((r) => [r.day * DAY === END - DAY, r.samples])).toEqual([[true, 48]]);
  });

  test('a summary fed again out of order changes nothing', () => {
    expect(repeat.map((o) => o.added + o.replaced)).toEqual([0, 0, 0]);
    expect(repeat.every((o) => o.unchanged > 0)).toBe(true);
  });

  test('the store survives its file: encoded, validated and decoded it gives the same figures', () => {
    const file = HistoryFileSchema.parse(JSON.parse(JSON.stringify(encodeHistory(store))));
    expect(historyFigures(decodeHistory(file), WANTED, options)).toEqual(historyFigures(store, WANTED, options));
  });

  test('a store read from its file and then appended to writes the same file as one kept in memory', () => {
    // Half the builds, written and read back (days stay as the file's columns), then the rest appended.
    const half = emptyHistory();
    const memory = emptyHistory();
    const middle = builds[Math.floor(builds.length / 2)]!;
    for (const t of builds)
      for (const s of summariesOf.get(t)!) {
        if (t <= middle) appendSummary(half, s, new Date(t));
        appendSummary(memory, s, new Date(t));
      }
    const read = decodeHistory(HistoryFileSchema.parse(JSON.parse(JSON.stringify(encodeHistory(half)))));
    for (const t of builds) if (t > middle) for (const s of summariesOf.get(t)!) appendSummary(read, s, new Date(t));
    expect(encodeHistory(read)).toEqual(encodeHistory(memory));
    expect(historyFigures(read, WANTED, options)).toEqual(historyFigures(memory, WANTED, options));
  });

  test('merging a restored copy into a partial store gives the whole store, in either order', () => {
    const restored = decodeHistory(encodeHistory(store));
    const partial = emptyHistory();
    for (const s of summariesOf.get(builds.at(-1)!)!) appendSummary(partial, s, now);
    const a = emptyHistory();
    mergeHistory(a, partial);
    mergeHistory(a, restored);
    const b = emptyHistory();
    mergeHistory(b, restored);
    mergeHistory(b, partial);
    expect(encodeHistory(a)).toEqual(encodeHistory(store));
    expect(encodeHistory(b)).toEqual(encodeHistory(store));
  });
});

describe('two copies of one day', () => {
  const row = (over: Partial<HistoryRow>): HistoryRow => ({
    day: 20000,
    samples: 1440,
    ok: 1440,
    first: 0,
    last: 86_340,
    p50: 80,
    p95: 90,
    p99: 99,
    outages: [],
    ...over,
  });
  test.each([
    // a, b → which one is kept
    ['more samples wins (a probe host that was down saw less)', row({ samples: 700, last: 43_000 }), row({}), 'b'],
    ['equal samples: the later last sample wins', row({ last: 86_000 }), row({ last: 86_340 }), 'b'],
    ['equal samples and last: more outage runs win', row({ outages: [100, 200] }), row({}), 'a'],
  ])('%s', (_, a, b, kept) => {
    expect(preferRow(a, b)).toBe(kept === 'a' ? a : b);
    expect(preferRow(b, a)).toBe(kept === 'a' ? a : b);
  });

  test('a day dated after the summary was written is not stored (a probe clock ahead of the world)', () => {
    const store = emptyHistory();
    const day = { date: '2026-11-22', samples: 10, ok: 10, first: '2026-11-22T00:00:00Z', last: '2026-11-22T01:00:00Z', p50: 1, p95: 1, p99: 1, outages: [] };
    const summary = ProbeSummarySchema.parse({
      v: 1,
      generator: 't',
      generatedAt: '2026-11-21T12:00:00Z',
      vantage: 'ams',
      checks: [
        {
          domain: 'jabber.org',
          check: 'c2s-starttls',
          days: [day],
          recent: { from: '2026-11-19T12:00:00Z', step: 60, runs: [] },
          last: { at: '2026-11-21T11:59:00Z', ok: true, ms: 1, target: 'x' },
          cert: null,
        },
      ],
    });
    expect(appendSummary(store, summary, new Date('2026-11-21T12:00:00Z'))).toEqual({ added: 0, replaced: 0, unchanged: 0, refused: 1, settled: 0 });
  });

  test('instants outside their own day are clamped to it, as the merge reads them', () => {
    expect(
      rowFromDay({
        date: '2026-11-21',
        samples: 2,
        ok: 1,
        first: '2026-11-20T23:00:00Z',
        last: '2026-11-23T00:00:00Z',
        p50: 1,
        p95: 1,
        p99: 1,
        outages: [['2026-11-21T06:00:00Z', '2030-01-01T00:00:00Z']],
      }),
    ).toMatchObject({
      first: 0,
      last: 86_400,
      outages: [21_600, 86_400],
    });
  });
});
