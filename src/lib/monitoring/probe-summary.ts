/**
 * Rolls one vantage point's raw probe records into a compact summary
 * (`ProbeSummarySchema`): per check and UTC day, samples, successes,
 * response-time percentiles and outage runs; the last 48 hours at full
 * resolution; the newest certificate facts.
 *
 * Streaming: records are added one at a time, and a day's raw samples are
 * dropped as soon as the day is sealed (`sealDay`, after its file is read),
 * so memory is bounded by one day, not the whole history.
 */
import { toIsoUtc } from '../shared/time.ts';
import type { CertFacts, ProbeRecord, ProbeSummary, SummaryCheck, SummaryDay } from '../schemas.ts';

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
}

const iso = (ms: number) => toIsoUtc(new Date(ms));

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
  const okMs = samples.filter((s) => s.ok).map((s) => s.ms).sort((a, b) => a - b);
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
    first: iso(samples[0]?.at ?? Date.parse(`${date}T00:00:00Z`)),
    last: iso(samples[samples.length - 1]?.at ?? Date.parse(`${date}T00:00:00Z`)),
    p50: round(percentile(okMs, 50)),
    p95: round(percentile(okMs, 95)),
    p99: round(percentile(okMs, 99)),
    outages,
  };
}

export class SummaryBuilder {
  private readonly checks = new Map<string, CheckState>();
  private readonly recentFrom: number;
  private readonly now: number;
  private readonly vantage: string;

  /**
   * @param now the summary's `generatedAt`; the recent window is the 48 h before it
   */
  constructor(vantage: string, now: Date) {
    this.vantage = vantage;
    this.now = now.getTime();
    const step = RECENT_STEP_SECONDS * 1000;
    this.recentFrom = Math.floor((this.now - RECENT_HOURS * 3_600_000) / step) * step;
  }

  /** Adds one record; records of other vantage points are ignored. */
  add(record: ProbeRecord): void {
    if (record.vantage !== this.vantage) return;
    const key = `${record.domain}|${record.check}`;
    let state = this.checks.get(key);
    if (!state) {
      state = { domain: record.domain, check: record.check, open: new Map(), sealed: new Map(), recent: new Map() };
      this.checks.set(key, state);
    }
    const at = Date.parse(record.at);
    if (at > this.now) return; // from the future (clock skew): not counted
    const date = record.at.slice(0, 10);
    // A late record for an already sealed day opens a new partial day that
    // sealDay merges into the first (see mergeDays).
    let day = state.open.get(date);
    if (!day) state.open.set(date, (day = []));
    day.push({ at, ok: record.ok, ms: record.ms, target: record.target });
    if (at >= this.recentFrom) {
      const slot = Math.floor((at - this.recentFrom) / (RECENT_STEP_SECONDS * 1000));
      const previous = state.recent.get(slot);
      const value = record.ok ? Math.round(record.ms) : -1;
      state.recent.set(slot, previous === undefined ? value : previous === -1 || value === -1 ? -1 : Math.max(previous, value));
    }
    if (!state.last || at >= Date.parse(state.last.at)) state.last = record;
    const cert = record.detail.cert;
    if (cert && (!state.cert || at >= state.cert.at)) state.cert = { at, facts: cert };
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
    for (const state of this.checks.values()) for (const date of [...state.open.keys()]) this.sealDay(date);
    const slots = Math.floor((this.now - this.recentFrom) / (RECENT_STEP_SECONDS * 1000));
    const checks: SummaryCheck[] = [...this.checks.values()]
      .filter((s) => s.last)
      .sort((a, b) => a.domain.localeCompare(b.domain) || a.check.localeCompare(b.check))
      .map((s) => ({
        domain: s.domain,
        check: s.check,
        days: [...s.sealed.values()].sort((a, b) => a.date.localeCompare(b.date)),
        recent: { from: iso(this.recentFrom), step: RECENT_STEP_SECONDS, values: Array.from({ length: slots }, (_, i) => s.recent.get(i) ?? null) },
        last: { at: s.last!.at, ok: s.last!.ok, ms: s.last!.ms, target: s.last!.target, ...(s.last!.error ? { error: s.last!.error } : {}) },
        cert: s.cert?.facts ?? null,
      }));
    return { v: 1, generator: SUMMARY_GENERATOR, generatedAt: iso(this.now), vantage: this.vantage, checks };
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
