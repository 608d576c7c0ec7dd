/**
 * `npm run check [-- --root DIR]`: validates all content without building.
 * Prints every problem (file:line: field: message) and exits non-zero if there
 * is any, so CI and admins see exactly what to fix.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadContent, parseCacheFile } from '../src/lib/content/load-content-io.ts';
import { formatProblems } from '../src/lib/content/problems.ts';
import { resolveBuildTime } from '../src/lib/shared/time.ts';
import { promiseWarnings } from '../src/lib/status/promises.ts';
import { directorySourceProblems, probeSourceProblemsInSiteFile } from '../src/lib/monitoring/probe-sources-io.ts';
import { loadAnnouncements } from '../src/lib/certs/announcements-io.ts';

const { values } = parseArgs({ options: { root: { type: 'string', default: process.env.STATUS_CONTENT_ROOT || '.' } } });
const root = resolve(values.root);
// The same parse cache as the build: `npm run build` checks first, so the build then reads it warm.
const result = loadContent(root, { parseCacheFile: parseCacheFile(process.env, process.cwd()) });
// Probe sources that point nowhere are configuration mistakes: reported here,
// with the rest, never published on the page (issue 10, class 11).
// The directory's sources are read the same way by the build, so they are checked the same way (issue 22).
// Planned certificate changes (issue 30): content/certificates.yaml, read by the build the same way.
const announcements = loadAnnouncements(root);
const sourceProblems = [...probeSourceProblemsInSiteFile(root), ...directorySourceProblems(root), ...(announcements.ok ? [] : announcements.problems)];
if (result.ok && sourceProblems.length === 0) {
  const { site, incidents, maintenance, updates } = result.content;
  // Broken promises and entries from the future are warnings: the site must
  // still publish in the middle of an outage.
  const warnings = promiseWarnings(result.content, resolveBuildTime(process.env));
  if (warnings.length > 0) console.warn(formatProblems(warnings, 'warning'));
  console.log(
    `Content is valid: ${site.components.length} components, ${incidents.length} incidents, ` +
      `${maintenance.length} maintenance windows, ${updates.length} daily updates.`,
  );
} else {
  console.error(formatProblems([...(result.ok ? [] : result.problems), ...sourceProblems]));
  process.exitCode = 1;
}
