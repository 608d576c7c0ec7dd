/**
 * Rolls one vantage point's raw probe records into a compact summary
 * (`ProbeSummarySchema`): per check and UTC day, samples, successes,
 * response-time percentiles and outage runs; the last 48 hours at full
 * resolution; the newest certificate facts.
 *
 * Streaming: records are added one at a time, and a day's raw samples are
 * dropped as soon as the day is sealed (`sealDay`, after its file is read),
 * so memory is bounded by one day, not the whole history.
 *
 * Bounded output (issue 10): only the 90-day window before `now` is kept;
 * the 48-hour window is written as runs of slots that had samples, so a
 * check's size follows its data; and at most `MAX_SUMMARY_CHECKS` (domain,
 * check) pairs are accepted; one more throws `SummaryLimitError`, naming
 * the limit and how to split the input.
 */
import { toIsoUtc } from '../shared/time.ts';
import { SUMMARY_VERSION, type CertFacts, type ProbeRecord, type ProbeSummary, type SummaryCert, type SummaryCheck, type SummaryDay } from '../schemas.ts';
import { MAX_SUMMARY_CHECKS, windowStart } from './limits.ts';
import { CertRunTracker } from './cert-runs.ts';
import { checkRows, rowsToColumns } from './day-rows.ts';
import { parseInstant } from './instant.ts';

export const RECENT_HOURS = 48;
export const RECENT_STEP_SECONDS = 60;
export const SUMMARY_GENERATOR = 'jabber-org-status probe:summary';

interface Raw {
  at: number;
  ok: boolean;
  ms: number;
  target: string;
}

interface CheckState {
  domain: string;
  check: ProbeRecord['check'];
  open: Map<string, Raw[]>;
  sealed: Map<string, SummaryDay>;
  recent: Map<number, number>;
  last?: ProbeRecord;
  cert?: { at: number; facts: CertFacts };
  /** Issue 30: the certificate at each target, with its run and what came before. */
  certRuns: CertRunTracker;
}

const iso = (ms: number) => toIsoUtc(new Date(ms));

/** Thrown when the input holds more (domain, check) pairs than a summary may; the message says how to split it. */
export class SummaryLimitError extends Error {
  constructor(vantage: string, limit: number) {
    super(
      `the raw logs of "${vantage}" hold more than ${limit} distinct domain/check pairs, the most one summary may hold ` +
        `(the build reads every summary whole). Summarise fewer domains per file with --domain NAME (repeatable), ` +
        `or probe fewer domains from this host`,
    );
    this.name = 'SummaryLimitError';
  }
}

/** What `SummaryBuilder.add` did with a record. */
export type AddOutcome = 'added' | 'other-vantage' | 'other-domain' | 'before-window' | 'future';

export interface SummaryBuilderOptions {
  /** Most (domain, check) pairs, default `MAX_SUMMARY_CHECKS` (400). */
  maxChecks?: number;
  /** Only these domains, e.g. `['jabber.org']`; all when absent. */
  domains?: readonly string[];
  /** Keep every day, not only the 90-day window: for rebuilding the history store from raw logs (`npm run history -- rebuild`, issue 29). */
  allDays?: boolean;
}

/** A certificate's dates as the summary stores them: real instants, or null when the probe wrote something else. */
export function summaryCert(facts: CertFacts): SummaryCert {
  const instant = (s: string) => {
    const t = Date.parse(s);
    return /^\d{4}-\d{2}-\d{2}T/.test(s) && Number.isFinite(t) ? iso(t) : null;
  };
  return { ...facts, validFrom: instant(facts.validFrom), validTo: instant(facts.validTo) };
}

/**
 * The 48-hour slots as runs of consecutive slots with a value.
 * @example toRuns(new Map([[0, 80], [1, -1], [7, 90]])) // [[0, [80, -1]], [7, [90]]]
 */
export function toRuns(slots: ReadonlyMap<number, number>): [number, number[]][] {
  const keys = [...slots.keys()].sort((a, b) => a - b);
  const runs: [number, number[]][] = [];
  for (const k of keys) {
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1].length === k) last[1].push(slots.get(k)!);
    else runs.push([k, [slots.get(k)!]]);
  }
  return runs;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Summarises one day's samples; `raw` may be unsorted and hold duplicates. */
export function summariseDay(date: string, raw: readonly Raw[]): SummaryDay {
  const unique = new Map<string, Raw>();
  for (const r of raw) unique.set(`${r.at}|${r.target}`, r);
  const samples = [...unique.values()].sort((a, b) => a.at - b.at || a.target.localeCompare(b.target));
  const okMs = samples
    .filter((s) => s.ok)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  const outages: [string, string][] = [];
  let start: number | undefined;
  let lastFail = 0;
  for (const s of samples) {
    if (!s.ok) {
      start ??= s.at;
      lastFail = s.at;
    } else if (start !== undefined) {
      outages.push([iso(start), iso(s.at)]);
      start = undefined;
    }
  }
  if (start !== undefined) outages.push([iso(start), iso(lastFail)]);
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    date,
    samples: samples.length,
    ok: okMs.length,
    first: iso(samples[0]?.at ?? parseInstant(`${date}T00:00:00Z`)),
    last: iso(samples[samples.length - 1]?.at ?? parseInstant(`${date}T00:00:00Z`)),
    p50: round(percentile(okMs, 50)),
    p95: round(percentile(okMs, 95)),
    p99: round(percentile(okMs, 99)),
    outages,
  };
}

export class SummaryBuilder {
  private readonly checks = new Map<string, CheckState>();
  private readonly recentFrom: number;
  private readonly windowFrom: number;
  private readonly now: number;
  private readonly vantage: string;
  private readonly maxChecks: number;
  private readonly domains: ReadonlySet<string> | null;

  /**
   * @param now the summary's `generatedAt`; the recent window is the 48 h before it, the day window the 90 days before it
   */
  constructor(vantage: string, now: Date, options: SummaryBuilderOptions = {}) {
    this.vantage = vantage;
    this.now = now.getTime();
    const step = RECENT_STEP_SECONDS * 1000;
    this.recentFrom = Math.floor((this.now - RECENT_HOURS * 3_600_000) / step) * step;
    this.windowFrom = options.allDays ? -Infinity : windowStart(this.now);
    this.maxChecks = options.maxChecks ?? MAX_SUMMARY_CHECKS;
    this.domains = options.domains?.length ? new Set(options.domains) : null;
  }

  /** First day (`YYYY-MM-DD`) the summary keeps; older day files need not be read. */
  get firstDate(): string {
    return Number.isFinite(this.windowFrom) ? iso(this.windowFrom).slice(0, 10) : '0000-00-00';
  }

  /**
   * Adds one record; records of other vantage points, other domains (when
   * filtered), older than the window or from the future are not counted.
   * @throws SummaryLimitError for one (domain, check) pair too many
   */
  add(record: ProbeRecord): AddOutcome {
    if (record.vantage !== this.vantage) return 'other-vantage';
    if (this.domains && !this.domains.has(record.domain)) return 'other-domain';
    const at = parseInstant(record.at);
    if (at > this.now) return 'future'; // clock skew: not counted
    if (at < this.windowFrom) return 'before-window';
    // Federation pings (issue 17) are kept per remote server: the summary's
    // `domain` is the server pinged (`target`), so every reader of
    // domain + check (merge-probes.ts) sees one series per remote server.
    const domain = record.check === 'federation' ? record.target.toLowerCase() : record.domain;
    const key = `${domain}|${record.check}`;
    let state = this.checks.get(key);
    if (!state) {
      if (this.checks.size >= this.maxChecks) throw new SummaryLimitError(this.vantage, this.maxChecks);
      state = { domain, check: record.check, open: new Map(), sealed: new Map(), recent: new Map(), certRuns: new CertRunTracker() };
      this.checks.set(key, state);
    }
    // A check that did not run neither passed nor failed: not a sample, but
    // the newest state, so readers see "not run" (last.notRun) and not a gap.
    if (record.notRun) {
      if (!state.last || at >= parseInstant(state.last.at)) state.last = record;
      return 'added';
    }
    const date = iso(at).slice(0, 10);
    // A late record for an already sealed day opens a new partial day that
    // sealDay merges into the first (see mergeDays).
    let day = state.open.get(date);
    if (!day) state.open.set(date, (day = []));
    day.push({ at, ok: record.ok === true, ms: record.ms, target: record.target });
    if (at >= this.recentFrom) {
      const slot = Math.floor((at - this.recentFrom) / (RECENT_STEP_SECONDS * 1000));
      const previous = state.recent.get(slot);
      const value = record.ok ? Math.round(record.ms) : -1;
      state.recent.set(slot, previous === undefined ? value : previous === -1 || value === -1 ? -1 : Math.max(previous, value));
    }
    if (!state.last || at >= parseInstant(state.last.at)) state.last = record;
    const cert = record.detail.cert;
    if (cert && (!state.cert || at >= state.cert.at)) state.cert = { at, facts: cert };
    if (cert) state.certRuns.add(record.target, at, cert, record.detail.dane);
    return 'added';
  }

  /** Finishes a day's statistics and frees its raw samples. */
  sealDay(date: string): void {
    for (const state of this.checks.values()) {
      const raw = state.open.get(date);
      if (!raw) continue;
      const earlier = state.sealed.get(date);
      const summary = summariseDay(date, raw);
      state.sealed.set(date, earlier ? mergeDays(earlier, summary) : summary);
      state.open.delete(date);
    }
  }

  finish(): ProbeSummary {
    for (const state of this.checks.values()) for (const date of Array.from(state.open.keys())) this.sealDay(date); // a copy: sealDay deletes from the map
    const checks: SummaryCheck[] = [...this.checks.values()]
      .filter((s) => s.last)
      .sort((a, b) => a.domain.localeCompare(b.domain) || a.check.localeCompare(b.check))
      .map((s) => ({
        domain: s.domain,
        check: s.check,
        days: [...s.sealed.values()].sort((a, b) => a.date.localeCompare(b.date)),
        recent: { from: iso(this.recentFrom), step: RECENT_STEP_SECONDS, runs: toRuns(s.recent) },
        last: {
          at: s.last!.at,
          ok: s.last!.ok === true,
          ms: s.last!.ms,
          target: s.last!.target,
          ...(s.last!.problems?.length ? { problems: s.last!.problems } : {}),
          ...(s.last!.notRun ? { notRun: s.last!.notRun } : {}),
        },
        cert: s.cert ? summaryCert(s.cert.facts) : null,
        ...(s.certRuns.size ? { certs: s.certRuns.finish(this.now - RECENT_HOURS * 3_600_000, summaryCert) } : {}),
      }));
    return { v: SUMMARY_VERSION, generator: SUMMARY_GENERATOR, generatedAt: iso(this.now), vantage: this.vantage, checks };
  }
}

/** Combines two partial summaries of the same day (a late file); percentiles are approximated by the larger sample. */
function mergeDays(a: SummaryDay, b: SummaryDay): SummaryDay {
  const bigger = a.samples >= b.samples ? a : b;
  return {
    ...bigger,
    samples: a.samples + b.samples,
    ok: a.ok + b.ok,
    first: a.first < b.first ? a.first : b.first,
    last: a.last > b.last ? a.last : b.last,
    outages: [...a.outages, ...b.outages].sort((x, y) => x[0].localeCompare(y[0])),
  };
}

/**
 * The compact form of a summary (format 2 before issue 24, now 3 like the full form; issue 29): each check's days as
 * columns and no 48-hour minute block, which no page reads. For the
 * directory's hundreds of services (`npm run probe:summary -- --compact`):
 * about a tenth of the bytes, and the build holds no object per day.
 */
export function compactSummary(summary: ProbeSummary): ProbeSummary {
  return {
    ...summary,
    v: SUMMARY_VERSION,
    checks: summary.checks.map(({ recent: _recent, days, columns, ...rest }) => {
      const rows = [...checkRows({ ...rest, days, ...(columns ? { columns } : {}) })].sort((a, b) => a.day - b.day);
      // Columns hold one entry per day; a (hostile) summary listing a day twice keeps its last copy.
      const unique = rows.filter((r, i) => i === rows.length - 1 || rows[i + 1]!.day !== r.day);
      return { ...rest, days: [], ...(unique.length ? { columns: rowsToColumns(unique) } : {}) };
    }),
  };
}
