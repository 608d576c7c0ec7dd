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
 */
import type { ProbeCheck, ProbeSummary, SummaryCheck } from '../schemas.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;

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
  error?: string;
  /** Older than twice the interval. */
  stale: boolean;
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
  cert: { validTo: string; daysLeft: number; issuer: string; trusted: boolean; identity: string | null } | null;
}

/** Merges overlapping intervals; input in any order. */
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

/** Total length of the union of intervals, clipped to [from, to). */
export function measure(intervals: readonly Interval[], from: number, to: number): number {
  return mergeIntervals(intervals).reduce((sum, i) => sum + Math.max(0, Math.min(i.end, to) - Math.max(i.start, from)), 0);
}

/** Removes `cuts` from `intervals`. */
export function subtract(intervals: readonly Interval[], cuts: readonly Interval[]): Interval[] {
  let out = mergeIntervals(intervals);
  for (const cut of mergeIntervals(cuts)) {
    out = out.flatMap((i) => {
      if (cut.end <= i.start || cut.start >= i.end) return [i];
      const parts: Interval[] = [];
      if (cut.start > i.start) parts.push({ start: i.start, end: cut.start });
      if (cut.end < i.end) parts.push({ start: cut.end, end: i.end });
      return parts;
    });
  }
  return out;
}

interface VantageTimeline {
  /** When this vantage point had data: each day from its first sample to one interval after its last. */
  covered: Interval[];
  /** When it saw the component fail (any mapped check in an outage run). */
  failing: Interval[];
}

function timeline(checks: readonly SummaryCheck[], intervalMs: number): VantageTimeline {
  const covered: Interval[] = [];
  const failing: Interval[] = [];
  for (const c of checks) {
    for (const d of c.days) {
      if (d.samples === 0) continue;
      const dayEnd = Date.parse(`${d.date}T00:00:00Z`) + DAY;
      covered.push({ start: Date.parse(d.first), end: Math.min(dayEnd, Date.parse(d.last) + intervalMs) });
      for (const [from, to] of d.outages) {
        const s = Date.parse(from);
        // A run with no success after it lasts at least one probe interval.
        const e = Math.max(Date.parse(to), s + intervalMs);
        failing.push({ start: s, end: e });
      }
    }
  }
  return { covered: mergeIntervals(covered), failing: mergeIntervals(failing) };
}

/**
 * Instants where more than `quorum` of the vantage points covering them saw a
 * failure, and the instants any vantage point covered. Sweep over all
 * interval edges: between two edges the counts are constant.
 */
export function quorumDowntime(timelines: readonly VantageTimeline[], quorum: number): { down: Interval[]; covered: Interval[] } {
  const edges = [...new Set(timelines.flatMap((t) => [...t.covered, ...t.failing].flatMap((i) => [i.start, i.end])))].sort((a, b) => a - b);
  const inside = (list: Interval[], a: number, b: number) => list.some((i) => i.start <= a && i.end >= b);
  const down: Interval[] = [];
  const covered: Interval[] = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const a = edges[k]!;
    const b = edges[k + 1]!;
    const reporting = timelines.filter((t) => inside(t.covered, a, b));
    if (reporting.length === 0) continue;
    covered.push({ start: a, end: b });
    const failing = reporting.filter((t) => inside(t.failing, a, b)).length;
    if (failing > quorum * reporting.length) down.push({ start: a, end: b });
  }
  return { down: mergeIntervals(down), covered: mergeIntervals(covered) };
}

function uptimeOver(down: Interval[], covered: Interval[], from: number, to: number): number | null {
  const total = measure(covered, from, to);
  if (total <= 0) return null;
  const lost = measure(down, from, to);
  return Math.min(100, Math.max(0, 100 * (1 - lost / total)));
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

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
    if (!known || s.generatedAt > known.generatedAt) byVantage.set(s.vantage, s);
  }
  const vantages = [...byVantage.values()].sort((a, b) => a.vantage.localeCompare(b.vantage));
  const result = new Map<string, ComponentMonitoring>();

  for (const [component, wanted] of mapping) {
    const perVantage = vantages.map((s) => ({
      vantage: s.vantage,
      checks: s.checks.filter((c) => wanted.some((w) => w.domain === c.domain && w.check === c.check)),
    }));
    const withData = perVantage.filter((v) => v.checks.length > 0);
    const cuts = (options.maintenance.get(component) ?? []).map((m) => ({ start: m.start.getTime(), end: m.end.getTime() }));
    const timelines = withData.map((v) => timeline(v.checks, intervalMs));
    const raw = quorumDowntime(timelines, options.quorum);
    const down = subtract(raw.down, cuts);
    const covered = subtract(raw.covered, cuts);

    // Now: each vantage point's newest result per check.
    const latest: VantageResult[] = withData.flatMap((v) =>
      v.checks.map((c) => ({
        vantage: v.vantage,
        domain: c.domain,
        check: c.check,
        at: c.last.at,
        ok: c.last.ok,
        ms: c.last.ms,
        ...(c.last.error ? { error: c.last.error } : {}),
        stale: now - Date.parse(c.last.at) > staleAfter,
      })),
    );
    const fresh = withData.filter((v) => v.checks.length > 0 && v.checks.every((c) => now - Date.parse(c.last.at) <= staleAfter));
    const failingNow = fresh.filter((v) => v.checks.some((c) => !c.last.ok));
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
      return { date: new Date(start).toISOString().slice(0, 10), uptime: uptimeOver(down, covered, start, end), downMinutes: Math.round(measure(down, start, end) / MINUTE) };
    });

    const months: MonthSla[] = [];
    const first = covered[0]?.start;
    if (first !== undefined) {
      const cursor = new Date(first);
      let y = cursor.getUTCFullYear();
      let m = cursor.getUTCMonth();
      for (;;) {
        const start = Date.UTC(y, m, 1);
        if (start > now) break;
        const end = Date.UTC(y, m + 1, 1);
        const budgetMinutes = ((end - start) / MINUTE) * (1 - options.slaTarget / 100);
        const downMinutes = measure(down, start, Math.min(end, now)) / MINUTE;
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
    }

    const dates = [...new Set(withData.flatMap((v) => v.checks.flatMap((c) => c.days.map((d) => d.date))))].sort();
    const responseTimes = dates.flatMap((date) => {
      const ds = withData.flatMap((v) => v.checks.flatMap((c) => c.days.filter((d) => d.date === date && d.p50 !== null && d.p95 !== null)));
      return ds.length ? [{ date, p50: Math.round(median(ds.map((d) => d.p50!))), p95: Math.round(Math.max(...ds.map((d) => d.p95!))) }] : [];
    });

    const certs = withData.flatMap((v) => v.checks.filter((c) => c.cert).map((c) => ({ at: c.last.at, cert: c.cert! })));
    const newest = certs.sort((a, b) => b.at.localeCompare(a.at))[0]?.cert;
    const cert = newest
      ? { validTo: newest.validTo, daysLeft: Math.floor((Date.parse(newest.validTo) - now) / DAY), issuer: newest.issuer, trusted: newest.trusted, identity: newest.identity }
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
