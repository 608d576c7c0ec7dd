/**
 * The median of a list of numbers (the mean of the middle two for an even
 * count), e.g. `median([84, 90, 120])` is `90`. Used for the daily response
 * time across locations (merge-probes.ts) and a remote server's round trip
 * (federation.ts). NaN for an empty list: callers check for data first.
 */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
