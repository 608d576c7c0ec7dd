/**
 * Time inside monitoring is one thing: an instant in epoch milliseconds
 * (UTC), a plain `number`. Summaries, stores and content carry ISO text or
 * `Date`s; they are read into instants once, at the edge, with
 * `parseInstant`, and written back as ISO text only in the results readers
 * see. (Moved from merge-probes.ts so day-rows.ts can use it without a cycle.)
 */

/** Milliseconds in a minute and in a UTC day (UTC days have no leap seconds). */
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** The UTC calendar day of an instant, e.g. `2026-11-21`. */
export const isoDay = (instant: number): string => new Date(instant).toISOString().slice(0, 10);

/**
 * `Date.parse` for the summary's own format (`2026-11-21T06:35:00Z`, with
 * optional milliseconds), without the general parser: a hostile summary has
 * hundreds of thousands of these and this is most of the merge's time.
 * Anything else, and any field out of its range (month 13, minute 60),
 * goes to `Date.parse`, so the two always agree.
 */
export function parseInstant(iso: string): number {
  const n = iso.length;
  const digit = (k: number) => {
    const d = iso.charCodeAt(k) - 48;
    return d >= 0 && d <= 9 ? d : -1000; // any non-digit makes the field negative
  };
  const two = (k: number) => digit(k) * 10 + digit(k + 1);
  if (
    (n === 20 || n === 24) &&
    iso[4] === '-' &&
    iso[7] === '-' &&
    iso[10] === 'T' &&
    iso[13] === ':' &&
    iso[16] === ':' &&
    iso[n - 1] === 'Z' &&
    (n === 20 || iso[19] === '.')
  ) {
    const year = two(0) * 100 + two(2);
    const [month, day, hour, minute, second] = [two(5), two(8), two(11), two(14), two(17)];
    const ms = n === 24 ? digit(20) * 100 + two(21) : 0;
    // Years below 100 mean 19xx to Date.UTC; leave them (and any non-digit or out-of-range field) to Date.parse.
    if (
      year >= 100 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 31 &&
      hour >= 0 &&
      hour <= 23 &&
      minute >= 0 &&
      minute <= 59 &&
      second >= 0 &&
      second <= 59 &&
      ms >= 0
    ) {
      return Date.UTC(year, month - 1, day, hour, minute, second, ms);
    }
  }
  return Date.parse(iso);
}
