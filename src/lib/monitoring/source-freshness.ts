/**
 * What the page says about the monitoring data itself: how many locations,
 * how fresh, whether it is sample data, and a notice for every source that
 * is old, cached or missing ("monitoring data from ams is 3 h old").
 */
import { formatDuration } from '../shared/time.ts';

export interface SourceState {
  name: string;
  sample: boolean;
  origin: 'file' | 'logs' | 'url' | 'cache' | 'none';
  problem?: string;
  /** The summary's `generatedAt`, when there is one. */
  generatedAt?: string;
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
export function describeFreshness(sources: readonly SourceState[], now: Date, intervalSeconds: number): Freshness {
  const withData = sources.filter((s) => s.generatedAt);
  const notices: string[] = [];
  for (const s of sources) {
    if (!s.generatedAt) {
      notices.push(`No monitoring data from ${s.name}: ${s.problem ?? 'unknown reason'}.`);
      continue;
    }
    const age = now.getTime() - Date.parse(s.generatedAt);
    if (age > 2 * intervalSeconds * 1000) notices.push(`Monitoring data from ${s.name} is ${formatDuration(age)} old.`);
    if (s.origin === 'cache') notices.push(`The latest data from ${s.name} could not be fetched; showing the last good copy.`);
  }
  const newest = withData.length ? new Date(Math.max(...withData.map((s) => Date.parse(s.generatedAt!)))) : null;
  return { locations: withData.map((s) => s.name), newest, sample: sources.some((s) => s.sample), notices };
}
