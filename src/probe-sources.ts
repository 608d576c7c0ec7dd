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
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseProbeLog } from './lib/probe-log.ts';
import { SummaryBuilder } from './lib/probe-summary.ts';
import { ProbeSummarySchema, type ProbeSource, type ProbeSummary } from './lib/schemas.ts';

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

function summariseLogs(dir: string, vantage: string, now: Date): ProbeSummary {
  const builder = new SummaryBuilder(vantage, now);
  const folder = join(dir, vantage);
  for (const file of readdirSync(folder).filter((f) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(f)).sort()) {
    for (const record of parseProbeLog(file, readFileSync(join(folder, file), 'utf8')).records) builder.add(record);
    builder.sealDay(file.slice(0, 10));
  }
  return builder.finish();
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
      return { ...base, origin: 'logs', summary: summariseLogs(path, source.name, options.now) };
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
