/**
 * Grouping and lookups over past incidents and daily updates, shared by the
 * archive pages, component pages and (later) feeds.
 */
import type { DailyUpdate, Incident } from '../content/content.ts';
import { monthLabel, toUtcDate, toUtcMonth } from '../shared/time.ts';

export interface MonthGroup<T> {
  /** e.g. `2026-11` */
  month: string;
  /** e.g. `November 2026` */
  label: string;
  items: T[];
}

/**
 * Groups items by UTC month, newest month first, keeping the input order
 * inside each month (callers pass newest first).
 * @param dateOf e.g. `(i) => i.startedAt`
 */
export function groupByMonth<T>(items: readonly T[], dateOf: (item: T) => Date): MonthGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = toUtcMonth(dateOf(item));
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(item);
  }
  return [...groups.keys()].sort((a, b) => b.localeCompare(a)).map((month) => ({ month, label: monthLabel(month), items: groups.get(month)! }));
}

/** A daily update's day as a UTC instant (midnight), e.g. for `2026-11-20`. */
export function updateDay(update: Pick<DailyUpdate, 'date'>): Date {
  return new Date(`${update.date}T00:00:00Z`);
}

/** How long an incident lasted, or has lasted so far at `now`. */
export function incidentDurationMs(incident: Incident, now: Date): number {
  const end = incident.resolvedAt ?? now;
  return Math.max(0, end.getTime() - incident.startedAt.getTime());
}

/** The newest timeline update. */
export function latestUpdate(incident: Incident) {
  return incident.updates[incident.updates.length - 1]!;
}

/** Incidents that touched a component, newest first. */
export function incidentsForComponent(incidents: readonly Incident[], componentId: string): Incident[] {
  return incidents.filter((i) => i.componentIds.includes(componentId));
}

/**
 * The daily update to show on the home page: today's (UTC) if posted,
 * otherwise the most recent one not dated in the future.
 * @param updates newest first
 */
export function currentDailyUpdate(updates: readonly DailyUpdate[], now: Date): { update: DailyUpdate; isToday: boolean } | undefined {
  const today = toUtcDate(now);
  const update = updates.find((u) => u.date <= today);
  return update ? { update, isToday: update.date === today } : undefined;
}

/**
 * The newest instant of any entry not after `now` (every update of every
 * incident and maintenance window, every daily update's day): the site's
 * "last changed", stable across rebuilds. A running maximum, not
 * `Math.max(...times)`: spreading 170,603 timestamps overflowed the stack at
 * 50,000 incidents (issue 16).
 * @returns the epoch when there is nothing
 */
export function lastContentChange(
  content: {
    incidents: readonly { updates: readonly { at: Date }[] }[];
    maintenance: readonly { updates: readonly { at: Date }[] }[];
    updates: readonly { date: string }[];
  },
  now?: Date,
): Date {
  const limit = now?.getTime() ?? Number.POSITIVE_INFINITY;
  let newest = 0;
  const consider = (t: number) => {
    if (t <= limit && t > newest) newest = t;
  };
  for (const incident of content.incidents) for (const update of incident.updates) consider(update.at.getTime());
  for (const window of content.maintenance) for (const update of window.updates) consider(update.at.getTime());
  for (const update of content.updates) consider(updateDay(update).getTime());
  return new Date(newest);
}
