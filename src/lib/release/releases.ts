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
  return `${toCompactUtc(now)}-${
    String(unique)
      .toLowerCase()
      .replace(/[^0-9a-z]/g, '') || '0'
  }`;
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
 * Releases to delete after a switch: all but the `keep` most recently live
 * (by the recorded history, not by name: the clock may have stepped back),
 * never the live one. Folders that never went live are leftovers of failed
 * publishes and go too.
 */
export function releasesToPrune(names: readonly string[], live: string | undefined, keep: number, history: LiveHistory): string[] {
  const kept = new Set<string>();
  if (live) kept.add(live);
  for (let i = history.length - 1; i >= 0 && kept.size < Math.max(1, keep); i--) kept.add(history[i]!);
  return sortReleases(names).filter((id) => !kept.has(id));
}

/**
 * The releases that were live, oldest first, as `state.json` records them
 * (`history`): a release enters it only when `current` is switched to it,
 * so a release that was never live (a killed or failed publish, a full
 * disk) can never be chosen by a rollback, whatever its name or the clock.
 * e.g. `['20261121T110000Z-100', '20261121T120000Z-200']`
 */
export type LiveHistory = readonly string[];

/** The history after `id` went live (a repeat of the last entry is not recorded twice). */
export function recordLive(history: LiveHistory, id: string): string[] {
  return history.at(-1) === id ? [...history] : [...history, id];
}

/**
 * Where a rollback goes: the release that was live before the live one and
 * is still on disk, and the history as it is after the rollback (the live
 * entry dropped, so a second rollback goes one further back).
 * @param onDisk release folders that exist and are complete
 */
export function rollbackTarget(history: LiveHistory, onDisk: readonly string[], live: string | undefined): { to: string; history: string[] } | undefined {
  const present = new Set(onDisk);
  const rest = [...history];
  // Drop the live release (and anything after it, e.g. a switch the state missed).
  const at = live === undefined ? -1 : rest.lastIndexOf(live);
  if (at >= 0) rest.length = at;
  while (rest.length > 0) {
    const to = rest.at(-1)!;
    if (to !== live && present.has(to)) return { to, history: rest };
    rest.pop();
  }
  return undefined;
}

/** Extensions of text files worth precompressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(html|css|js|mjs|json|xml|atom|ics|svg|txt|map|webmanifest)$/i;

/** Files under this size are sent as they are: compression would not save a packet. */
export const MIN_COMPRESS_BYTES = 256;

/** Whether a published file gets `.gz` and `.br` siblings. */
export function shouldPrecompress(path: string, bytes: number): boolean {
  return bytes >= MIN_COMPRESS_BYTES && COMPRESSIBLE.test(path);
}
