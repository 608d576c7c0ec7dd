/**
 * The probe's shared command-line options, checked once for every command
 * that probes (`npm run probe`, `npm run policy`): the same words for the
 * same mistakes.
 */

/** HOST:PORT or [IPv6]:PORT, e.g. `127.0.0.1:53`. */
const RESOLVER = /^[^:\s]+:\d+$|^\[[0-9a-f:]+\]:\d+$/i;

/**
 * A whole number above 0 (or exactly 0 where `allowZero`), or the fallback when not given.
 * @param name the option without dashes, e.g. `timeout`
 */
export function wholeNumberOption(name: string, raw: string | undefined, fallback: number, allowZero = false): { value: number } | { error: string } {
  if (raw === undefined) return { value: fallback };
  if (!/^\d+$/.test(raw) || (!allowZero && Number(raw) < 1))
    return { error: `--${name} must be a whole number ${allowZero ? 'of 0 or more' : 'above 0'}, got "${raw}"` };
  return { value: Number(raw) };
}

/** `--resolver`, when given, must be HOST:PORT. */
export function resolverOption(raw: string | undefined): { error: string } | undefined {
  return raw !== undefined && !RESOLVER.test(raw) ? { error: `--resolver must be HOST:PORT, e.g. 127.0.0.1:53, got "${raw}"` } : undefined;
}
