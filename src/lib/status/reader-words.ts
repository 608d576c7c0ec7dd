/**
 * The words a reader sees, in one place (issue 27): components by what they
 * let a person do ("Logging in"), lists without ambiguous commas, times a
 * phone can hold on one line, and the one sentence for stale monitoring that
 * the page, `status.json` and the status contact share. Pure: callers pass
 * `now`; the output never depends on the time zone (everything is UTC).
 */
import type { Component } from '../schemas.ts';
import type { StatusSnapshot } from './status.ts';

/** A no-break space: keeps a number with its unit ("20 min") and a time with "UTC". */
export const NBSP = '\u00a0';

/**
 * A component's name without its trailing detail.
 * @param name e.g. `Client connections (port 5222)` → `Client connections`
 */
export const shortName = (name: string) => name.replace(/\s*\([^()]*\)\s*$/, '') || name;

/**
 * What a component lets a reader do: its `readerName` from site.yaml, else
 * its name without the "(…)" detail.
 * @example readerName({ name: 'Multi-user chat (conference.jabber.org)', readerName: 'Group chats', … }) → 'Group chats'
 */
export function readerName(component: Pick<Component, 'name' | 'readerName'>): string {
  return component.readerName ?? shortName(component.name);
}

/** At most this many names in one line; the rest are counted ("and 2 more"). */
export const LIST_NAMES = 3;

/**
 * Names as an English list, cut after `max`; duplicates once.
 * @example listNames(['A', 'B', 'C', 'D']) → 'A, B, C and 1 more'
 */
export function listNames(names: readonly string[], max = LIST_NAMES): string {
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique[0] ?? '';
  if (unique.length > max) return `${unique.slice(0, max).join(', ')} and ${unique.length - max} more`;
  return `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A time for a headline: `06:40 UTC` on the same UTC day as `now`, else
 * `9 Nov 06:40 UTC` (with the year when it differs). No-break spaces keep
 * it on one line.
 * @example shortTime(new Date('2026-11-21T06:40:00Z'), new Date('2026-11-21T12:00:00Z')) → '06:40 UTC'
 */
export function shortTime(date: Date, now: Date): string {
  const iso = date.toISOString();
  const clock = `${iso.slice(11, 16)}${NBSP}UTC`;
  if (iso.slice(0, 10) === now.toISOString().slice(0, 10)) return clock;
  const year = iso.slice(0, 4) === now.toISOString().slice(0, 4) ? '' : `${NBSP}${iso.slice(0, 4)}`;
  return `${Number(iso.slice(8, 10))}${NBSP}${MONTHS[Number(iso.slice(5, 7)) - 1]}${year} ${clock}`;
}

/**
 * How long between two instants, to the minute under two days, then in days.
 * @example spanWords(8_400_000) → '2 h 20 min'
 */
export function spanWords(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  if (m < 1) return 'under a minute';
  if (m < 60) return `${m}${NBSP}min`;
  if (m < 2880) return m % 60 ? `${Math.floor(m / 60)}${NBSP}h ${m % 60}${NBSP}min` : `${m / 60}${NBSP}h`;
  return `${Math.round(m / 1440)}${NBSP}d`;
}

/**
 * An instant relative to `now`.
 * @example relativeWords(new Date('2026-11-21T09:00:00Z'), new Date('2026-11-21T12:00:00Z')) → '3 h ago'
 */
export function relativeWords(date: Date, now: Date): string {
  const ms = now.getTime() - date.getTime();
  if (Math.abs(ms) < 60_000) return 'just now';
  return ms < 0 ? `in ${spanWords(ms)}` : `${spanWords(ms)} ago`;
}

/**
 * When monitoring last reported anything, over every component: the newest
 * result any vantage point sent (results dated ahead of the clock excluded);
 * null when there is none at all.
 */
export function lastMonitoringReport(status: StatusSnapshot): Date | null {
  let newest = -Infinity;
  for (const c of status.components) for (const r of c.monitoring?.latest ?? []) if (!r.ahead) newest = Math.max(newest, Date.parse(r.at));
  return Number.isFinite(newest) ? new Date(newest) : null;
}

/**
 * True when no problem is known (no open incident, no maintenance in
 * progress, nothing seen down) and monitoring cannot vouch for some
 * component: the reader must be told we do not know, not shown a grey
 * "unknown" or, by machines, an unqualified "All Systems Operational".
 */
export function isStale(status: StatusSnapshot): boolean {
  return (
    status.activeIncidents.length === 0 &&
    status.activeMaintenance.length === 0 &&
    status.components.every((c) => c.state === 'operational' || c.state === 'unknown') &&
    status.components.some((c) => c.state === 'unknown')
  );
}

/**
 * The one sentence for stale monitoring (issue 27), the same on the page,
 * in `status.json`'s description and in the contact's presence.
 * @example staleSentence(new Date('2026-11-21T12:00:00Z'), new Date('2026-11-21T15:00:00Z'))
 * // 'No known problems. Our monitoring has not reported since 12:00 UTC (3 h ago), so we cannot confirm it live.'
 */
export function staleSentence(lastReport: Date | null, now: Date): string {
  const since = lastReport ? `since ${shortTime(lastReport, now)} (${relativeWords(lastReport, now)})` : 'yet';
  return `No known problems. Our monitoring has not reported ${since}, so we cannot confirm it live.`;
}
