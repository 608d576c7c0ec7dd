/**
 * What the page says about the monitoring data itself: how many locations,
 * how fresh, whether it is sample data, and a notice for every source that
 * is old, cached or missing ("monitoring data from ams is 3 h old").
 *
 * Readers only ever see sentences from the closed list below, with the
 * location's name (a validated id) and durations: never the build log's
 * detail, which may hold file paths, URLs or error text (issue 10).
 */
import { formatDuration } from '../shared/time.ts';
import { parseInstant } from './instant.ts';

/** Why a source gave no fresh data, in words for readers ("the latest data from ams …"). */
export const SOURCE_REASONS = {
  unreachable: 'could not be fetched',
  'too-large': 'was larger than this site accepts',
  redirected: 'is published at another site, which this site does not follow',
  invalid: 'could not be read',
  'unknown-version': 'is in a format this site does not read',
  future: "is dated in the future (the probe host's clock is ahead), so it was ignored",
  missing: 'is missing',
  // A probe host that has not recorded anything yet: a summary with no checks.
  empty: 'holds no results yet',
} as const;
export type SourceReason = keyof typeof SOURCE_REASONS;

export interface SourceState {
  name: string;
  sample: boolean;
  origin: 'file' | 'logs' | 'url' | 'cache' | 'none';
  /** Why the latest data was not used, when it was not. */
  reason?: SourceReason;
  /** The summary's `generatedAt`, when there is one. */
  generatedAt?: string;
  /** How many checks the summary holds; a summary with none is no data, however new. */
  checks?: number;
}

export interface Freshness {
  /** Locations with data, e.g. `['ams', 'fra', 'nyc']`. */
  locations: string[];
  /** Newest data from any location, or null. */
  newest: Date | null;
  sample: boolean;
  /** One sentence per problem, for readers. */
  notices: string[];
}

/** @param intervalSeconds data older than twice this is called out */
export function describeFreshness(given: readonly SourceState[], now: Date, intervalSeconds: number): Freshness {
  // A probe host that has recorded nothing yet publishes a summary without checks: that is no data.
  const sources = given.map((s): SourceState => (s.checks === 0 ? { name: s.name, sample: s.sample, origin: s.origin, reason: 'empty' } : s));
  const withData = sources.filter((s) => s.generatedAt);
  const notices: string[] = [];
  for (const s of sources) {
    const why = SOURCE_REASONS[s.reason ?? 'unreachable'] ?? SOURCE_REASONS.invalid;
    if (!s.generatedAt) {
      notices.push(`No monitoring data from ${s.name}: the latest data ${why}.`);
      continue;
    }
    const age = now.getTime() - parseInstant(s.generatedAt);
    if (age > 2 * intervalSeconds * 1000) notices.push(`Monitoring data from ${s.name} is ${formatDuration(age)} old.`);
    if (s.origin === 'cache') notices.push(`The latest data from ${s.name} ${why}; showing the last good copy.`);
  }
  const newest = withData.length ? new Date(withData.reduce((m, s) => Math.max(m, parseInstant(s.generatedAt!)), -Infinity)) : null;
  return { locations: withData.map((s) => s.name), newest, sample: sources.some((s) => s.sample), notices };
}
