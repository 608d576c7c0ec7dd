/**
 * Time intervals in epoch milliseconds (see instant.ts): the small library
 * the merge, the quorum, the history store, federation and the directory
 * all count with. Pure; every list a function returns is sorted and
 * disjoint unless it says otherwise.
 */

/** A half-open stretch of time [start, end), in epoch ms. */
export interface Interval {
  start: number;
  end: number;
}

/**
 * Merges overlapping intervals; input in any order. O(n log n).
 * @param slack join intervals at most this far apart too (ms), e.g. two
 *   probe intervals: summaries cut one long failure at midnight and end a
 *   run at its last failed sample, so the pieces of one failure stay one
 */
export function mergeIntervals(intervals: readonly Interval[], slack = 0): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start - last.end <= slack) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** True when the list is sorted and disjoint with gaps, as `mergeIntervals` returns it. */
export function isMerged(list: readonly Interval[]): boolean {
  for (let k = 0; k < list.length; k++) {
    if (!(list[k]!.end > list[k]!.start)) return false;
    if (k > 0 && !(list[k]!.start > list[k - 1]!.end)) return false;
  }
  return true;
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

/**
 * Start of the failure run going on at `t`: the interval that contains `t`
 * or ended within `slack` before it, joined with earlier ones less than
 * `slack` apart (summaries cut runs at midnight and end them at the last
 * failed sample, leaving one-interval gaps inside a long failure).
 * Undefined when nothing fails at `t`. Used for "since when" by federation
 * (a remote server's current failure) and the directory (a failing item).
 * @param list sorted and disjoint
 */
export function currentRunStart(list: readonly Interval[], t: number, slack: number): number | undefined {
  let k = list.length - 1;
  while (k >= 0 && list[k]!.start > t) k--;
  if (k < 0 || list[k]!.end < t - slack) return undefined;
  let start = list[k]!.start;
  while (k > 0 && list[k - 1]!.end >= start - slack) start = list[--k]!.start;
  return start;
}
