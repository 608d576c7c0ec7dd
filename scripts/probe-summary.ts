/**
 * `npm run probe:summary -- --in DIR --out FILE [--vantage NAME] [--now ISO] [--domain NAME]…`
 *
 * Streams one vantage point's raw logs (DIR/<vantage>/*.jsonl, as written by
 * `npm run probe`) into a compact summary (ProbeSummarySchema): the file a
 * probe host publishes and the build fetches. Reads line by line and seals
 * each day after its file, so memory stays flat however long the history.
 * Torn or invalid lines are skipped and counted, never fatal; so are lines
 * over the 256 KiB line cap, which are never held in memory. Only the last
 * 90 days are kept. A host logging more than 400 domain/check pairs is
 * refused (exit 1) with how to split it: `--domain` (repeatable) keeps only
 * those domains. The output is written to a temporary file and renamed, so
 * readers never see half of it. `--compact` writes format 2 (issue 29): days
 * as columns and no 48-hour minute block, a fraction of the size; the
 * directory's probe hosts use it. `--rotate` then gzips the complete day
 * files (older than yesterday) and deletes those older than
 * `--retention-days` (default 400; see log-rotation.ts).
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatBytes, MAX_LINE_BYTES, MAX_SUMMARY_BYTES } from '../src/lib/monitoring/limits.ts';
import { summariseLogFolder, writeSummaryFile, type FolderSummary } from '../src/lib/monitoring/probe-sources-io.ts';
import { compactSummary, SummaryLimitError } from '../src/lib/monitoring/probe-summary.ts';
import { DEFAULT_RETENTION_DAYS } from '../src/lib/monitoring/log-rotation.ts';
import { RotationError, rotateLogs } from '../src/lib/monitoring/log-rotation-io.ts';
import { WINDOW_DAYS } from '../src/lib/monitoring/limits.ts';

const USAGE =
  'Usage: npm run probe:summary -- --in DIR --out FILE [--vantage NAME] [--now 2026-11-21T12:00:00Z] [--domain jabber.org]… [--compact] [--rotate [--retention-days 400]]';
function fail(message: string, code = 2): never {
  console.error(code === 2 ? `${message}\n${USAGE}` : message);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      in: { type: 'string' },
      out: { type: 'string' },
      vantage: { type: 'string' },
      now: { type: 'string' },
      domain: { type: 'string', multiple: true },
      // Issue 29: days as columns, no 48-hour block (the directory's form).
      compact: { type: 'boolean', default: false },
      // Issue 29: once summarised, gzip complete day files and delete those past retention.
      rotate: { type: 'boolean', default: false },
      'retention-days': { type: 'string' },
      // For tests: prove the line cap with a few megabytes instead of 700.
      'max-line-bytes': { type: 'string' },
    },
  }));
} catch (err) {
  fail((err as Error).message);
}
if (!values.in || !values.out) fail('--in and --out are required');
const now = values.now ? new Date(values.now) : new Date();
if (Number.isNaN(now.getTime())) fail(`--now must be an ISO time, got "${values.now}"`);
const maxLineBytes = values['max-line-bytes'] === undefined ? MAX_LINE_BYTES : Number(values['max-line-bytes']);
if (!Number.isInteger(maxLineBytes) || maxLineBytes <= 0) fail(`--max-line-bytes must be a positive whole number, got "${values['max-line-bytes']}"`);

const root = resolve(values.in);
let vantage = values.vantage;
if (!vantage) {
  let dirs: string[] = [];
  try {
    dirs = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    fail(`Cannot read ${root}`);
  }
  if (dirs.length !== 1) fail(`${root} holds ${dirs.length} vantage folders (${dirs.join(', ') || 'none'}); name one with --vantage`);
  vantage = dirs[0]!;
}
let result: FolderSummary;
try {
  result = await summariseLogFolder(root, vantage, now, { maxLineBytes, ...(values.domain ? { domains: values.domain } : {}) });
} catch (err) {
  if (err instanceof SummaryLimitError) fail(`No summary written: ${err.message}.`, 1);
  fail(`Cannot read ${join(root, vantage)}`);
}
const { records, skipped, tooLong, outsideWindow, files, damaged } = result;
const summary = values.compact ? compactSummary(result.summary) : result.summary;
const out = resolve(values.out);
// Never publish what the build would refuse to read.
const size = Buffer.byteLength(JSON.stringify(summary)) + 1;
if (size > MAX_SUMMARY_BYTES) {
  fail(
    `No summary written: it would be ${formatBytes(size)}, over the ${formatBytes(MAX_SUMMARY_BYTES)} a build reads. Summarise fewer domains per file with --domain NAME (repeatable).`,
    1,
  );
}
let bytes = 0;
try {
  bytes = writeSummaryFile(out, summary);
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  fail(
    code === 'ENOSPC' || code === 'EDQUOT'
      ? `No summary written: the disk holding ${out} is full (the previous summary is intact). Free space there; "--rotate" compresses and expires raw logs.`
      : `No summary written to ${out}: ${(err as Error).message}.`,
    1,
  );
}
const notes = [
  `${skipped} skipped`,
  ...(tooLong ? [`${tooLong} line${tooLong === 1 ? '' : 's'} over the ${formatBytes(maxLineBytes)} line cap skipped`] : []),
  ...(damaged.length ? [`${damaged.length} damaged day file${damaged.length === 1 ? '' : 's'} read up to the damage (${damaged.join('; ')})`] : []),
  ...(outsideWindow ? [`${outsideWindow} outside the 90-day window or from the future`] : []),
];
console.log(
  `Summarised ${records} records (${notes.join('; ')}) from ${files} files of vantage "${vantage}" into ${out} (${bytes} bytes, ${summary.checks.length} checks).`,
);

if (values.rotate) {
  const retention = values['retention-days'] === undefined ? DEFAULT_RETENTION_DAYS : Number(values['retention-days']);
  if (!Number.isInteger(retention) || retention <= WINDOW_DAYS)
    fail(`--retention-days must be a whole number over ${WINDOW_DAYS} (the days a summary reads), got "${values['retention-days']}"`);
  try {
    const plan = await rotateLogs(join(root, vantage), now, retention);
    console.log(
      `Rotated ${join(root, vantage)}: ${plan.compress.length} day file${plan.compress.length === 1 ? '' : 's'} compressed, ${plan.remove.length} older than ${retention} days deleted.`,
    );
  } catch (err) {
    fail(err instanceof RotationError ? `Rotation stopped: ${err.message}.` : `Rotation stopped: ${(err as Error).message}.`, 1);
  }
}
