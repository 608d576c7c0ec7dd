/**
 * Merges probe summaries from several vantage points into what readers see:
 * each component's current verdict, uptime over 24 h / 7 d / 30 d / 90 d,
 * the monthly SLA, one bar per day, response times and certificate expiry.
 * Pure: summaries, mapping and `now` in; numbers out.
 *
 * Rules:
 * - Quorum: a component is down at an instant only when more than `quorum`
 *   (default 0.5) of the vantage points that had data then saw it fail. One
 *   location's bad network day is a note, not an outage.
 * - A vantage point "has data" from each day's first sample to one probe
 *   interval after its last. Time no vantage point covered is a gap: it is neither up nor down, and
 *   it is left out of uptime (no data is never counted as "up").
 * - Now: data older than twice the probe interval is stale; with no fresh
 *   vantage point the verdict is `unknown`, never `operational`.
 * - Maintenance windows are cut out of both downtime and covered time when
 *   `excludeMaintenance` is on.
 * - Hostile input (issue 10): only the 90-day window before `now` is read,
 *   every instant is clamped to its day and to `now`, a result dated more
 *   than `MAX_CLOCK_SKEW_MS` ahead is never fresh, and an unreadable
 *   certificate date shows as a warning. Everything is O(n log n) in the
 *   number of outage runs, and the output has a fixed size: 90 day bars, at
 *   most 4 SLA months, one latest result per check.
 */
import type { ProbeCheck, ProbeSummary, SummaryCheck } from '../schemas.ts';
import { MAX_CLOCK_SKEW_MS, windowStart } from './limits.ts';
import { readerSafe } from './reader-text.ts';
import { parseInstant } from './instant.ts';
import { columnRows, dateOf, type DayRow } from './day-rows.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;

export { parseInstant };

export interface MergeOptions {
  now: Date;
  /** Seconds between probe runs, e.g. `60`; stale after twice this. */
  intervalSeconds: number;
  /** Fraction of reporting vantage points that must see a failure, e.g. `0.5` (strictly more than half). */
  quorum: number;
  /** SLA target in percent, e.g. `99.9`. */
  slaTarget: number;
  /** Windows cut out of uptime, per component id. */
  maintenance: ReadonlyMap<string, readonly { start: Date; end: Date }[]>;
}

/** Which checks of which domain stand for a component, e.g. c2s → jabber.org c2s-starttls. */
export type ComponentChecks = ReadonlyMap<string, readonly { domain: string; check: ProbeCheck }[]>;

export interface Interval {
  start: number;
  end: number;
}

export interface VantageResult {
  vantage: string;
  domain: string;
  check: ProbeCheck;
  at: string;
  ok: boolean;
  ms: number;
  /** Why it failed, made safe for readers (no paths, credentials or stack text). */
  error?: string;
  /** Older than twice the interval, or dated in the future. */
  stale: boolean;
  /** Dated more than the allowed clock skew after `now`: the probe host's clock is ahead; never fresh. */
  ahead: boolean;
}

export interface DayBar {
  /** e.g. `2026-11-21` */
  date: string;
  /** Uptime that day in percent, or null when no vantage point had data. */
  uptime: number | null;
  downMinutes: number;
}

export interface MonthSla {
  /** e.g. `2026-11` */
  month: string;
  uptime: number | null;
  downMinutes: number;
  /** Allowed downtime for the whole month at the target, e.g. 43.2 for 30 days at 99.9%. */
  budgetMinutes: number;
  met: boolean;
  /** True for the month that contains `now`. */
  current: boolean;
}

export interface ComponentMonitoring {
  /** `down` needs a quorum; `unknown` means no fresh data from anywhere. */
  verdict: 'up' | 'down' | 'unknown';
  /** e.g. `1 of 3 locations sees failures`; set when some but not a quorum fail. */
  note?: string;
  /** Vantage points with fresh data now. */
  reporting: number;
  uptime: { '24h': number | null; '7d': number | null; '30d': number | null; '90d': number | null };
  days: DayBar[];
  months: MonthSla[];
  /** Per day, median p50 and highest p95 across vantage points, in ms. */
  responseTimes: { date: string; p50: number; p95: number }[];
  latest: VantageResult[];
  /** The newest certificate; `validTo` and `daysLeft` are null when its expiry date could not be read (the page warns). */
  cert: { validTo: string | null; daysLeft: number | null; issuer: string; trusted: boolean; identity: string | null } | null;
}

/** Merges overlapping intervals; input in any order. O(n log n). */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/**
 * Sorted, disjoint intervals with running totals, so the covered length of
 * any range is two binary searches (the merge asks 100 ranges of lists that
 * may hold 200,000 outage runs).
 */
export class IntervalIndex {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  /** prefix[k] = total length of the first k intervals. */
  private readonly prefix: Float64Array;

  /** @param merged sorted and disjoint, as `mergeIntervals` returns them */
  constructor(merged: readonly Interval[]) {
    this.starts = Float64Array.from(merged, (i) => i.start);
    this.ends = Float64Array.from(merged, (i) => i.end);
    this.prefix = new Float64Array(merged.length + 1);
    merged.forEach((i, k) => (this.prefix[k + 1] = this.prefix[k]! + (i.end - i.start)));
  }

  /** First index whose value is greater than `x` (upper bound). */
  private static above(values: Float64Array, x: number): number {
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Total length inside [from, to). */
  measure(from: number, to: number): number {
    if (!(to > from)) return 0;
    const first = IntervalIndex.above(this.ends, from); // first interval ending after `from`
    const last = IntervalIndex.above(this.starts, to - Number.MIN_VALUE) - 1; // last interval starting before `to`
    if (first > last) return 0;
    let total = this.prefix[last + 1]! - this.prefix[first]!;
    total -= Math.max(0, from - this.starts[first]!);
    total -= Math.max(0, this.ends[last]! - to);
    return Math.max(0, total);
  }
}

/** Total length of the union of intervals, clipped to [from, to). */
export function measure(intervals: readonly Interval[], from: number, to: number): number {
  return new IntervalIndex(mergeIntervals(intervals)).measure(from, to);
}

/** Removes `cuts` from `intervals`, in one pass over both sorted lists. */
export function subtract(intervals: readonly Interval[], cuts: readonly Interval[]): Interval[] {
  const list = mergeIntervals(intervals);
  const holes = mergeIntervals(cuts);
  const out: Interval[] = [];
  let h = 0;
  for (const i of list) {
    let start = i.start;
    while (h < holes.length && holes[h]!.end <= start) h++;
    let k = h;
    while (k < holes.length && holes[k]!.start < i.end) {
      const cut = holes[k]!;
      if (cut.start > start) out.push({ start, end: cut.start });
      start = Math.max(start, cut.end);
      if (cut.end >= i.end) break;
      k++;
    }
    if (start < i.end) out.push({ start, end: i.end });
  }
  return out;
}

export interface VantageTimeline {
  /** When this vantage point had data: each day from its first sample to one interval after its last. */
  covered: Interval[];
  /** When it saw the component fail (any mapped check in an outage run). */
  failing: Interval[];
}

/**
 * One day of one check as instants (ms): the start of its UTC day, its first
 * and last sample, and its outage runs. The common form of a summary's day
 * (ISO text) and a history store's row (numbers), so both go through the
 * same `spanTimeline`.
 */
export interface DaySpan {
  dayStart: number;
  first: number;
  last: number;
  /** Flat [start, end, start, end, …] of the outage runs. */
  outages: readonly number[];
}

function* summarySpans(checks: readonly SummaryCheck[]): Generator<DaySpan> {
  for (const c of checks) {
    for (const d of c.days) {
      if (d.samples === 0) continue;
      const outages: number[] = [];
      for (const [from, to] of d.outages) outages.push(parseInstant(from), parseInstant(to));
      yield { dayStart: parseInstant(`${d.date}T00:00:00Z`), first: parseInstant(d.first), last: parseInstant(d.last), outages };
    }
    // A compact summary's days (issue 29): numbers already, no text to parse.
    if (c.columns) for (const r of columnRows(c.columns)) yield rowSpan(r);
  }
}

/** A day row (seconds after its midnight) as the instants the merge reads. */
export function rowSpan(r: DayRow): DaySpan {
  const start = r.day * DAY;
  return { dayStart: start, first: start + r.first * 1000, last: start + r.last * 1000, outages: r.outages.map((s) => start + s * 1000) };
}

/**
 * One vantage point's covered and failing time, read only inside
 * [windowFrom, now] and with every instant clamped to its own UTC day, so a
 * day dated in year 0 or an outage run "lasting" a century cannot stretch
 * the page (issue 10).
 */
export function timeline(checks: readonly SummaryCheck[], intervalMs: number, windowFrom: number, now: number): VantageTimeline {
  return spanTimeline(summarySpans(checks), intervalMs, windowFrom, now);
}

/** `timeline` for days already read into instants (days with samples only). */
export function spanTimeline(spans: Iterable<DaySpan>, intervalMs: number, windowFrom: number, now: number): VantageTimeline {
  const covered: Interval[] = [];
  const failing: Interval[] = [];
  for (const d of spans) {
    const dayStart = d.dayStart;
    if (!(dayStart + DAY > windowFrom && dayStart <= now)) continue;
    const lo = Math.max(dayStart, windowFrom);
    const hi = Math.min(dayStart + DAY, now);
    const clamp = (t: number) => Math.min(hi, Math.max(lo, t));
    const { first, last } = d;
    if (Number.isFinite(first) && Number.isFinite(last)) covered.push({ start: clamp(first), end: clamp(last + intervalMs) });
    for (let k = 0; k + 1 < d.outages.length; k += 2) {
      const s = d.outages[k]!;
      if (!Number.isFinite(s)) continue;
      // A run with no success after it lasts at least one probe interval.
      const e = Math.max(d.outages[k + 1]! || s, s + intervalMs);
      failing.push({ start: clamp(s), end: clamp(e) });
    }
  }
  return { covered: mergeIntervals(covered), failing: mergeIntervals(failing) };
}

/** True when the list is sorted and disjoint with gaps, as `mergeIntervals` returns it. */
function isMerged(list: readonly Interval[]): boolean {
  for (let k = 0; k < list.length; k++) {
    if (!(list[k]!.end > list[k]!.start)) return false;
    if (k > 0 && !(list[k]!.start > list[k - 1]!.end)) return false;
  }
  return true;
}

/**
 * Instants where more than `quorum` of the vantage points covering them saw a
 * failure, and the instants any vantage point covered. One sweep over the
 * interval edges, walking each vantage point's sorted lists side by side
 * (a k-way merge) and keeping, per vantage point, whether it covers and
 * whether it fails: O(n · v) for n edges and v vantage points, after the
 * O(n log n) sort of each list. The pairwise version took 282 s for 200,000
 * outage runs (issue 10).
 */
export function quorumDowntime(timelines: readonly VantageTimeline[], quorum: number): { down: Interval[]; covered: Interval[] } {
  // Lists 2v (covered) and 2v + 1 (failing) of vantage point v.
  const lists = timelines.flatMap((t) => [t.covered, t.failing].map((l) => (isMerged(l) ? l : mergeIntervals(l))));
  // cursor[i] walks the edges of list i: even = start of interval i/2, odd = its end.
  const cursor = new Int32Array(lists.length);
  const edge = (i: number) => {
    const list = lists[i]!;
    const c = cursor[i]!;
    if (c >= 2 * list.length) return Infinity;
    const interval = list[c >> 1]!;
    return c & 1 ? interval.end : interval.start;
  };
  const inside = new Uint8Array(lists.length);
  let reporting = 0;
  let failing = 0;
  const down: Interval[] = [];
  const covered: Interval[] = [];
  const extend = (list: Interval[], start: number, end: number) => {
    const last = list[list.length - 1];
    if (last && last.end === start) last.end = end;
    else list.push({ start, end });
  };
  for (;;) {
    let at = Infinity;
    for (let i = 0; i < lists.length; i++) at = Math.min(at, edge(i));
    if (at === Infinity) break;
    for (let v = 0; 2 * v < lists.length; v++) {
      const before = inside[2 * v]!;
      const beforeFailing = before & inside[2 * v + 1]!;
      for (const i of [2 * v, 2 * v + 1]) {
        if (edge(i) === at) {
          inside[i] = cursor[i]! & 1 ? 0 : 1;
          cursor[i]!++;
        }
      }
      const after = inside[2 * v]!;
      reporting += after - before;
      failing += (after & inside[2 * v + 1]!) - beforeFailing;
    }
    let next = Infinity;
    for (let i = 0; i < lists.length; i++) next = Math.min(next, edge(i));
    if (next === Infinity || reporting === 0) continue;
    extend(covered, at, next);
    if (failing > quorum * reporting) extend(down, at, next);
  }
  return { down, covered };
}

/** Uptime in percent over [from, to), or null when nothing was covered. */
export function uptimeOver(down: IntervalIndex, covered: IntervalIndex, from: number, to: number): number | null {
  const total = covered.measure(from, to);
  if (total <= 0) return null;
  const lost = down.measure(from, to);
  return Math.min(100, Math.max(0, 100 * (1 - lost / total)));
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Down and covered time of one component, as lists and as indexes for range queries. */
export interface QuorumFigures {
  down: IntervalIndex;
  covered: IntervalIndex;
  downList: Interval[];
  coveredList: Interval[];
}

/**
 * The quorum rule over a time range, shared by the 90-day figures
 * (`mergeProbes`) and the history kept forever (history-store.ts, issue 29),
 * so both say the same of the same data: quorum downtime across the vantage
 * points' timelines, maintenance cut out of both down and covered time.
 * @param timelines one per vantage point that has data (`timeline` or `spanTimeline`)
 * @param range.cuts maintenance windows (ms), already chosen for the component
 */
export function quorumFigures(timelines: readonly VantageTimeline[], range: { quorum: number; cuts: readonly Interval[] }): QuorumFigures {
  const raw = quorumDowntime(timelines, range.quorum);
  const downList = subtract(raw.down, range.cuts);
  const coveredList = subtract(raw.covered, range.cuts);
  return { down: new IntervalIndex(downList), covered: new IntervalIndex(coveredList), downList, coveredList };
}

/**
 * SLA month by month, from the month of `firstCovered` (never before
 * `range.from`) to the month of `now`; empty when nothing was covered.
 * @param firstCovered first covered instant (ms), e.g. `coveredList[0]?.start`
 */
export function monthlySla(down: IntervalIndex, covered: IntervalIndex, firstCovered: number | undefined, range: { from: number; now: number; slaTarget: number }): MonthSla[] {
  const months: MonthSla[] = [];
  if (firstCovered === undefined) return months;
  const { now } = range;
  const cursor = new Date(Math.max(firstCovered, range.from));
  let y = cursor.getUTCFullYear();
  let m = cursor.getUTCMonth();
  for (;;) {
    const start = Date.UTC(y, m, 1);
    if (start > now) break;
    const end = Date.UTC(y, m + 1, 1);
    const budgetMinutes = ((end - start) / MINUTE) * (1 - range.slaTarget / 100);
    const downMinutes = down.measure(start, Math.min(end, now)) / MINUTE;
    months.push({
      month: new Date(start).toISOString().slice(0, 7),
      uptime: uptimeOver(down, covered, start, Math.min(end, now)),
      downMinutes: Math.round(downMinutes * 10) / 10,
      budgetMinutes: Math.round(budgetMinutes * 10) / 10,
      met: downMinutes <= budgetMinutes,
      current: now < end,
    });
    if (++m === 12) {
      m = 0;
      y++;
    }
  }
  return months;
}

/**
 * Merges every vantage point's summary for every mapped component.
 * @param summaries one per vantage point (order does not matter)
 */
export function mergeProbes(summaries: readonly ProbeSummary[], mapping: ComponentChecks, options: MergeOptions): Map<string, ComponentMonitoring> {
  const now = options.now.getTime();
  const intervalMs = options.intervalSeconds * 1000;
  const staleAfter = 2 * intervalMs;
  // The same vantage point twice (two copies of one summary) counts once: keep the newest.
  const byVantage = new Map<string, ProbeSummary>();
  for (const s of summaries) {
    const known = byVantage.get(s.vantage);
    if (!known || Date.parse(s.generatedAt) > Date.parse(known.generatedAt)) byVantage.set(s.vantage, s);
  }
  const vantages = [...byVantage.values()].sort((a, b) => a.vantage.localeCompare(b.vantage));
  const result = new Map<string, ComponentMonitoring>();

  const windowFrom = windowStart(now);
  const at = (iso: string) => Date.parse(iso);
  // Fresh: not older than twice the interval and not from the future beyond
  // the allowed skew (a probe host with a fast clock that then dies must not
  // keep a component green for ever).
  const ahead = (iso: string) => !(at(iso) <= now + MAX_CLOCK_SKEW_MS);
  const isFresh = (iso: string) => now - at(iso) <= staleAfter && !ahead(iso);

  for (const [component, wanted] of mapping) {
    const wantedKeys = new Set(wanted.map((w) => `${w.domain}|${w.check}`));
    const perVantage = vantages.map((s) => ({
      vantage: s.vantage,
      checks: s.checks.filter((c) => wantedKeys.has(`${c.domain}|${c.check}`)),
    }));
    const withData = perVantage.filter((v) => v.checks.length > 0);
    const cuts = (options.maintenance.get(component) ?? []).map((m) => ({ start: m.start.getTime(), end: m.end.getTime() }));
    const { down, covered, coveredList } = quorumFigures(
      withData.map((v) => timeline(v.checks, intervalMs, windowFrom, now)),
      { quorum: options.quorum, cuts },
    );

    // Now: each vantage point's newest result per check.
    const latest: VantageResult[] = withData.flatMap((v) =>
      v.checks.map((c) => {
        const error = c.last.error === undefined ? undefined : readerSafe(c.last.error);
        return {
          vantage: v.vantage,
          domain: c.domain,
          check: c.check,
          at: c.last.at,
          ok: c.last.ok,
          ms: c.last.ms,
          ...(error ? { error } : {}),
          stale: !isFresh(c.last.at),
          ahead: ahead(c.last.at),
        };
      }),
    );
    // A check that did not run (no probe account, a "." SRV target) is no
    // result: it neither fails a location nor makes its data fresh, so a
    // component whose checks all did not run reads "unknown", never "down".
    const ran = (c: (typeof withData)[number]['checks'][number]) => !c.last.notRun;
    const fresh = withData.filter((v) => v.checks.some(ran) && v.checks.filter(ran).every((c) => isFresh(c.last.at)));
    const failingNow = fresh.filter((v) => v.checks.some((c) => ran(c) && !c.last.ok));
    let verdict: ComponentMonitoring['verdict'] = 'unknown';
    let note: string | undefined;
    if (fresh.length > 0) {
      verdict = failingNow.length > options.quorum * fresh.length ? 'down' : 'up';
      if (verdict === 'up' && failingNow.length > 0) {
        note = `${failingNow.length} of ${fresh.length} location${fresh.length === 1 ? '' : 's'} (${failingNow.map((v) => v.vantage).join(', ')}) sees failures`;
      }
    }

    const today = Math.floor(now / DAY) * DAY;
    const days: DayBar[] = Array.from({ length: 90 }, (_, k) => {
      const start = today - (89 - k) * DAY;
      const end = Math.min(start + DAY, now);
      return { date: new Date(start).toISOString().slice(0, 10), uptime: uptimeOver(down, covered, start, end), downMinutes: Math.round(down.measure(start, end) / MINUTE) };
    });

    // Covered time starts inside the window, so this is at most 4 months.
    const months = monthlySla(down, covered, coveredList[0]?.start, { from: windowFrom, now, slaTarget: options.slaTarget });

    // Response times per day of the window, grouped in one pass.
    const byDate = new Map<string, { p50: number[]; p95: number }>();
    const firstDate = new Date(windowFrom).toISOString().slice(0, 10);
    const lastDate = new Date(now).toISOString().slice(0, 10);
    for (const v of withData) {
      for (const c of v.checks) {
        const add = (date: string, p50: number | null, p95: number | null) => {
          if (date < firstDate || date > lastDate || p50 === null || p95 === null) return;
          const entry = byDate.get(date) ?? { p50: [], p95: 0 };
          entry.p50.push(p50);
          entry.p95 = Math.max(entry.p95, p95);
          byDate.set(date, entry);
        };
        for (const d of c.days) add(d.date, d.p50, d.p95);
        if (c.columns) for (const r of columnRows(c.columns)) add(dateOf(r.day), r.p50, r.p95);
      }
    }
    const responseTimes = [...byDate.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([date, e]) => ({ date, p50: Math.round(median(e.p50)), p95: Math.round(e.p95) }));

    const certs = withData.flatMap((v) => v.checks.filter((c) => c.cert).map((c) => ({ at: at(c.last.at), cert: c.cert! })));
    const newest = certs.sort((a, b) => b.at - a.at)[0]?.cert;
    // An expiry that cannot be read is a warning, never silence.
    const expiry = newest?.validTo ? at(newest.validTo) : NaN;
    const cert = newest
      ? {
          validTo: Number.isFinite(expiry) ? newest.validTo : null,
          daysLeft: Number.isFinite(expiry) ? Math.floor((expiry - now) / DAY) : null,
          issuer: newest.issuer,
          trusted: newest.trusted,
          identity: newest.identity,
        }
      : null;

    result.set(component, {
      verdict,
      ...(note ? { note } : {}),
      reporting: fresh.length,
      uptime: {
        '24h': uptimeOver(down, covered, now - DAY, now),
        '7d': uptimeOver(down, covered, now - 7 * DAY, now),
        '30d': uptimeOver(down, covered, now - 30 * DAY, now),
        '90d': uptimeOver(down, covered, now - 90 * DAY, now),
      },
      days,
      months,
      responseTimes,
      latest,
      cert,
    });
  }
  return result;
}
