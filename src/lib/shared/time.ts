/**
 * Time formatting for every page, feed and API. Everything is UTC and never
 * depends on the machine's time zone or locale: `Intl` and `toLocale*` are
 * not used, so two builds on differently configured hosts are identical.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** e.g. `2026-11-03T08:12:00Z` (seconds kept, milliseconds dropped). */
export function toIsoUtc(date: Date): string {
  const iso = date.toISOString();
  // Years 0000 to 9999 (every content time) print as 24 characters; slicing
  // is cheaper than the regex, which pages call millions of times at scale.
  return iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d{3}Z$/, 'Z');
}

/** e.g. `20261103T081200Z`: ids, anchors and iCalendar (RFC 5545) times. */
export function toCompactUtc(date: Date): string {
  return toIsoUtc(date).replace(/[-:]/g, '');
}

/** e.g. `2026-11-03 08:12 UTC`. */
export function formatUtc(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** e.g. `2026-11-03`. */
export function toUtcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** e.g. `2026-11` for grouping by month. */
export function toUtcMonth(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/**
 * e.g. `monthLabel('2026-11')` → `November 2026`.
 * @param month `YYYY-MM`
 */
export function monthLabel(month: string): string {
  const [year, mm] = month.split('-');
  return `${MONTHS[Number(mm) - 1]} ${year}`;
}

/**
 * A human duration, rounded down to the minute.
 * @example formatDuration(8_100_000) // '2 h 15 min'
 */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return 'under 1 min';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} d`);
  if (hours) parts.push(`${hours} h`);
  if (mins && !days) parts.push(`${mins} min`);
  return parts.join(' ');
}

/**
 * The instant the build treats as "now": `SOURCE_DATE_EPOCH` (seconds since
 * 1970, the reproducible-builds convention) when set, else the real clock.
 * @param env e.g. `{ SOURCE_DATE_EPOCH: '1763700000' }`
 * @param clock the real clock, injected so tests can freeze it
 */
export function resolveBuildTime(env: Record<string, string | undefined>, clock: () => Date = () => new Date()): Date {
  const raw = env.SOURCE_DATE_EPOCH?.trim();
  if (!raw) return clock();
  if (!/^\d+$/.test(raw)) {
    throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, e.g. 1763700000; got "${raw}"`);
  }
  return new Date(Number(raw) * 1000);
}

/** The earliest and latest instants any output can write as a four-digit year (RFC 3339, Atom, iCalendar, URLs). */
export const EARLIEST_INSTANT = Date.parse('0000-01-01T00:00:00Z');
export const LATEST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Whether year-month-day names a real day of the Gregorian calendar.
 * @example isCalendarDate('2025-02-29') === false; isCalendarDate('2024-02-29') === true
 */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Parses a timestamp written with an explicit UTC offset, refusing anything
 * JavaScript would silently roll over (29 February 2025 becomes 1 March,
 * `T24:00` the next day) and instants outside the years 0000–9999 in UTC,
 * which no output format can write.
 * @param value e.g. `2026-11-03T09:12:00+01:00`
 * @returns the instant, or why it is not one (for a message after the quoted value)
 */
export function parseOffsetTimestamp(value: string): { date: Date } | { error: string } {
  const m = TIMESTAMP.exec(value);
  if (!m) return { error: 'format' };
  const [, day, hh, mm, ss, , zone, oh, om] = m;
  if (!isCalendarDate(day!)) return { error: `is not a real date: ${day} does not exist` };
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? 0) > 59) return { error: 'is not a real time of day: hours go to 23, minutes and seconds to 59' };
  if (zone !== 'Z' && (Number(oh) > 14 || Number(om) > 59)) return { error: 'has an offset beyond ±14:00, which no time zone uses' };
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return { error: 'is not a real date and time' };
  if (ms < EARLIEST_INSTANT || ms > LATEST_INSTANT) return { error: 'is outside the years 0000 to 9999 in UTC' };
  return { date: new Date(ms) };
}
