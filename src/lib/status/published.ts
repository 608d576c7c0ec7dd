/**
 * The one "published as of now" rule, applied once per build (src/data.ts)
 * before any page, feed, calendar, API document or notification is made, so
 * they can never disagree about an entry timed in the future:
 *
 * - an incident appears once its first update's time has come, with the
 *   updates posted by then (its resolution too only once it is time);
 * - a maintenance window appears once it is announced, with its updates so
 *   far (a reschedule posted for later does not move it yet);
 * - a daily update appears on its day (UTC).
 *
 * `npm run check` warns about entries timed more than a few minutes ahead.
 */
import type { Incident, Maintenance, SiteContent } from '../content/content.ts';
import { toUtcDate } from '../shared/time.ts';

const posted = <T extends { at: Date }>(updates: readonly T[], now: Date) => updates.filter((u) => u.at.getTime() <= now.getTime());

function incidentAsOf(incident: Incident, now: Date): Incident | undefined {
  const updates = posted(incident.updates, now);
  if (updates.length === 0) return undefined;
  if (updates.length === incident.updates.length) return incident;
  const last = updates[updates.length - 1]!;
  // An update's states name every component touched up to it, in order of
  // first mention: the components a reader may know of so far. A component
  // first named in a later update must not appear in feeds, lists or the
  // API before that update is published.
  return { ...incident, updates, resolvedAt: last.status === 'resolved' ? last.at : null, componentIds: Object.keys(last.states) };
}

function maintenanceAsOf(window: Maintenance, now: Date): Maintenance | undefined {
  const updates = posted(window.updates, now);
  if (updates.length === 0) return undefined;
  if (updates.length === window.updates.length) return window;
  const last = updates[updates.length - 1]!;
  return { ...window, updates, start: last.start, end: last.end, status: last.status === 'cancelled' ? 'cancelled' : 'scheduled' };
}

/**
 * The content as readers may see it at `now`.
 * @param now the build time, e.g. `new Date('2026-11-21T12:00:00Z')`
 */
export function publishedAsOf(content: SiteContent, now: Date): SiteContent {
  const today = toUtcDate(now);
  return {
    site: content.site,
    incidents: content.incidents.flatMap((i) => incidentAsOf(i, now) ?? []),
    maintenance: content.maintenance
      .flatMap((m) => maintenanceAsOf(m, now) ?? [])
      .sort((a, b) => a.start.getTime() - b.start.getTime() || a.slug.localeCompare(b.slug)),
    updates: content.updates.filter((u) => u.date <= today),
    // The directory's services are not timed: readers see them as they are.
    ...(content.directory ? { directory: content.directory } : {}),
  };
}
