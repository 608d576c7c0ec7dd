import { expect, test } from 'vitest';
import { CALENDAR_MAX_EVENTS, CALENDAR_PAST_DAYS, calendarWindows, escapeText, foldLine, renderCalendar } from './icalendar.ts';
import { maintenanceText, source, validContent } from '../../../tests/helpers/content-files.ts';

test('escapes commas, semicolons, backslashes and newlines in text values', () => {
  expect(escapeText('a, b; c\\d\ne')).toBe('a\\, b\\; c\\\\d\\ne');
});

test('folds lines at 75 octets without splitting a multi-byte character', () => {
  const line = `SUMMARY:${'ü'.repeat(60)}`;
  const folded = foldLine(line).split('\r\n');
  for (const part of folded) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
  expect(folded.slice(1).every((p) => p.startsWith(' '))).toBe(true);
  expect(folded.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
});

const NOW = new Date('2026-11-21T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A window file starting `startOffset` ms after NOW, one hour long. */
function windowFile(name: string, startOffset: number, extra = '') {
  const start = new Date(NOW.getTime() + startOffset).toISOString().replace('.000Z', 'Z');
  const end = new Date(NOW.getTime() + startOffset + HOUR).toISOString().replace('.000Z', 'Z');
  return source(
    `content/maintenance/${start.slice(0, 10)}-${name}.md`,
    maintenanceText(`Upgrade ${name}`, start, end, { cancelled: extra.includes('cancelled'), body: 'Short restarts.\n' }),
  );
}

const slugs = (windows: readonly { slug: string }[]) => windows.map((w) => w.slug.slice(11));

test('the calendar keeps windows not yet over and those that ended in the last 90 days, in start order', () => {
  const content = validContent({
    maintenance: [
      windowFile('long-ago', -(CALENDAR_PAST_DAYS + 1) * DAY),
      windowFile('recent', -(CALENDAR_PAST_DAYS - 1) * DAY),
      windowFile('called-off', -10 * DAY, 'status: cancelled\n'),
      windowFile('now', -HOUR / 2),
      windowFile('next-year', 200 * DAY),
    ],
  });
  expect(slugs(calendarWindows(content.maintenance, NOW))).toEqual(['recent', 'called-off', 'now', 'next-year']);
  const ics = renderCalendar(content, NOW);
  expect(ics).not.toContain('long-ago');
  expect(ics).toContain('STATUS:CANCELLED');
});

test('past the event cap, windows not yet over come first, then the latest past ones', () => {
  const content = validContent({
    maintenance: [
      windowFile('old', -30 * DAY),
      windowFile('older', -60 * DAY),
      windowFile('newest-past', -2 * DAY),
      windowFile('soon', DAY),
      windowFile('later', 9 * DAY),
    ],
  });
  expect(slugs(calendarWindows(content.maintenance, NOW, 3))).toEqual(['newest-past', 'soon', 'later']);
  expect(slugs(calendarWindows(content.maintenance, NOW, 1))).toEqual(['soon']);
});

test('the calendar stays bounded however many windows there are (issue 16: 23.7 MB at 50,000 incidents)', () => {
  // 1,500 windows, one every two hours around now: past, in progress and upcoming.
  const content = validContent({ maintenance: Array.from({ length: 1500 }, (_, i) => windowFile(`w${i}`, (i - 750) * 2 * HOUR)) });
  const ics = renderCalendar(content, NOW);
  expect(ics.match(/^BEGIN:VEVENT\r$/gm)).toHaveLength(CALENDAR_MAX_EVENTS);
  expect(Buffer.byteLength(ics)).toBeLessThan(200 * 1024);
  // The 250 kept are the window in progress and every one after it that fits.
  expect(ics).toContain('UID:maintenance-2026-11-21-w750@status.example.org');
  expect(ics).not.toContain('w749@');
});
