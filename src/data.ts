/**
 * The only module pages import content from. It loads and validates all
 * content once per build; any problem stops the build with the full list
 * (nothing is half-published), in the same words `npm run check` prints.
 */
import { loadContent } from './lib/load-content.ts';
import { ContentError } from './lib/problems.ts';
import { buildFeeds } from './lib/feeds.ts';
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
