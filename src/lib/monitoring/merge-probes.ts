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
import { problemText, type ProbeCheck, type ProbeNotRun, type ProbeSummary, type SummaryCheck } from '../schemas.ts';
import { columnRows, dateOf } from './day-rows.ts';
import { DAY_MS, MINUTE_MS, isoDay, parseInstant } from './instant.ts';
import { MAX_CLOCK_SKEW_MS, windowStart } from './limits.ts';
import { median } from './median.ts';
import { monthlySla, quorumFigures, vantageTimeline, uptimeOver, type MonthSla, type QuorumFigures } from './quorum.ts';
import { readerSafe } from './reader-text.ts';

// The interval and quorum library used to live here; these names are kept
// for the modules and tests that import them from merge-probes.ts.
export { parseInstant };
export { IntervalIndex, measure, mergeIntervals, subtract, type Interval } from './intervals.ts';
export {
  monthlySla,
  quorumDowntime,
  quorumFigures,
  rowSpan,
  spanTimeline,
  vantageTimeline,
  uptimeOver,
  type DaySpan,
  type MonthSla,
  type QuorumFigures,
  type VantageTimeline,
} from './quorum.ts';

export interface MergeOptions {
  now: Date;
  /** Seconds between probe runs, e.g. `60`; stale after twice this. */
  intervalSeconds: number;
  /** Fraction of reporting vantage points that must see a failure, e.g. `0.5` (strictly more than half). */
  quorum: number;
  /** SLA target in percent, e.g. `99.9`; without one (federation) no SLA months are computed. */
  slaTarget?: number;
  /** Windows cut out of uptime, per component id; none when absent. */
  maintenance?: ReadonlyMap<string, readonly { start: Date; end: Date }[]>;
}

/** Which checks of which domain stand for a component, e.g. c2s → jabber.org c2s-starttls. */
export type ComponentChecks = ReadonlyMap<string, readonly { domain: string; check: ProbeCheck }[]>;

export interface VantageResult {
  vantage: string;
  domain: string;
  check: ProbeCheck;
  at: string;
  ok: boolean;
  ms: number;
  /** Why it failed, made safe for readers (no paths, credentials or stack text). */
  error?: string;
  /**
   * Set when the newest check did not run (then `ok` is false and `error`
   * says why), e.g. `no-password`: shown as "not run", never as a failure.
   */
  notRun?: ProbeNotRun;
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

/** One component merged: what readers see, and the one quorum result it was read from. */
export interface MergedComponent {
  monitoring: ComponentMonitoring;
  /** Quorum down and covered time in the 90-day window, maintenance cut out. */
  quorum: QuorumFigures;
  /** Vantage points with any data on this component's checks in the window's summaries. */
  vantagesWithData: number;
}

/** One vantage point's checks that stand for one component. */
interface VantageChecks {
  vantage: string;
  checks: SummaryCheck[];
}

/** The instant and the staleness rules every step reads (epoch ms). */
interface Clock {
  now: number;
  intervalMs: number;
  windowFrom: number;
  /** Dated beyond the allowed skew after `now`: a probe host with a fast clock that then dies must not keep a component green for ever. */
  ahead: (iso: string) => boolean;
  /** Not older than twice the interval and not ahead. */
  isFresh: (iso: string) => boolean;
}

function clockOf(options: MergeOptions): Clock {
  const now = options.now.getTime();
  const intervalMs = options.intervalSeconds * 1000;
  const staleAfter = 2 * intervalMs;
  const ahead = (iso: string) => !(parseInstant(iso) <= now + MAX_CLOCK_SKEW_MS);
  return { now, intervalMs, windowFrom: windowStart(now), ahead, isFresh: (iso) => now - parseInstant(iso) <= staleAfter && !ahead(iso) };
}

/** One summary per vantage point, by name: the same vantage point twice (two copies of one summary) counts once, the newest. */
export function newestPerVantage(summaries: readonly ProbeSummary[]): ProbeSummary[] {
  const byVantage = new Map<string, ProbeSummary>();
  for (const s of summaries) {
    const known = byVantage.get(s.vantage);
    if (!known || parseInstant(s.generatedAt) > parseInstant(known.generatedAt)) byVantage.set(s.vantage, s);
  }
  return [...byVantage.values()].sort((a, b) => a.vantage.localeCompare(b.vantage));
}

/** Each vantage point's checks that stand for the component; vantage points without any are left out. */
function checksWithData(vantages: readonly ProbeSummary[], wanted: readonly { domain: string; check: ProbeCheck }[]): VantageChecks[] {
  const wantedKeys = new Set(wanted.map((w) => `${w.domain}|${w.check}`));
  return vantages
    .map((s) => ({ vantage: s.vantage, checks: s.checks.filter((c) => wantedKeys.has(`${c.domain}|${c.check}`)) }))
    .filter((v) => v.checks.length > 0);
}

/** Now: each vantage point's newest result per check. */
function latestResults(withData: readonly VantageChecks[], clock: Clock): VantageResult[] {
  return withData.flatMap((v) =>
    v.checks.map((c) => {
      const text = problemText(c.last.problems);
      const error = text === undefined ? undefined : readerSafe(text);
      return {
        vantage: v.vantage,
        domain: c.domain,
        check: c.check,
        at: c.last.at,
        ok: c.last.ok,
        ms: c.last.ms,
        ...(error ? { error } : {}),
        ...(c.last.notRun ? { notRun: c.last.notRun } : {}),
        stale: !clock.isFresh(c.last.at),
        ahead: clock.ahead(c.last.at),
      };
    }),
  );
}

/**
 * The verdict now, from the vantage points with fresh data: `down` when more
 * than `quorum` of them see a failure, a note when some but fewer do,
 * `unknown` without any fresh one.
 */
function currentVerdict(withData: readonly VantageChecks[], clock: Clock, quorum: number): Pick<ComponentMonitoring, 'verdict' | 'note' | 'reporting'> {
  // A check that did not run (no probe account, a "." SRV target) is no
  // result: it neither fails a location nor makes its data fresh, so a
  // component whose checks all did not run reads "unknown", never "down".
  const ran = (c: SummaryCheck) => !c.last.notRun;
  const fresh = withData.filter((v) => v.checks.some(ran) && v.checks.filter(ran).every((c) => clock.isFresh(c.last.at)));
  const failingNow = fresh.filter((v) => v.checks.some((c) => ran(c) && !c.last.ok));
  let verdict: ComponentMonitoring['verdict'] = 'unknown';
  let note: string | undefined;
  if (fresh.length > 0) {
    verdict = failingNow.length > quorum * fresh.length ? 'down' : 'up';
    if (verdict === 'up' && failingNow.length > 0) {
      note = `${failingNow.length} of ${fresh.length} location${fresh.length === 1 ? '' : 's'} (${failingNow.map((v) => v.vantage).join(', ')}) sees failures`;
    }
  }
  return { verdict, ...(note ? { note } : {}), reporting: fresh.length };
}

/** One bar per UTC day of the last 90, today last (cut at `now`). */
function dayBars(q: QuorumFigures, now: number): DayBar[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return Array.from({ length: 90 }, (_, k) => {
    const start = today - (89 - k) * DAY_MS;
    const end = Math.min(start + DAY_MS, now);
    return { date: isoDay(start), uptime: uptimeOver(q.down, q.covered, start, end), downMinutes: Math.round(q.down.measure(start, end) / MINUTE_MS) };
  });
}

/** Uptime over the last 24 hours, 7, 30 and 90 days. */
function uptimeWindows(q: QuorumFigures, now: number): ComponentMonitoring['uptime'] {
  const over = (days: number) => uptimeOver(q.down, q.covered, now - days * DAY_MS, now);
  return { '24h': over(1), '7d': over(7), '30d': over(30), '90d': over(90) };
}

/** Response times per day of the window, grouped in one pass: the median p50 and the highest p95 across vantage points. */
function responseTimes(withData: readonly VantageChecks[], clock: Clock): ComponentMonitoring['responseTimes'] {
  const byDate = new Map<string, { p50: number[]; p95: number }>();
  const firstDate = isoDay(clock.windowFrom);
  const lastDate = isoDay(clock.now);
  const add = (date: string, p50: number | null, p95: number | null) => {
    if (date < firstDate || date > lastDate || p50 === null || p95 === null) return;
    const entry = byDate.get(date) ?? { p50: [], p95: 0 };
    entry.p50.push(p50);
    entry.p95 = Math.max(entry.p95, p95);
    byDate.set(date, entry);
  };
  for (const v of withData) {
    for (const c of v.checks) {
      for (const d of c.days) add(d.date, d.p50, d.p95);
      if (c.columns) for (const r of columnRows(c.columns)) add(dateOf(r.day), r.p50, r.p95);
    }
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, e]) => ({ date, p50: Math.round(median(e.p50)), p95: Math.round(e.p95) }));
}

/** The newest certificate any vantage point saw for the component. */
function newestCertificate(withData: readonly VantageChecks[], now: number): ComponentMonitoring['cert'] {
  const at = (iso: string) => Date.parse(iso);
  const certs = withData.flatMap((v) => v.checks.filter((c) => c.cert).map((c) => ({ at: at(c.last.at), cert: c.cert! })));
  const newest = certs.sort((a, b) => b.at - a.at)[0]?.cert;
  // An expiry that cannot be read is a warning, never silence.
  const expiry = newest?.validTo ? at(newest.validTo) : NaN;
  return newest
    ? {
        validTo: Number.isFinite(expiry) ? newest.validTo : null,
        daysLeft: Number.isFinite(expiry) ? Math.floor((expiry - now) / DAY_MS) : null,
        issuer: newest.issuer,
        trusted: newest.trusted,
        identity: newest.identity,
      }
    : null;
}

/**
 * Merges every vantage point's summary for every mapped component, keeping
 * the quorum result each component was read from (federation and the
 * directory read it for "since when" and testing time).
 * @param summaries one per vantage point (order does not matter)
 */
export function mergeComponents(summaries: readonly ProbeSummary[], mapping: ComponentChecks, options: MergeOptions): Map<string, MergedComponent> {
  const clock = clockOf(options);
  const vantages = newestPerVantage(summaries);
  const result = new Map<string, MergedComponent>();
  for (const [component, wanted] of mapping) {
    const withData = checksWithData(vantages, wanted);
    const cuts = (options.maintenance?.get(component) ?? []).map((m) => ({ start: m.start.getTime(), end: m.end.getTime() }));
    const q = quorumFigures(
      withData.map((v) => vantageTimeline(v.checks, clock.intervalMs, clock.windowFrom, clock.now)),
      { quorum: options.quorum, cuts },
    );
    const monitoring: ComponentMonitoring = {
      ...currentVerdict(withData, clock, options.quorum),
      uptime: uptimeWindows(q, clock.now),
      days: dayBars(q, clock.now),
      // Covered time starts inside the window, so this is at most 4 months.
      months:
        options.slaTarget === undefined
          ? []
          : monthlySla(q.down, q.covered, q.coveredList[0]?.start, { from: clock.windowFrom, now: clock.now, slaTarget: options.slaTarget }),
      responseTimes: responseTimes(withData, clock),
      latest: latestResults(withData, clock),
      cert: newestCertificate(withData, clock.now),
    };
    result.set(component, { monitoring, quorum: q, vantagesWithData: withData.length });
  }
  return result;
}

/**
 * What readers see of every mapped component (`mergeComponents` without
 * the quorum result).
 * @param summaries one per vantage point (order does not matter)
 */
export function mergeProbes(summaries: readonly ProbeSummary[], mapping: ComponentChecks, options: MergeOptions): Map<string, ComponentMonitoring> {
  return new Map([...mergeComponents(summaries, mapping, options)].map(([id, m]) => [id, m.monitoring]));
}
