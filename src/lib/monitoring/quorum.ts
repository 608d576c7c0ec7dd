/**
 * The quorum rule, once: each vantage point's covered and failing time
 * (`vantageTimeline`), the time more than `quorum` of them saw a failure
 * (`quorumDowntime`), maintenance cut out (`quorumFigures`), and what the
 * figures say over a range (`uptimeOver`, `monthlySla`). The 90-day merge
 * (merge-probes.ts), the history kept forever (history-store.ts),
 * federation and the directory all count with these, so they say the same
 * of the same data. Pure; instants are epoch ms (instant.ts).
 */
import type { SummaryCheck } from '../schemas.ts';
import { columnRows, type DayRow } from './day-rows.ts';
import { DAY_MS, MINUTE_MS, parseInstant } from './instant.ts';
import { IntervalIndex, isMerged, mergeIntervals, subtract, type Interval } from './intervals.ts';

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
  const start = r.day * DAY_MS;
  return { dayStart: start, first: start + r.first * 1000, last: start + r.last * 1000, outages: r.outages.map((s) => start + s * 1000) };
}

/**
 * One vantage point's covered and failing time, read only inside
 * [windowFrom, now] and with every instant clamped to its own UTC day, so a
 * day dated in year 0 or an outage run "lasting" a century cannot stretch
 * the page (issue 10).
 */
export function vantageTimeline(checks: readonly SummaryCheck[], intervalMs: number, windowFrom: number, now: number): VantageTimeline {
  return spanTimeline(summarySpans(checks), intervalMs, windowFrom, now);
}

/** `vantageTimeline` for days already read into instants (days with samples only). */
export function spanTimeline(spans: Iterable<DaySpan>, intervalMs: number, windowFrom: number, now: number): VantageTimeline {
  const covered: Interval[] = [];
  const failing: Interval[] = [];
  for (const d of spans) {
    const dayStart = d.dayStart;
    if (!(dayStart + DAY_MS > windowFrom && dayStart <= now)) continue;
    const lo = Math.max(dayStart, windowFrom);
    const hi = Math.min(dayStart + DAY_MS, now);
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

/**
 * Instants where more than `quorum` of the vantage points covering them saw a
 * failure, and the instants any vantage point covered. One sweep over the
 * interval edges, walking each vantage point's sorted lists side by side
 * (a k-way merge) and keeping, per vantage point, whether it covers and
 * whether it fails: O(n · v) for n edges and v vantage points, after the
 * O(n log n) sort of each list. The pairwise version took 282 s for 200,000
 * outage runs (issue 10). Both lists come back sorted and disjoint.
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

/**
 * The one quorum result of one component: its down and covered time, as
 * sorted lists and as indexes for range queries. Every figure of the merge
 * is read from it, and federation and the directory read it too instead of
 * running the quorum again.
 */
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
 * @param timelines one per vantage point that has data (`vantageTimeline` or `spanTimeline`)
 * @param range.cuts maintenance windows (ms), already chosen for the component
 */
export function quorumFigures(timelines: readonly VantageTimeline[], range: { quorum: number; cuts: readonly Interval[] }): QuorumFigures {
  const raw = quorumDowntime(timelines, range.quorum);
  const downList = subtract(raw.down, range.cuts);
  const coveredList = subtract(raw.covered, range.cuts);
  return { down: new IntervalIndex(downList), covered: new IntervalIndex(coveredList), downList, coveredList };
}

/** SLA figures of one calendar month. */
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

/**
 * SLA month by month, from the month of `firstCovered` (never before
 * `range.from`) to the month of `now`; empty when nothing was covered.
 * @param firstCovered first covered instant (ms), e.g. `coveredList[0]?.start`
 */
export function monthlySla(
  down: IntervalIndex,
  covered: IntervalIndex,
  firstCovered: number | undefined,
  range: { from: number; now: number; slaTarget: number },
): MonthSla[] {
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
    const budgetMinutes = ((end - start) / MINUTE_MS) * (1 - range.slaTarget / 100);
    const downMinutes = down.measure(start, Math.min(end, now)) / MINUTE_MS;
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
