/**
 * What admins type on the command line, made exact: times (`now`, a
 * timestamp with an offset, or a duration from now), component lists and
 * `ID=STATE` pairs, and file names made from titles. Pure: `now` is passed in.
 */
import { parseOffsetTimestamp, toIsoUtc } from '../shared/time.ts';

const DURATION = /^([+-])?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;

/** A duration such as `2h`, `30m`, `1h30m`, `1d`, `-15m`, in milliseconds; undefined if it is not one. */
export function parseDuration(value: string): number | undefined {
  const m = DURATION.exec(value.trim());
  if (!m || !/\d/.test(value)) return undefined;
  const [, sign, d, h, min] = m;
  const ms = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000;
  return sign === '-' ? -ms : ms;
}

/**
 * A time typed by an admin: `now`, a timestamp with an offset
 * (`2026-11-25T04:00:00Z`), or a duration from now (`2h`, `+30m`, `-15m`).
 * @returns the instant as UTC text (seconds, `Z`), or why it is not one
 */
export function parseTimeInput(value: string, now: Date): { iso: string } | { error: string } {
  const v = value.trim();
  if (v === 'now') return { iso: toIsoUtc(now) };
  const ms = parseDuration(v);
  if (ms !== undefined) return { iso: toIsoUtc(new Date(now.getTime() + ms)) };
  const parsed = parseOffsetTimestamp(v);
  if ('date' in parsed) return { iso: v };
  return { error: `"${value}" is not a time. Use now, a duration from now such as 2h or 30m, or a time with an offset such as 2026-11-25T04:00:00Z` };
}

/**
 * A file name from a title: lower-case ASCII letters, digits and dashes, at
 * most 50 characters, cut at a word.
 * @example slugify('Login failures after the move to M-Link') === 'login-failures-after-the-move-to-m-link'
 */
export function slugify(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  let slug = '';
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w;
    if (next.length > 50) break;
    slug = next;
  }
  return slug || 'incident';
}

/** `c2s,s2s` or `c2s s2s` → `['c2s', 's2s']`. */
export const parseList = (value: string) => value.split(/[\s,]+/).filter(Boolean);

/**
 * `c2s=operational,s2s=degraded` → `{ c2s: 'operational', s2s: 'degraded' }`.
 * @returns the pairs, or the first malformed part
 */
export function parsePairs(values: readonly string[]): Record<string, string> | { error: string } {
  const out: Record<string, string> = {};
  for (const part of values.flatMap(parseList)) {
    const m = /^([a-z0-9][a-z0-9-]*)=([a-z-]+)$/.exec(part);
    if (!m) return { error: `"${part}" is not ID=STATE, e.g. c2s=operational` };
    out[m[1]!] = m[2]!;
  }
  return out;
}
