/**
 * The only module pages import content from. It loads and validates all
 * content once per build; any problem stops the build with the full list
 * (nothing is half-published), in the same words `npm run check` prints.
 */
import { loadContent } from './lib/load-content.ts';
import { ContentError } from './lib/problems.ts';
import { computeStatus } from './lib/status.ts';
import { resolveBuildTime } from './lib/time.ts';

const result = loadContent(process.cwd());
if (!result.ok) throw new ContentError(result.problems);

/** All validated content. */
export const content = result.content;
/** The site configuration from content/site.yaml. */
export const site = content.site;
/** The build's "now": SOURCE_DATE_EPOCH when set, else the real clock. */
export const now = resolveBuildTime(process.env);
/** Current status of every component, computed once for every page. */
export const status = computeStatus(content, now);
