/**
 * What the policy reads, from either source of probe results:
 * - raw records of one probe run (`npm run policy`, the operator's
 *   self-test), which carry every finding (`detail`);
 * - the per-location summaries the site is built from, which carry each
 *   check's newest result and certificate, not the findings.
 * Both become `Observation`s: the newest result per location, check and target.
 */
import { SUMMARY_VERSION, type ProbeRecord, type ProbeSummary, type SummaryCheck } from '../schemas.ts';
import type { Observation } from './policy.ts';

const DAY = 86_400_000;

/** The newest record per location, check and target, as observations. */
export function observationsFromRecords(records: readonly ProbeRecord[], domain: string): Observation[] {
  const newest = new Map<string, ProbeRecord>();
  for (const r of records) {
    if (r.domain !== domain) continue;
    const key = `${r.vantage}|${r.check}|${r.target}`;
    const known = newest.get(key);
    if (!known || r.at >= known.at) newest.set(key, r);
  }
  return [...newest.values()].map((r) => ({
    check: r.check,
    vantage: r.vantage,
    at: r.at,
    target: r.target,
    ok: r.ok === true,
    problems: r.problems ?? [],
    ...(r.notRun ? { notRun: r.notRun } : {}),
    cert: r.detail.cert
      ? {
          issuer: r.detail.cert.issuer,
          validTo: r.detail.cert.validTo,
          daysLeft: r.detail.cert.daysLeft,
          trusted: r.detail.cert.trusted,
          identity: r.detail.cert.identity,
        }
      : null,
    detail: r.detail as Record<string, unknown>,
  }));
}

/**
 * Joins summaries that come from one location: a probe host that checks
 * more than 400 domain/check pairs writes several files (`--domain`), each
 * with the same `vantage`. The merge counts one summary per location, so
 * they are joined first; a pair in two files keeps the newer result.
 */
export function combineByVantage(summaries: readonly ProbeSummary[]): ProbeSummary[] {
  const byVantage = new Map<string, { generatedAt: string; generator: string; checks: Map<string, SummaryCheck> }>();
  for (const s of summaries) {
    let entry = byVantage.get(s.vantage);
    if (!entry) byVantage.set(s.vantage, (entry = { generatedAt: s.generatedAt, generator: s.generator, checks: new Map() }));
    if (s.generatedAt > entry.generatedAt) entry.generatedAt = s.generatedAt;
    for (const c of s.checks) {
      const key = `${c.domain}|${c.check}`;
      const known = entry.checks.get(key);
      if (!known || c.last.at > known.last.at) entry.checks.set(key, c);
    }
  }
  return [...byVantage.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([vantage, e]) => ({ v: SUMMARY_VERSION, generator: e.generator, generatedAt: e.generatedAt, vantage, checks: [...e.checks.values()] }));
}

/** Summaries indexed by domain, so 500 services do not each scan every summary. */
export type ChecksByDomain = Map<string, { vantage: string; check: SummaryCheck }[]>;

export function indexByDomain(summaries: readonly ProbeSummary[]): ChecksByDomain {
  const index: ChecksByDomain = new Map();
  for (const s of summaries) {
    for (const c of s.checks) {
      let list = index.get(c.domain);
      if (!list) index.set(c.domain, (list = []));
      list.push({ vantage: s.vantage, check: c });
    }
  }
  return index;
}

/**
 * Each location's newest result per check of one domain, leaving out
 * results older than `staleAfterMs` or dated after `now` (plus the allowed
 * clock skew): old data is no evidence either way.
 */
export function observationsFromSummaries(
  checks: readonly { vantage: string; check: SummaryCheck }[],
  now: Date,
  staleAfterMs: number,
  skewMs: number,
): Observation[] {
  const t = now.getTime();
  return checks.flatMap(({ vantage, check: c }) => {
    const at = Date.parse(c.last.at);
    if (!(t - at <= staleAfterMs && at <= t + skewMs)) return [];
    const validTo = c.cert?.validTo ?? null;
    return [
      {
        check: c.check,
        vantage,
        at: c.last.at,
        target: c.last.target,
        ok: c.last.ok,
        problems: c.last.problems ?? [],
        ...(c.last.notRun ? { notRun: c.last.notRun } : {}),
        cert: c.cert
          ? {
              issuer: c.cert.issuer,
              validTo,
              daysLeft: validTo ? Math.floor((Date.parse(validTo) - t) / DAY) : null,
              trusted: c.cert.trusted,
              identity: c.cert.identity,
            }
          : null,
      },
    ];
  });
}
