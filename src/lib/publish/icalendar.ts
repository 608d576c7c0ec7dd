/**
 * maintenance.ics (iCalendar, RFC 5545): every window with a stable UID, UTC
 * times, and cancelled ones marked STATUS:CANCELLED with a higher SEQUENCE so
 * calendar apps update the event they already have.
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

function event(m: Maintenance, content: SiteContent, host: string): string[] {
  const names = new Map(content.site.components.map((c) => [c.id, c.name]));
  const affects = `Affects: ${m.components.map((id) => names.get(id) ?? id).join(', ')}`;
  return [
    'BEGIN:VEVENT',
    `UID:maintenance-${m.slug}@${host}`,
    `DTSTAMP:${utc(m.announced)}`,
    `DTSTART:${utc(m.start)}`,
    `DTEND:${utc(m.end)}`,
    `SUMMARY:${escapeText(`${m.status === 'cancelled' ? 'Cancelled: ' : ''}${content.site.service} maintenance: ${m.title}`)}`,
    `DESCRIPTION:${escapeText(`${affects}\n\n${m.markdown}`)}`,
    `URL:${absoluteUrl(content.site.url, content.site.base, maintenancePath(m.slug))}`,
    `STATUS:${m.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
    `SEQUENCE:${m.status === 'cancelled' ? 1 : 0}`,
    'TRANSP:TRANSPARENT',
    'CATEGORIES:MAINTENANCE',
    'END:VEVENT',
  ];
}

export function renderCalendar(content: SiteContent): string {
  const host = new URL(content.site.url).hostname;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//${host}//status site//EN`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(`${content.site.service} maintenance`)}`,
    ...content.maintenance.flatMap((m) => event(m, content, host)),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
