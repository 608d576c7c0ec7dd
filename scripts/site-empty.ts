/**
 * `npm run site:empty`: turns the bundled sample into an empty site ready
 * for real content (issue 25). Removes the sample incidents, daily updates,
 * maintenance windows, directory services, monitoring data and the marker
 * content/SAMPLE.md; removes the probe and directory sources marked
 * `sample: true`; keeps every `_template.md` and the configuration. Then runs
 * the content check, so what is left is valid.
 *
 * Exit code 0 when the site is empty and valid; 1 when the check fails
 * afterwards (it prints why); 2 on a usage error.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadContent } from '../src/lib/content/load-content-io.ts';
import { formatProblems } from '../src/lib/content/problems.ts';
import { sampleFilesToRemove, withoutSampleItems } from '../src/lib/content/sample-site.ts';
import { contentFiles, sampleReasonsAt } from '../src/lib/content/sample-site-io.ts';
import { parseCommand } from '../src/lib/shared/usage-io.ts';

const USAGE = `Usage: npm run site:empty [-- --root DIR]

Removes the sample content and sample monitoring sources, keeps templates and
configuration, and checks that what is left is valid. Commit the result.

Options:
  --root DIR   the project folder (default: the current one)
  --help       show this text`;
const parsed = parseCommand(USAGE, { options: { root: { type: 'string', default: process.env.STATUS_CONTENT_ROOT || '.' } } });
const root = resolve(parsed.values.root);
const removed = sampleFilesToRemove(contentFiles(root));
for (const f of removed) rmSync(join(root, f), { force: true });
// Year folders of incidents left empty, and the sample's monitoring folder.
for (const dir of ['content/probe-sample', ...(existsSync(join(root, 'incidents')) ? readdirSync(join(root, 'incidents')).map((n) => `incidents/${n}`) : [])]) {
  const full = join(root, dir);
  if (existsSync(full) && statSync(full).isDirectory() && readdirSync(full).length === 0) rmdirSync(full);
}
for (const [file, key] of [
  ['content/site.yaml', 'sources'],
  ['content/services/directory.yaml', 'sources'],
] as const) {
  try {
    const before = readFileSync(join(root, file), 'utf8');
    const after = withoutSampleItems(before, key);
    if (after !== before) writeFileSync(join(root, file), after);
  } catch {
    // Missing: the check below names it.
  }
}
const loaded = loadContent(root);
if (!loaded.ok) {
  console.error(formatProblems(loaded.problems));
  console.error(`Removed ${removed.length} sample files, but the content left is not valid (above). Fix those lines, then run npm run check.`);
  process.exit(1);
}
const still = sampleReasonsAt(root);
console.log(`Removed ${removed.length} sample files and the sample monitoring sources. The content is valid and empty.`);
if (still.length > 0) console.log(`Still sample-like (edit by hand):\n${still.map((r) => `  ${r}`).join('\n')}`);
console.log('Next: add your probe hosts to probes.sources in content/site.yaml (url: https://<probe host>/summary.json), then commit and push.');
