/**
 * `npm run probe:summary -- --in DIR --out FILE [--vantage NAME] [--now ISO]`
 *
 * Streams one vantage point's raw logs (DIR/<vantage>/*.jsonl, as written by
 * `npm run probe`) into a compact summary (ProbeSummarySchema): the file a
 * probe host publishes and the build fetches. Reads line by line and seals
 * each day after its file, so memory stays flat however long the history.
 * Torn or invalid lines are skipped and counted, never fatal. The output is
 * written to a temporary file and renamed, so readers never see half of it.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { summariseLogFolder, writeSummaryFile, type FolderSummary } from '../src/lib/monitoring/probe-sources-io.ts';

const USAGE = 'Usage: npm run probe:summary -- --in DIR --out FILE [--vantage NAME] [--now 2026-11-21T12:00:00Z]';
function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({ options: { in: { type: 'string' }, out: { type: 'string' }, vantage: { type: 'string' }, now: { type: 'string' } } }));
} catch (err) {
  fail((err as Error).message);
}
if (!values.in || !values.out) fail('--in and --out are required');
const now = values.now ? new Date(values.now) : new Date();
if (Number.isNaN(now.getTime())) fail(`--now must be an ISO time, got "${values.now}"`);

const root = resolve(values.in);
let vantage = values.vantage;
if (!vantage) {
  let dirs: string[] = [];
  try {
    dirs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    fail(`Cannot read ${root}`);
  }
  if (dirs.length !== 1) fail(`${root} holds ${dirs.length} vantage folders (${dirs.join(', ') || 'none'}); name one with --vantage`);
  vantage = dirs[0]!;
}
let result: FolderSummary;
try {
  result = await summariseLogFolder(root, vantage, now);
} catch {
  fail(`Cannot read ${join(root, vantage)}`);
}
const { summary, records, skipped, files } = result;
const out = resolve(values.out);
const bytes = writeSummaryFile(out, summary);
console.log(`Summarised ${records} records (${skipped} skipped) from ${files} files of vantage "${vantage}" into ${out} (${bytes} bytes, ${summary.checks.length} checks).`);
