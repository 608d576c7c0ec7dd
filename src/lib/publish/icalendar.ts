/**
 * maintenance.ics (iCalendar, RFC 5545): the windows a calendar needs, with a
 * stable UID, UTC times, the latest schedule, and cancelled ones marked
 * STATUS:CANCELLED; SEQUENCE counts reschedules and the cancellation and
 * DTSTAMP is the latest update's time, so calendar apps update the event
 * they already have.
 *
 * Not every window ever: at 50,000 incidents with their maintenance the full
 * history was 23.7 MB, re-downloaded by every subscriber on every refresh
 * (issue 16). The calendar holds what is upcoming, what is in progress and
 * the recent past (`CALENDAR_PAST_DAYS`), at most `CALENDAR_MAX_EVENTS`
 * events; the year pages under /maintenance/ keep the whole history.
 */
import type { Maintenance, SiteContent } from '../content/content.ts';
import { absoluteUrl, maintenancePath } from './paths.ts';
import { toCompactUtc as utc } from '../shared/time.ts';
import { stripInvalidXmlChars } from '../shared/xml.ts';

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export function escapeText(text: string): string {
  return stripInvalidXmlChars(text).replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets without splitting a UTF-8 character (§3.1). */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with a space
    if (bytes + size > limit) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/**
 * The event's revision: one per reschedule and one for a cancellation, so a
 * moved or cancelled window replaces the copy a calendar app already has.
 */
export function calendarSequence(m: Maintenance): number {
  return m.updates.filter((u) => u.rescheduled).length + (m.status === 'cancelled' ? 1 : 0);
}

function event(m: Maintenance, content: SiteContent, host: string): string[] {
  const names = new Map(content.site.components.map((c) => [c.id, c.name]));
  const affects = `Affects: ${m.components.map((id) => names.get(id) ?? id).join(', ')}`;
  return [
    'BEGIN:VEVENT',
    `UID:maintenance-${m.slug}@${host}`,
    // Calendar apps replace the event they have only when DTSTAMP and
    // SEQUENCE move: both follow the timeline (RFC 5545 §3.8.7.4).
    `DTSTAMP:${utc(m.updates[m.updates.length - 1]!.at)}`,
    `DTSTART:${utc(m.start)}`,
    `DTEND:${utc(m.end)}`,
    `SUMMARY:${escapeText(`${m.status === 'cancelled' ? 'Cancelled: ' : ''}${content.site.service} maintenance: ${m.title}`)}`,
    `DESCRIPTION:${escapeText(`${affects}\n\n${m.markdown}`)}`,
    `URL:${absoluteUrl(content.site.url, content.site.base, maintenancePath(m.slug))}`,
    `STATUS:${m.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
    `SEQUENCE:${calendarSequence(m)}`,
    'TRANSP:TRANSPARENT',
    'CATEGORIES:MAINTENANCE',
    'END:VEVENT',
  ];
}

/** Windows that ended this many days before the build stay in the calendar, so subscribers see recent work and late cancellations. */
export const CALENDAR_PAST_DAYS = 90;

/** Upper bound on events: about 150 KB even if far more windows are scheduled or recent. */
export const CALENDAR_MAX_EVENTS = 250;

/**
 * The windows the calendar carries at `now`, in start order: every window
 * not yet over (soonest first) and those that ended in the last
 * `CALENDAR_PAST_DAYS` (latest first), cut at `max` in that order of
 * priority. Cancelled windows follow the same rule by their planned times.
 * @param windows in start order, as `SiteContent.maintenance`
 */
export function calendarWindows(windows: readonly Maintenance[], now: Date, max = CALENDAR_MAX_EVENTS): Maintenance[] {
  const t = now.getTime();
  const since = t - CALENDAR_PAST_DAYS * 86_400_000;
  const current = windows.filter((m) => m.end.getTime() > t);
  const recent = windows
    .filter((m) => m.end.getTime() <= t && m.end.getTime() > since)
    .sort((a, b) => b.end.getTime() - a.end.getTime() || a.slug.localeCompare(b.slug));
  const kept = new Set(current.slice(0, max).concat(recent.slice(0, Math.max(0, max - current.length))));
  return windows.filter((m) => kept.has(m));
}

/** The calendar at `now`; see `calendarWindows` for which windows it holds. */
export function renderCalendar(content: SiteContent, now: Date): string {
  const host = new URL(content.site.url).hostname;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//${host}//status site//EN`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(`${content.site.service} maintenance`)}`,
    ...calendarWindows(content.maintenance, now).flatMap((m) => event(m, content, host)),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
