/**
 * The live lane (issue 28): when only monitoring or the clock moved since
 * the live release, render only the pages that read them and carry every
 * other file over. Which pages those are is what the live release's build
 * recorded while rendering (src/lib/site/page-reads.ts); this module
 * decides whether a live build may be based on a release, what it renders,
 * which files of the old release it keeps, and the record of the result.
 * Pure; src/lib/release/live-lane-io.ts does the files.
 */
import { PAGE_READS_VERSION, type LivePlan, type PageReads } from '../schemas.ts';
import type { ChangeParts } from './change-key.ts';

/**
 * Why the next build must be a full one, or undefined when a live build
 * gives the same release. Every reason is a sentence for the publish log.
 * @example liveLaneBlocker(undefined, parts, parts, now) // 'the live release has no page record'
 */
export function liveLaneBlocker(record: PageReads | undefined, previous: ChangeParts | undefined, current: ChangeParts, now: Date): string | undefined {
  if (!record) return 'the live release has no page record';
  if (record.version !== PAGE_READS_VERSION) return `the live release's page record is version ${record.version}, not ${PAGE_READS_VERSION}`;
  if (!previous) return 'the live release has no change key';
  if (previous.content !== current.content) return 'content changed';
  if (previous.code !== current.code) return 'code changed';
  if (record.unscoped.length > 0) return `a live value is read outside any page (${record.unscoped.join(', ')})`;
  if (record.validUntil !== null && now.getTime() >= Date.parse(record.validUntil))
    return `content timed for ${record.validUntil} is due (a scheduled entry, a daily update's day, or a maintenance window's start or end)`;
  return undefined;
}

/** What a live build renders: every page of a route whose path list read a live value, and each page that read one. */
export function livePlan(record: PageReads): LivePlan {
  const wholeRoutes = Object.keys(record.liveRoutes).sort();
  const whole = new Set(wholeRoutes);
  const pages: Record<string, string[]> = {};
  for (const page of Object.values(record.pages)) {
    if (page.reads.length === 0 || whole.has(page.route)) continue;
    (pages[page.route] ??= []).push(page.params);
  }
  return { wholeRoutes, pages };
}

/**
 * The files a page may have been written to, relative to the release, for
 * Astro's `build.format: 'directory'`: a page `/incidents/x/` →
 * `incidents/x/index.html`; an endpoint `/feeds/all.atom` → `feeds/all.atom`,
 * or, when its extension comes from a param (`/history/[file]`), the path
 * Astro gives with a slash, `/history/status.json.gz/` → `history/status.json.gz`;
 * `/404/` → `404.html`. The one that exists is recorded (`locatePageFiles`).
 * `base` is the site's base path, e.g. `/status/`, which files do not have.
 */
export function pageFileCandidates(pathname: string, base = '/'): string[] {
  const b = base.endsWith('/') ? base : `${base}/`;
  let path = pathname.startsWith(b) ? pathname.slice(b.length) : pathname.replace(/^\//, '');
  path = decodeURIComponent(path);
  if (path === '404' || path === '404/') return ['404.html'];
  if (path === '') return ['index.html'];
  if (path.endsWith('/')) return [`${path}index.html`, path.slice(0, -1)];
  return [path];
}

/**
 * The record of the release a live build makes: the pages it rendered, as
 * recorded now, and every page it carried over, as recorded when it was
 * last rendered. Pages of a whole route that the live build no longer
 * produced are gone.
 */
export function mergeRecords(previous: PageReads, rendered: PageReads): PageReads {
  const pages: PageReads['pages'] = {};
  const whole = new Set(Object.keys(rendered.liveRoutes));
  for (const [path, page] of Object.entries(previous.pages)) if (!whole.has(page.route) && !(path in rendered.pages)) pages[path] = page;
  Object.assign(pages, rendered.pages);
  return { ...rendered, pages };
}

/**
 * Which files of the old release the new one takes over (hard links), as a
 * test over each file's path (both records' files located first): not a page the live build rendered, not a
 * page that is gone, and not their `.gz`/`.br` copies.
 */
export function carriedOver(previous: PageReads, rendered: PageReads): (file: string) => boolean {
  const fileOf = (path: string, record: PageReads) => record.pages[path]?.file ?? pageFileCandidates(path, record.base)[0]!;
  const replaced = new Set(Object.keys(rendered.pages).map((p) => fileOf(p, rendered)));
  const whole = new Set(Object.keys(rendered.liveRoutes));
  for (const [path, page] of Object.entries(previous.pages)) if (whole.has(page.route) && !(path in rendered.pages)) replaced.add(fileOf(path, previous));
  return (file) => !replaced.has(file.replace(/\.(gz|br)$/, ''));
}
