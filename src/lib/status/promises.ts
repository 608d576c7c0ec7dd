/**
 * Promises with deadlines: when the next incident update or daily update is
 * due, for the pages ("Next update by …"), and the warnings `npm run check`
 * prints when a promise has passed (warnings, not failures: the site must
 * still publish during an outage).
 */
import type { DailyUpdate, SiteContent } from '../content/content.ts';
import type { Problem } from '../content/problems.ts';
import { formatUtc, toUtcDate } from '../shared/time.ts';
import { isIncidentActive, nextIncidentUpdate } from './status.ts';

/** Entries timed further ahead than this are probably a typo (a wrong offset, a wrong year). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * When the next daily update is due: today at `dailyUpdateBy` if today's is
 * not posted yet, else tomorrow at that time; undefined without a promise.
 * @param by e.g. `"12:00"` (UTC)
 * @param updates newest first, as published at `now`
 */
export function nextDailyUpdate(by: string | undefined, updates: readonly DailyUpdate[], now: Date): { due: Date; overdue: boolean } | undefined {
  if (!by) return undefined;
  const today = toUtcDate(now);
  const postedToday = updates.some((u) => u.date === today);
  const due = new Date(`${today}T${by}:00Z`);
  if (postedToday) due.setUTCDate(due.getUTCDate() + 1);
  return { due, overdue: !postedToday && due.getTime() < now.getTime() };
}

/**
 * Broken promises and entries from the future, as warnings for `npm run check`.
 * @param content everything in the files, not only what is published at `now`
 */
export function promiseWarnings(content: SiteContent, now: Date): Problem[] {
  const warnings: Problem[] = [];
  const ahead = now.getTime() + FUTURE_TOLERANCE_MS;
  for (const incident of content.incidents) {
    incident.updates.forEach((u, i) => {
      if (u.at.getTime() > ahead)
        warnings.push({
          file: incident.file,
          field: `updates[${i + 1}].at`,
          message: `is ${formatUtc(u.at)}, in the future: it stays hidden until then. Check the date and the UTC offset`,
        });
    });
    if (!isIncidentActive(incident, now)) continue;
    const next = nextIncidentUpdate(incident, now);
    if (next?.overdue)
      warnings.push({
        file: incident.file,
        message: `promised the next update by ${formatUtc(next.due)}, and none has been posted since. Post an update (npm run incident:update)`,
      });
  }
  for (const window of content.maintenance) {
    window.updates.forEach((u, i) => {
      if (u.at.getTime() > ahead)
        warnings.push({
          file: window.file,
          field: `updates[${i + 1}].at`,
          message: `is ${formatUtc(u.at)}, in the future: it stays hidden until then. Check the date and the UTC offset`,
        });
    });
  }
  const today = toUtcDate(now);
  for (const update of content.updates) {
    if (update.date > today) warnings.push({ file: update.file, message: `is dated ${update.date}, after today (${today} UTC): it stays hidden until then` });
  }
  const daily = nextDailyUpdate(content.site.dailyUpdateBy, content.updates, now);
  if (daily?.overdue)
    warnings.push({
      file: `content/updates/${today}.md`,
      message: `is missing: the daily update is promised by ${content.site.dailyUpdateBy} UTC. Write it (npm run new:update)`,
    });
  return warnings;
}
