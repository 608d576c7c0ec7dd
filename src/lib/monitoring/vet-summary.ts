/**
 * Checks a validated summary against the build's clock before it is used.
 * The schema proves the shape; this proves the times make sense now: a
 * probe host whose clock runs fast writes summaries "from the future" that
 * would look fresh for ever, keeping components green after the host dies
 * (issue 10). Such a summary is refused and named, never used.
 */
import type { ProbeSummary } from '../schemas.ts';
import { MAX_CLOCK_SKEW_MS } from './limits.ts';
import type { SourceReason } from './source-freshness.ts';
import { parseInstant } from './instant.ts';

export type Vetted = { summary: ProbeSummary } | { reason: SourceReason; problem: string };

/**
 * @param now the build's "now"
 * @example vetSummary(summaryGeneratedAt('2026-11-21T13:00:00Z'), new Date('2026-11-21T12:00:00Z'))
 * // { reason: 'future', problem: 'is dated 2026-11-21T13:00:00Z, 60 min ahead of this build's clock (…)' }
 */
export function vetSummary(summary: ProbeSummary, now: Date, skewMs = MAX_CLOCK_SKEW_MS): Vetted {
  const limit = now.getTime() + skewMs;
  const ahead = (iso: string) => Math.round((parseInstant(iso) - now.getTime()) / 60_000);
  const why = (what: string, iso: string) =>
    `${what} ${iso}, ${ahead(iso)} min ahead of this build's clock (${skewMs / 60_000} min of clock skew allowed); ignored. Check the probe host's clock (NTP)`;
  if (parseInstant(summary.generatedAt) > limit) return { reason: 'future', problem: why('is dated', summary.generatedAt) };
  for (const c of summary.checks) {
    if (parseInstant(c.last.at) > limit) return { reason: 'future', problem: why(`has a ${c.check} result for ${c.domain} dated`, c.last.at) };
  }
  return { summary };
}
