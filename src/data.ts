/**
 * The only module pages import content from. It loads and validates all
 * content once per build; any problem stops the build with the full list
 * (nothing is half-published), in the same words `npm run check` prints.
 */
import { loadContent } from './lib/load-content.ts';
import { ContentError } from './lib/problems.ts';
import { paginateByYear } from './lib/archive.ts';
import { buildFeeds } from './lib/feeds.ts';
import { incidentsForComponent } from './lib/history.ts';
import { computeStatus } from './lib/status.ts';
import { resolveBuildTime } from './lib/time.ts';

/**
 * Where content lives: the project root, or `STATUS_CONTENT_ROOT` so tests and
 * benchmarks can build the real site from fixture content.
 */
export const contentRoot = process.env.STATUS_CONTENT_ROOT || process.cwd();

const result = loadContent(contentRoot);
if (!result.ok) throw new ContentError(result.problems);

/** All validated content. */
export const content = result.content;
/** The site configuration from content/site.yaml. */
export const site = content.site;
/** The build's "now": SOURCE_DATE_EPOCH when set, else the real clock. */
export const now = resolveBuildTime(process.env);
/** Current status of every component, computed once for every page. */
export const status = computeStatus(content, now);
/** Every feed, computed once for the feed endpoints and the subscribe page. */
export const feeds = buildFeeds(content);
/** Incidents by slug, so pages that link incidents never scan the history. */
export const incidentsBySlug = new Map(content.incidents.map((i) => [i.slug, i]));
/** Archive pages, computed once: each page renders only its slice. */
export const incidentArchive = paginateByYear(content.incidents, (i) => i.startedAt);
export const updateArchive = paginateByYear(content.updates, (u) => new Date(`${u.date}T00:00:00Z`));
export const componentArchives = new Map(
  site.components.map((c) => [c.id, paginateByYear(incidentsForComponent(content.incidents, c.id), (i) => i.startedAt)]),
);
