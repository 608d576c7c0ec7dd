/**
 * Which raw probe logs to compress or delete once summarised (issue 29), so
 * probe hosts never fill their disks. Pure: file names and `now` in, a plan
 * out; `log-rotation-io.ts` carries it out.
 *
 * - A day file (`YYYY-MM-DD.jsonl`) older than yesterday is complete (the
 *   probe only appends to today's), so it is gzipped to `.jsonl.gz`, about a
 *   twentieth of the size; summaries read both forms.
 * - Any day file older than `retentionDays` (default 400: the 90-day
 *   window, plus most of a year to rebuild the history store from with
 *   `npm run history -- rebuild`) is deleted.
 */
import { WINDOW_DAYS } from './limits.ts';
import { DAY_MS, isoDay } from './instant.ts';

/** Default days of raw logs kept: more than the summaries' 90 days, about 13 months. */
export const DEFAULT_RETENTION_DAYS = 400;

export interface RotationPlan {
  /** Plain day files to gzip, e.g. `['2026-11-19.jsonl']`. */
  compress: string[];
  /** Day files (either form) past retention, e.g. `['2025-10-01.jsonl.gz']`. */
  remove: string[];
}

/**
 * @param names the file names in one vantage folder, any order
 * @param now e.g. `new Date('2026-11-21T12:00:00Z')`: files dated 2026-11-19 and before are compressed
 * @param retentionDays at least the 90-day window, e.g. `400`
 */
export function planRotation(names: readonly string[], now: Date, retentionDays = DEFAULT_RETENTION_DAYS): RotationPlan {
  if (!(retentionDays > WINDOW_DAYS)) throw new RangeError(`retention must be more than the ${WINDOW_DAYS}-day window summaries read, got ${retentionDays}`);
  const day = (offset: number) => isoDay(now.getTime() - offset * DAY_MS);
  const yesterday = day(1);
  const oldest = day(retentionDays);
  const plan: RotationPlan = { compress: [], remove: [] };
  for (const name of [...names].sort()) {
    const m = /^(\d{4}-\d{2}-\d{2})\.jsonl(\.gz)?$/.exec(name);
    if (!m) continue;
    if (m[1]! < oldest) plan.remove.push(name);
    else if (!m[2] && m[1]! < yesterday) plan.compress.push(name);
  }
  return plan;
}
