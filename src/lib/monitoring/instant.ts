/** Reading the instants summaries and stores are full of, fast (moved from merge-probes.ts so day-rows.ts can use it without a cycle). */

/**
 * `Date.parse` for the summary's own format (`2026-11-21T06:35:00Z`, with
 * optional milliseconds), without the general parser: a hostile summary has
 * hundreds of thousands of these and this is most of the merge's time.
 * Anything else goes to `Date.parse`.
 */
export function parseInstant(iso: string): number {
  const n = iso.length;
  const digit = (k: number) => {
    const d = iso.charCodeAt(k) - 48;
    return d >= 0 && d <= 9 ? d : -1000; // any non-digit makes the field negative
  };
  const two = (k: number) => digit(k) * 10 + digit(k + 1);
  if ((n === 20 || n === 24) && iso[4] === '-' && iso[7] === '-' && iso[10] === 'T' && iso[13] === ':' && iso[16] === ':' && iso[n - 1] === 'Z' && (n === 20 || iso[19] === '.')) {
    const year = two(0) * 100 + two(2);
    const fields = [year, two(5), two(8), two(11), two(14), two(17), n === 24 ? digit(20) * 100 + two(21) : 0];
    // Years below 100 mean 19xx to Date.UTC; leave them (and any non-digit) to Date.parse.
    if (year >= 100 && fields.every((f) => f >= 0 && f <= 9999)) return Date.UTC(year, fields[1]! - 1, fields[2], fields[3], fields[4], fields[5], fields[6]);
  }
  return Date.parse(iso);
}
