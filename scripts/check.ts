/**
 * `npm run check [-- --root DIR]`: validates all content without building.
 * Prints every problem (file:line: field: message) and exits non-zero if there
 * is any, so CI and admins see exactly what to fix.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadContent } from '../src/lib/content/load-content-io.ts';
import { formatProblems } from '../src/lib/content/problems.ts';

const { values } = parseArgs({ options: { root: { type: "string", default: process.env.STATUS_CONTENT_ROOT || "." } } });
const result = loadContent(resolve(values.root));
if (result.ok) {
  const { site, incidents, maintenance, updates } = result.content;
  console.log(
    `Content is valid: ${site.components.length} components, ${incidents.length} incidents, ` +
      `${maintenance.length} maintenance windows, ${updates.length} daily updates.`,
  );
} else {
  console.error(formatProblems(result.problems));
  process.exitCode = 1;
}
