/**
 * The layout of a publish target (issue 14): every build is a release in
 * `releases/<id>/`, and `current` is a symbolic link to one of them that the
 * web server serves. Switching releases is one rename of a new link over
 * `current`, so a reader gets either the old site or the new one, never a
 * mix. These are the pure rules: how releases are named, which are kept,
 * and which one a rollback goes back to.
 */
import { toCompactUtc } from '../shared/time.ts';

/** How many releases stay on disk by default (the live one included). */
export const DEFAULT_KEEP = 5;

/** e.g. `20261121T120000Z-4821`: sorts by time; the suffix tells apart two releases made in the same second. */
const RELEASE_ID = /^\d{8}T\d{6}Z-[0-9a-z]+$/;

/**
 * A new release's id.
 * @param unique e.g. the process id, so two publishers never collide
 */
export function releaseId(now: Date, unique: number | string): string {
  return `${toCompactUtc(now)}-${String(unique).toLowerCase().replace(/[^0-9a-z]/g, '') || '0'}`;
}

/** Whether a folder name in `releases/` is a release (leftovers of killed builds are not). */
export function isReleaseId(name: string): boolean {
  return RELEASE_ID.test(name);
}

/** Release ids from a folder listing, oldest first. */
export function sortReleases(names: readonly string[]): string[] {
  return names.filter(isReleaseId).sort();
}

/**
 * Releases to delete after a switch: all but the newest `keep`, never the
 * live one (after a rollback the live one may be old).
 */
export function releasesToPrune(names: readonly string[], live: string | undefined, keep: number): string[] {
  const sorted = sortReleases(names);
  const kept = new Set(sorted.slice(-Math.max(1, keep)));
  if (live) kept.add(live);
  return sorted.filter((id) => !kept.has(id));
}

/**
 * The release a rollback switches to: the newest one older than the live
 * one, or undefined when there is none.
 */
export function rollbackTarget(names: readonly string[], live: string | undefined): string | undefined {
  const older = sortReleases(names).filter((id) => live === undefined || id < live);
  return older.at(-1);
}

/** Extensions of text files worth precompressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(html|css|js|mjs|json|xml|atom|ics|svg|txt|map|webmanifest)$/i;

/** Files under this size are sent as they are: compression would not save a packet. */
export const MIN_COMPRESS_BYTES = 256;

/** Whether a published file gets `.gz` and `.br` siblings. */
export function shouldPrecompress(path: string, bytes: number): boolean {
  return bytes >= MIN_COMPRESS_BYTES && COMPRESSIBLE.test(path);
}
