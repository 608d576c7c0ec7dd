/**
 * Every limit monitoring puts on data it did not write itself: probe-host
 * summaries fetched over the network, summary files and raw logs on disk.
 * One module so the README, the log messages and the tests quote the same
 * numbers (issue 10: "probe sources are hostile until proven otherwise").
 */
import { DAY_MS } from './instant.ts';
import { MAX_SUMMARY_CHECKS } from '../schemas.ts';

export { MAX_SUMMARY_CHECKS };

/** Largest summary read (fetched body, file or cache copy): 16 MiB, about 35 times a 12-check, 90-day summary. */
export const MAX_SUMMARY_BYTES = 16 * 1024 * 1024;

/** Longest raw-log line read: 256 KiB, the probe's own read cap; a record is under 4 KiB. Longer lines are skipped and counted. */
export const MAX_LINE_BYTES = 256 * 1024;

/** How far a summary's times may be ahead of the build's clock before they count as invalid: 5 minutes. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Days of history a summary keeps and the page shows. */
export const WINDOW_DAYS = 90;

/** Most redirects followed for a URL source (same origin only, unless allowed). */
export const MAX_REDIRECTS = 5;

/**
 * Start of the window data is kept for: the UTC midnight at or before
 * `now - 90 days`, so the 90-day uptime and the 90 day bars are both covered.
 * @param now ms since 1970, e.g. `Date.parse('2026-11-21T12:00:00Z')` → 2026-08-23T00:00:00Z
 */
export function windowStart(now: number): number {
  return Math.floor((now - WINDOW_DAYS * DAY_MS) / DAY_MS) * DAY_MS;
}

/**
 * A byte count in words for log messages, e.g. `16 MiB`, `256 KiB`, `900 B`.
 */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
