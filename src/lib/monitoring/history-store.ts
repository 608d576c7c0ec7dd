/**
 * Monitoring history kept forever (issue 29): measured daily aggregates per
 * location, domain and check, appended from every summary a build reads, so
 * the site can show uptime and SLA for every month ever measured while the
 * summaries themselves stay at 90 days.
 *
 * Pure: the store is a value; `history-store-io.ts` reads and writes it
 * (gzipped columns, `HistoryFileSchema`).
 *
 * Appending is idempotent and never adds counts: a day is one location's
 * measurement of one check, so two copies of it differ only in how much of
 * the day they saw. When they disagree the rule (`preferRow`) keeps the one
 * with more samples, then the one whose last sample is later, then the one
 * with more outage runs, then the larger by text; the order of appends never
 * matters. So a probe host that was down (fewer samples), a summary that
 * repeats days (equal rows) and a partial "today" that later completes all
 * land on one row per day, never two.
 */
import type { DayColumns, HistoryFile, HistorySeries, ProbeCheck, ProbeSummary } from '../schemas.ts';
import { toIsoUtc } from '../shared/time.ts';
import { MAX_CLOCK_SKEW_MS } from './limits.ts';
import { DAY_MS, isoDay, parseInstant } from './instant.ts';
import type { Interval } from './intervals.ts';
import { monthlySla, quorumFigures, rowSpan, spanTimeline, uptimeOver, type MonthSla } from './quorum.ts';
import { checkRows, columnRows, dateOf, dayNumber, rowsToColumns, type DayRow } from './day-rows.ts';

export { dateOf, dayNumber, rowFromDay } from './day-rows.ts';

const MINUTE = 60_000;

export const HISTORY_GENERATOR = 'jabber-org-status history';

/** One day of one series, in numbers. */
export type HistoryRow = DayRow;

export interface Series {
  vantage: string;
  domain: string;
  check: ProbeCheck;
  /**
   * Days as read from the file, kept as its columns: a 5-year directory
   * history is millions of days, and an object per day made reading take
   * seconds and hundreds of MB (issue 29). Never changed; `rows` overrides.
   */
  base?: BaseColumns;
  /** Days added or replaced since reading (or all days, for a store built in memory), by `day`. */
  rows: Map<number, HistoryRow>;
}

/** A file's columns with each entry's day number, for lookups by day. */
export interface BaseColumns {
  columns: DayColumns;
  /** Day number of each entry, increasing. */
  days: Int32Array;
  /** Outage runs (flat seconds) by entry index; most entries have none. */
  outages: Map<number, number[]>;
}

function baseIndex(base: BaseColumns, day: number): number {
  let lo = 0;
  let hi = base.days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (base.days[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function baseRow(base: BaseColumns, i: number): HistoryRow {
  const c = base.columns;
  return {
    day: base.days[i]!,
    samples: c.samples[i]!,
    ok: Math.min(c.ok[i]!, c.samples[i]!),
    first: c.first[i]!,
    last: Math.max(c.first[i]!, c.last[i]!),
    p50: c.p50[i]!,
    p95: c.p95[i]!,
    p99: c.p99[i]!,
    outages: base.outages.get(i) ?? NO_OUTAGES,
  };
}

const NO_OUTAGES: readonly number[] = Object.freeze([]);

/** A series' row for one day, or undefined. */
export function seriesRow(s: Series, day: number): HistoryRow | undefined {
  const row = s.rows.get(day);
  if (row || !s.base) return row;
  const i = baseIndex(s.base, day);
  return s.base.days[i] === day ? baseRow(s.base, i) : undefined;
}

/** Every day of a series, one row per day, in no particular order. */
export function* seriesRows(s: Series): Generator<HistoryRow> {
  if (s.base) for (let i = 0; i < s.base.days.length; i++) if (!s.rows.has(s.base.days[i]!)) yield baseRow(s.base, i);
  yield* s.rows.values();
}

/** How many days a series holds. */
export function seriesSize(s: Series): number {
  let n = s.rows.size;
  if (s.base) for (const d of s.base.days) if (!s.rows.has(d)) n++;
  return n;
}

export interface HistoryStore {
  /** Newest summary time appended, ms; 0 for an empty store. */
  updatedAt: number;
  /** By `seriesKey`. */
  series: Map<string, Series>;
}

/** What an append did, for the build log. */
export interface AppendOutcome {
  /** Days not in the store before. */
  added: number;
  /** Days the store had, replaced by a fuller copy. */
  replaced: number;
  /** Days the store already had as well or better. */
  unchanged: number;
  /** Days dated after the summary's own day or the build's clock: not stored. */
  refused: number;
  /** Of `added` and `replaced`, the days before today (UTC): what a build must write to disk, since today's row changes every minute and every summary repeats it. */
  settled: number;
}

/** e.g. `ams|jabber.org|c2s-starttls` */
export const seriesKey = (vantage: string, domain: string, check: string) => `${vantage}|${domain}|${check}`;

export const emptyHistory = (): HistoryStore => ({ updatedAt: 0, series: new Map() });

const rowText = (r: HistoryRow) => JSON.stringify([r.samples, r.ok, r.first, r.last, r.p50, r.p95, r.p99, r.outages]);

/**
 * Which of two copies of one day to keep: more samples, then a later last
 * sample, then more outage runs, then the larger text; the same answer
 * whichever comes first.
 */
export function preferRow(a: HistoryRow, b: HistoryRow): HistoryRow {
  if (a.samples !== b.samples) return a.samples > b.samples ? a : b;
  if (a.last !== b.last) return a.last > b.last ? a : b;
  if (a.outages.length !== b.outages.length) return a.outages.length > b.outages.length ? a : b;
  return rowText(a) >= rowText(b) ? a : b;
}

function putRow(store: HistoryStore, vantage: string, domain: string, check: ProbeCheck, row: HistoryRow, outcome: AppendOutcome, today = Infinity): void {
  const key = seriesKey(vantage, domain, check);
  let series = store.series.get(key);
  if (!series) store.series.set(key, (series = { vantage, domain, check, rows: new Map() }));
  const known = seriesRow(series, row.day);
  if (!known) {
    series.rows.set(row.day, row);
    outcome.added++;
    if (row.day < today) outcome.settled++;
    return;
  }
  const kept = preferRow(known, row);
  if (kept === known || rowText(kept) === rowText(known)) outcome.unchanged++;
  else {
    series.rows.set(row.day, kept);
    outcome.replaced++;
    if (row.day < today) outcome.settled++;
  }
}

/**
 * Appends every day of a summary (in place) that is not later than the
 * summary's own day or the build's clock allows (clocks that disagree never
 * store tomorrow).
 * @param keep which (domain, check) pairs to keep; all when absent (the build keeps the ones its pages read)
 */
export function appendSummary(store: HistoryStore, summary: ProbeSummary, now: Date, keep?: (domain: string, check: ProbeCheck) => boolean): AppendOutcome {
  const outcome: AppendOutcome = { added: 0, replaced: 0, unchanged: 0, refused: 0, settled: 0 };
  const generated = parseInstant(summary.generatedAt);
  const latest = Math.floor(Math.min(now.getTime() + MAX_CLOCK_SKEW_MS, Number.isFinite(generated) ? generated : -Infinity) / DAY_MS);
  for (const check of summary.checks) {
    if (keep && !keep(check.domain, check.check)) continue;
    for (const row of checkRows(check)) {
      if (row.day > latest) {
        outcome.refused++;
        continue;
      }
      putRow(store, summary.vantage, check.domain, check.check, row, outcome, Math.floor(now.getTime() / DAY_MS));
    }
  }
  if (Number.isFinite(generated) && generated <= now.getTime() + MAX_CLOCK_SKEW_MS) store.updatedAt = Math.max(store.updatedAt, generated);
  return outcome;
}

/** Merges `from` into `into` (in place) with the same rule, e.g. a store restored from the published site into the local one. */
export function mergeHistory(into: HistoryStore, from: HistoryStore): AppendOutcome {
  const outcome: AppendOutcome = { added: 0, replaced: 0, unchanged: 0, refused: 0, settled: 0 };
  for (const s of from.series.values()) for (const row of seriesRows(s)) putRow(into, s.vantage, s.domain, s.check, row, outcome);
  into.updatedAt = Math.max(into.updatedAt, from.updatedAt);
  return outcome;
}

/**
 * A series as columns: the untouched part of its file's columns is copied
 * as array slices (no object per day), and only the days from the first
 * added or replaced one on are rebuilt (a build touches the last 90).
 */
function seriesColumns(s: Series): DayColumns {
  const base = s.base;
  if (!base) return rowsToColumns([...s.rows.values()].sort((a, b) => a.day - b.day));
  if (s.rows.size === 0) {
    const { from, step, samples, ok, first, last, p50, p95, p99, outages } = base.columns;
    return { from, step, samples, ok, first, last, p50, p95, p99, outages };
  }
  let firstTouched = Infinity;
  for (const d of s.rows.keys()) if (d < firstTouched) firstTouched = d;
  const k = baseIndex(base, firstTouched);
  const tail: HistoryRow[] = [];
  for (let i = k; i < base.days.length; i++) if (!s.rows.has(base.days[i]!)) tail.push(baseRow(base, i));
  for (const r of s.rows.values()) tail.push(r);
  tail.sort((a, b) => a.day - b.day);
  if (k === 0) return rowsToColumns(tail);
  const c = base.columns;
  const rest = rowsToColumns(tail);
  const restFirst = dayNumber(rest.from);
  return {
    from: c.from,
    step: [...c.step.slice(0, k), restFirst - base.days[k - 1]!, ...rest.step.slice(1)],
    samples: [...c.samples.slice(0, k), ...rest.samples],
    ok: [...c.ok.slice(0, k), ...rest.ok],
    first: [...c.first.slice(0, k), ...rest.first],
    last: [...c.last.slice(0, k), ...rest.last],
    p50: [...c.p50.slice(0, k), ...rest.p50],
    p95: [...c.p95.slice(0, k), ...rest.p95],
    p99: [...c.p99.slice(0, k), ...rest.p99],
    outages: [...c.outages.filter(([i]) => i < k), ...rest.outages.map(([i, a, b]) => [i + k, a, b] as [number, number, number])],
  };
}

/** The store as its file: one series per (location, domain, check), sorted, days as columns. */
export function encodeHistory(store: HistoryStore): HistoryFile {
  const series: HistorySeries[] = [...store.series.values()]
    .filter((s) => s.rows.size > 0 || (s.base?.days.length ?? 0) > 0)
    .sort((a, b) => a.domain.localeCompare(b.domain) || a.check.localeCompare(b.check) || a.vantage.localeCompare(b.vantage))
    .map((s) => ({ vantage: s.vantage, domain: s.domain, check: s.check, ...seriesColumns(s) }));
  return { v: 1, generator: HISTORY_GENERATOR, updatedAt: toIsoUtc(new Date(store.updatedAt)), series };
}

/** A validated file (`HistoryFileSchema`) as a store; a series listed twice is merged by the usual rule. */
export function decodeHistory(file: HistoryFile): HistoryStore {
  const store: HistoryStore = { updatedAt: parseInstant(file.updatedAt), series: new Map() };
  const sink: AppendOutcome = { added: 0, replaced: 0, unchanged: 0, refused: 0, settled: 0 };
  for (const s of file.series) {
    const key = seriesKey(s.vantage, s.domain, s.check);
    if (store.series.has(key)) {
      // The same series twice (a hand-merged file): merged row by row.
      for (const row of columnRows(s)) putRow(store, s.vantage, s.domain, s.check, row, sink);
      continue;
    }
    const days = new Int32Array(s.step.length);
    let day = dayNumber(s.from);
    s.step.forEach((step, i) => (days[i] = day += step));
    const outages = new Map<number, number[]>();
    for (const [i, from, to] of s.outages) outages.set(i, [...(outages.get(i) ?? []), from, Math.max(from, to)]);
    store.series.set(key, { vantage: s.vantage, domain: s.domain, check: s.check, base: { columns: s, days, outages }, rows: new Map() });
  }
  return store;
}

export interface YearUptime {
  /** e.g. `2025` */
  year: number;
  /** Uptime over the covered time of that year, or null when nothing was covered. */
  uptime: number | null;
  downMinutes: number;
  /** Every month of that year that had data or came after the first that did. */
  months: MonthSla[];
}

export interface HistoryFigures {
  /** First measured day, e.g. `2021-03-04`; null when the store has nothing for these checks. */
  firstDate: string | null;
  /** Newest year first. */
  years: YearUptime[];
}

export interface HistoryOptions {
  now: Date;
  /** Seconds between probe runs, e.g. `60`. */
  intervalSeconds: number;
  quorum: number;
  /** e.g. `99.9` */
  slaTarget: number;
  /** Maintenance windows of this component, cut out as in the 90-day figures. */
  maintenance: readonly { start: Date; end: Date }[];
}

/**
 * Yearly uptime and monthly SLA of one component (or service) over its whole
 * history, with the quorum and maintenance rules of the 90-day figures
 * (`quorumFigures`, `monthlySla` in quorum.ts).
 * @param wanted the checks that stand for it, e.g. `[{ domain: 'jabber.org', check: 'c2s-starttls' }]`
 */
export function historyFigures(store: HistoryStore, wanted: readonly { domain: string; check: ProbeCheck }[], options: HistoryOptions): HistoryFigures {
  const now = options.now.getTime();
  const keys = new Set(wanted.map((w) => `${w.domain}|${w.check}`));
  const byVantage = new Map<string, Series[]>();
  for (const s of store.series.values()) {
    if (!keys.has(`${s.domain}|${s.check}`)) continue;
    byVantage.set(s.vantage, [...(byVantage.get(s.vantage) ?? []), s]);
  }
  const vantages = [...byVantage.keys()].sort();
  const timelines = vantages.map((v) =>
    spanTimeline(
      (function* () {
        for (const s of byVantage.get(v)!) for (const r of seriesRows(s)) yield rowSpan(r);
      })(),
      options.intervalSeconds * 1000,
      -Infinity,
      now,
    ),
  );
  const cuts: Interval[] = options.maintenance.map((m) => ({ start: m.start.getTime(), end: m.end.getTime() }));
  const { down, covered, coveredList } = quorumFigures(timelines, { quorum: options.quorum, cuts });
  const firstCovered = coveredList[0]?.start;
  if (firstCovered === undefined) return { firstDate: null, years: [] };
  const months = monthlySla(down, covered, firstCovered, { from: -Infinity, now, slaTarget: options.slaTarget });
  const years: YearUptime[] = [];
  for (let y = new Date(firstCovered).getUTCFullYear(); Date.UTC(y, 0, 1) <= now; y++) {
    const from = Date.UTC(y, 0, 1);
    const to = Math.min(Date.UTC(y + 1, 0, 1), now);
    years.push({
      year: y,
      uptime: uptimeOver(down, covered, from, to),
      downMinutes: Math.round((down.measure(from, to) / MINUTE) * 10) / 10,
      months: months.filter((m) => m.month.startsWith(`${y}-`)),
    });
  }
  return { firstDate: isoDay(firstCovered), years: years.reverse() };
}

/** Days and size of a store, for `npm run history -- show` and the build log. */
export function describeHistory(store: HistoryStore): { series: number; days: number; first: string | null; last: string | null } {
  let days = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const s of store.series.values()) {
    days += seriesSize(s);
    for (const d of [...s.rows.keys(), ...(s.base?.days ?? [])]) {
      if (d < first) first = d;
      if (d > last) last = d;
    }
  }
  return { series: store.series.size, days, first: Number.isFinite(first) ? dateOf(first) : null, last: Number.isFinite(last) ? dateOf(last) : null };
}
