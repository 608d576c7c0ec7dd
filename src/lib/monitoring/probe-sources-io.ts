/**
 * Gets each configured monitoring source at build time. Never fails the
 * build: a source that is down, slow, malformed, truncated or of an unknown
 * version is reported (in the build log and on the page) and the last good
 * copy is used when there is one.
 *
 * - `{ name, path }`: a summary file, or a folder of raw logs as written by
 *   `npm run probe --out` (summarised here);
 * - `{ name, url }`: a summary published by a probe host, fetched with a
 *   timeout and one retry; each good copy is kept in `.cache/probe-sources/`.
 */
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseRecordLine } from './probe-log.ts';
import { SummaryBuilder } from './probe-summary.ts';
import { ProbeSummarySchema, type ProbeSource, type ProbeSummary } from '../schemas.ts';

export interface LoadedSource {
  name: string;
  sample: boolean;
  /** Absent when nothing usable was found. */
  summary?: ProbeSummary;
  /** Where the data came from this build. */
  origin: 'file' | 'logs' | 'url' | 'cache' | 'none';
  /** What went wrong, for the build log and the page, e.g. `could not fetch (timed out after 5000 ms); using the copy from …`. */
  problem?: string;
}

export interface LoadOptions {
  /** Project root that `path` sources are relative to. */
  root: string;
  /** Where last good copies of URL sources are kept. */
  cacheDir: string;
  now: Date;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** Parses and validates a summary's text; the reason when it is not one. */
function parseSummary(text: string): { summary: ProbeSummary } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: 'is not valid JSON (truncated or not a summary)' };
  }
  const version = (json as { v?: unknown } | null)?.v;
  if (version !== 1) return { problem: `has format version ${JSON.stringify(version)}; this build reads version 1` };
  const parsed = ProbeSummarySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { problem: `is not a valid summary (${issue.path.join('.') || 'top level'}: ${issue.message})` };
  }
  return { summary: parsed.data };
}

export interface FolderSummary {
  summary: ProbeSummary;
  /** Day files read. */
  files: number;
  records: number;
  /** Torn or invalid lines, skipped. */
  skipped: number;
}

/**
 * Summarises one location's raw logs (`<dir>/<vantage>/YYYY-MM-DD.jsonl`, as
 * `npm run probe --out` writes them), streaming line by line and sealing each
 * day after its file, so memory stays flat however long the history. Used by
 * `npm run probe:summary` and by `path` sources at build time.
 */
export async function summariseLogFolder(dir: string, vantage: string, now: Date): Promise<FolderSummary> {
  const builder = new SummaryBuilder(vantage, now);
  const folder = join(dir, vantage);
  const files = readdirSync(folder).filter((f) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(f)).sort();
  let records = 0;
  let skipped = 0;
  for (const file of files) {
    // readline cannot tell whether the last line ended with "\n"; a torn
    // last line fails to parse either way and is counted as skipped.
    for await (const line of createInterface({ input: createReadStream(join(folder, file)), crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      const parsed = parseRecordLine(line, false);
      if ('record' in parsed) {
        builder.add(parsed.record);
        records++;
      } else skipped++;
    }
    builder.sealDay(file.slice(0, 10));
  }
  return { summary: builder.finish(), files: files.length, records, skipped };
}

async function fetchText(url: string, timeoutMs: number, fetchImpl: typeof globalThis.fetch): Promise<string> {
  let last: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return await response.text();
    } catch (err) {
      last = err;
    }
  }
  const e = last as Error;
  throw new Error(e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (e.cause as Error | undefined)?.message ?? e.message);
}

async function loadOne(source: ProbeSource, options: LoadOptions): Promise<LoadedSource> {
  const base = { name: source.name, sample: source.sample };
  // The source's name is the location readers see; it also keeps locations apart.
  const named = (summary: ProbeSummary) => ({ ...summary, vantage: source.name });
  if ('path' in source) {
    const path = resolve(options.root, source.path);
    if (!existsSync(path)) return { ...base, origin: 'none', problem: `${source.path} does not exist` };
    if (statSync(path).isDirectory()) {
      if (!existsSync(join(path, source.name))) return { ...base, origin: 'none', problem: `${source.path}/${source.name} does not exist (raw logs are read from <path>/<name>/)` };
      return { ...base, origin: 'logs', summary: (await summariseLogFolder(path, source.name, options.now)).summary };
    }
    const parsed = parseSummary(readFileSync(path, 'utf8'));
    return 'summary' in parsed ? { ...base, origin: 'file', summary: named(parsed.summary) } : { ...base, origin: 'none', problem: `${source.path} ${parsed.problem}` };
  }
  const cacheFile = join(options.cacheDir, `${source.name}.json`);
  const fromCache = (why: string): LoadedSource => {
    if (existsSync(cacheFile)) {
      const cached = parseSummary(readFileSync(cacheFile, 'utf8'));
      if ('summary' in cached) return { ...base, origin: 'cache', summary: named(cached.summary), problem: `${why}; using the last good copy, generated ${cached.summary.generatedAt}` };
    }
    return { ...base, origin: 'none', problem: `${why}; no earlier copy to fall back on` };
  };
  let text: string;
  try {
    text = await fetchText(source.url, options.timeoutMs ?? 5000, options.fetch ?? globalThis.fetch);
  } catch (err) {
    return fromCache(`could not fetch ${source.url} (${(err as Error).message})`);
  }
  const parsed = parseSummary(text);
  if (!('summary' in parsed)) return fromCache(`${source.url} ${parsed.problem}`);
  mkdirSync(options.cacheDir, { recursive: true });
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, cacheFile);
  return { ...base, origin: 'url', summary: named(parsed.summary) };
}

/** Loads every source at once; never throws for a source's sake. */
export async function loadProbeSources(sources: readonly ProbeSource[], options: LoadOptions): Promise<LoadedSource[]> {
  return await Promise.all(sources.map((s) => loadOne(s, options).catch((err: Error): LoadedSource => ({ name: s.name, sample: s.sample, origin: 'none', problem: `could not be read (${err.message})` }))));
}

/**
 * Writes a summary to a temporary file and renames it into place, so a
 * reader (the build, or a web server publishing it) never sees half of it.
 * @param out e.g. `/var/lib/jabber-status/ams.json`
 * @returns the number of bytes written
 */
export function writeSummaryFile(out: string, summary: ProbeSummary): number {
  const text = `${JSON.stringify(summary)}\n`;
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, out);
  return Buffer.byteLength(text);
}
