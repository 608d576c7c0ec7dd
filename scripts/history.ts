/**
 * `npm run history -- show|restore|rebuild [options]`: the monitoring history
 * the build keeps forever (issue 29; src/lib/monitoring/history-store.ts).
 *
 * - `show`: what each store file holds (series, days, first and last day, size).
 * - `restore FILE|URL`: merges a copy (e.g. the one the site publishes at
 *   https://status.example/history/status.json.gz) into the local store.
 *   Merging never loses a day and never double-counts, so restoring twice,
 *   or restoring an older copy, is harmless.
 * - `rebuild --logs DIR --vantage NAME` or `rebuild --summary FILE…`:
 *   appends every day of raw probe logs (all of them, not only 90 days) or
 *   of summary files to the local store.
 *
 * The store is `<dir>/status.json.gz` (components) or
 * `<dir>/directory.json.gz` (the IM-service directory); `--dir` defaults to
 * STATUS_HISTORY_DIR or `.history`, `--scope` to `status`.
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { appendSummary, describeHistory, mergeHistory } from '../src/lib/monitoring/history-store.ts';
import {
  HistoryReadError,
  HistoryWriteError,
  MAX_HISTORY_GZ_BYTES,
  parseHistoryBytes,
  readHistoryFile,
  writeHistoryFile,
} from '../src/lib/monitoring/history-store-io.ts';
import { formatBytes } from '../src/lib/monitoring/limits.ts';
import { summariseLogFolder } from '../src/lib/monitoring/probe-sources-io.ts';
import { ProbeSummarySchema } from '../src/lib/schemas.ts';
import { parseCommand, usageErrorFor } from '../src/lib/shared/usage-io.ts';

const USAGE = `Usage: npm run history -- show [--dir DIR]
       npm run history -- restore FILE|URL [--dir DIR] [--scope status|directory]
       npm run history -- rebuild (--logs DIR --vantage NAME | --summary FILE…) [--dir DIR] [--scope status|directory]`;
const usageError: (message: string) => never = usageErrorFor(USAGE);
const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};

const { values, positionals } = parseCommand(USAGE, {
  allowPositionals: true,
  options: {
    dir: { type: 'string' },
    scope: { type: 'string' },
    logs: { type: 'string' },
    vantage: { type: 'string' },
    summary: { type: 'string', multiple: true },
  },
});
const [command, source] = positionals;
const dir = resolve(values.dir ?? process.env.STATUS_HISTORY_DIR ?? '.history');
const scope = values.scope ?? (source && /directory\.json(\.gz)?$/.test(source) ? 'directory' : 'status');
if (scope !== 'status' && scope !== 'directory') usageError(`--scope must be "status" or "directory", got "${scope}"`);
const file = join(dir, `${scope}.json.gz`);

function save(store: Parameters<typeof writeHistoryFile>[1], what: string): void {
  try {
    const bytes = writeHistoryFile(file, store);
    const d = describeHistory(store);
    console.log(`${what}. ${file} now holds ${d.series} series, ${d.days} days from ${d.first} to ${d.last} (${formatBytes(bytes)}).`);
  } catch (err) {
    fail(err instanceof HistoryWriteError ? `Not saved: ${err.message}.` : `Not saved: ${(err as Error).message}`);
  }
}

if (command === 'show') {
  for (const name of ['status.json.gz', 'directory.json.gz']) {
    const read = readHistoryFile(join(dir, name));
    const d = describeHistory(read.store);
    console.log(
      read.origin === 'none'
        ? `${name}: ${read.problem}`
        : `${name}: ${d.series} series, ${d.days} days from ${d.first} to ${d.last}${read.problem ? ` (${read.problem})` : ''}`,
    );
  }
} else if (command === 'restore') {
  if (!source) usageError('restore needs a FILE or URL, e.g. https://status.jabber.org/history/status.json.gz');
  let bytes: Uint8Array;
  try {
    if (/^https?:\/\//.test(source!)) {
      const response = await fetch(source!, { signal: AbortSignal.timeout(60_000) });
      if (!response.ok) fail(`Could not restore from ${source}: HTTP ${response.status}. Check the address (the site publishes /history/${scope}.json.gz).`);
      const body = new Uint8Array(await response.arrayBuffer());
      if (body.length > MAX_HISTORY_GZ_BYTES) fail(`Could not restore from ${source}: over ${formatBytes(MAX_HISTORY_GZ_BYTES)}.`);
      bytes = body;
    } else bytes = readFileSync(source!);
  } catch (err) {
    fail(`Could not restore from ${source}: ${(err as Error).message}.`);
  }
  let restored;
  try {
    restored = parseHistoryBytes(source!, bytes!);
  } catch (err) {
    fail(err instanceof HistoryReadError ? `Not restored: ${err.message}.` : `Not restored: ${(err as Error).message}`);
  }
  const local = readHistoryFile(file);
  if (local.problem && local.origin !== 'none') console.warn(local.problem);
  const outcome = mergeHistory(local.store, restored!);
  save(
    local.store,
    `Restored ${basename(source!)}: ${outcome.added} days added, ${outcome.replaced} replaced by fuller copies, ${outcome.unchanged} already there`,
  );
} else if (command === 'rebuild') {
  const local = readHistoryFile(file);
  let added = 0;
  let replaced = 0;
  const now = new Date();
  if (values.logs) {
    if (!values.vantage) usageError('--logs needs --vantage NAME (the folder under DIR, e.g. ams)');
    let folder;
    try {
      folder = await summariseLogFolder(resolve(values.logs), values.vantage!, now, { allDays: true });
    } catch (err) {
      fail(`Cannot read ${join(values.logs, values.vantage!)}: ${(err as Error).message}.`);
    }
    const outcome = appendSummary(local.store, folder!.summary, now);
    added += outcome.added;
    replaced += outcome.replaced;
  }
  for (const path of values.summary ?? []) {
    let summary;
    try {
      summary = ProbeSummarySchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    } catch (err) {
      fail(`${path} is not a summary this build reads (${(err as Error).message.split('\n')[0]}); nothing saved.`);
    }
    const outcome = appendSummary(local.store, summary!, now);
    added += outcome.added;
    replaced += outcome.replaced;
  }
  if (!values.logs && !values.summary) usageError('rebuild needs --logs DIR --vantage NAME or --summary FILE');
  save(local.store, `Rebuilt: ${added} days added, ${replaced} replaced by fuller copies`);
} else {
  usageError(command ? `Unknown command "${command}"` : 'Name a command: show, restore or rebuild');
}
