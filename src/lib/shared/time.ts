/**
 * Time formatting for every page, feed and API. Everything is UTC and never
 * depends on the machine's time zone or locale: `Intl` and `toLocale*` are
 * not used, so two builds on differently configured hosts are identical.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** e.g. `2026-11-03T08:12:00Z` (seconds kept, milliseconds dropped). */
export function toIsoUtc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
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
