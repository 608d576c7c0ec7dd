/**
 * Gets each configured monitoring source at build time. Never fails the
 * build: a source that is down, slow, malformed, truncated, too big, dated
 * in the future, redirected elsewhere or of an unknown version is reported
 * (in detail in the build log, in fixed words on the page) and the last good
 * copy is used when there is one.
 *
 * - `{ name, path }`: a summary file, or a folder of raw logs as written by
 *   `npm run probe --out` (summarised here);
 * - `{ name, url }`: a summary published by a probe host, fetched with a
 *   timeout and one retry; each good copy is kept in `.cache/probe-sources/`.
 *
 * Every source is hostile until proven otherwise (issue 10): bodies and
 * files are read up to `MAX_SUMMARY_BYTES`, raw-log lines up to
 * `MAX_LINE_BYTES`, redirects to another origin are refused unless the
 * source allows them, and times beyond `MAX_CLOCK_SKEW_MS` are refused.
 * Configuration mistakes (a `path` that does not exist) are `npm run check`
 * problems (`probeSourceProblems`), not notices on the public page.
 */
import { createReadStream, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createGunzip, gunzipSync, gzipSync } from 'node:zlib';
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from 'yaml';
import type { Problem } from '../content/problems.ts';
import { DirectorySourceSchema, ProbeSourceSchema, ProbeSummarySchema, SUMMARY_VERSIONS, type ProbeSource, type ProbeSummary } from '../schemas.ts';
import { MAX_FILE_BYTES } from '../content/content.ts';
import { formatBytes, MAX_LINE_BYTES, MAX_REDIRECTS, MAX_SUMMARY_BYTES } from './limits.ts';
import { LineSplitter } from './line-splitter.ts';
import { parseRecordLine } from './probe-log.ts';
import { SummaryBuilder, SummaryLimitError, type SummaryBuilderOptions } from './probe-summary.ts';
import type { SourceReason } from './source-freshness.ts';
import { vetSummary } from './vet-summary.ts';
import { openRegularFile, readRegularFile } from '../shared/regular-file-io.ts';
import { redactUrl, redactUrlsIn } from '../shared/redact-url.ts';
import { writeFileAtomic } from '../shared/atomic-write-io.ts';

export interface LoadedSource {
  name: string;
  sample: boolean;
  /** Absent when nothing usable was found. */
  summary?: ProbeSummary;
  /** Where the data came from this build. */
  origin: 'file' | 'logs' | 'url' | 'cache' | 'none';
  /** Why the latest data was not used, in the closed vocabulary readers see. */
  reason?: SourceReason;
  /** What went wrong, for the build log only (may name files and URLs), e.g. `could not fetch … (timed out after 5000 ms); using the copy from …`. */
  problem?: string;
}

export interface LoadOptions {
  /** Project root that `path` sources are relative to. */
  root: string;
  /** Where last good copies of URL sources are kept. */
  cacheDir: string;
  now: Date;
  timeoutMs?: number;
  /** Largest summary read, default `MAX_SUMMARY_BYTES`; lowered by tests. */
  maxBytes?: number;
  /** Longest raw-log line read, default `MAX_LINE_BYTES`. */
  maxLineBytes?: number;
  fetch?: typeof globalThis.fetch;
}

/** A source that gave nothing usable: the reason readers see and the detail for the log. */
class SourceFailure extends Error {
  readonly reason: SourceReason;
  constructor(reason: SourceReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** A URL fit for the build log (shared/redact-url.ts), kept here for its callers. */
export { redactUrl };

/** Parses and validates a summary's text; the reason when it is not one. */
function parseSummary(text: string): { summary: ProbeSummary } | { reason: SourceReason; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { reason: 'invalid', problem: 'is not valid JSON (truncated or not a summary)' };
  }
  const version = (json as { v?: unknown } | null)?.v;
  if (!(SUMMARY_VERSIONS as readonly unknown[]).includes(version))
    return {
      reason: 'unknown-version',
      problem: `has format version ${JSON.stringify(version)?.slice(0, 40)}; this build reads versions ${SUMMARY_VERSIONS.slice(0, -1).join(', ')} and ${SUMMARY_VERSIONS.at(-1)}`,
    };
  const parsed = ProbeSummarySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { reason: 'invalid', problem: `is not a valid summary (${issue.path.join('.') || 'top level'}: ${issue.message})` };
  }
  return { summary: parsed.data };
}

/** Parses, validates and vets a summary against `now`. */
function acceptSummary(text: string, now: Date): { summary: ProbeSummary } | { reason: SourceReason; problem: string } {
  const parsed = parseSummary(text);
  return 'summary' in parsed ? vetSummary(parsed.summary, now) : parsed;
}

/**
 * Reads a whole summary of at most `maxBytes` through the shared reader
 * (regular files only, no links followed, never more than the cap; issue 22),
 * or says why not.
 */
function readCapped(path: string, maxBytes: number): string {
  const read = readRegularFile(path, maxBytes);
  if (!read.ok && read.reason === 'too-large')
    throw new SourceFailure('too-large', `is ${formatBytes(read.size ?? maxBytes + 1)}, over the ${formatBytes(maxBytes)} cap for a summary; not read`);
  if (!read.ok) throw new SourceFailure(read.reason === 'missing' ? 'missing' : 'invalid', read.problem);
  return decodeSummaryBytes(read.bytes, maxBytes);
}

/**
 * A summary's bytes as text: gzipped summaries (`--out FILE.json.gz`,
 * issue 29) are unpacked, and the unpacked text is held to the same cap.
 */
function decodeSummaryBytes(bytes: Uint8Array, maxBytes: number): string {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes }).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new SourceFailure('too-large', `unpacks to more than the ${formatBytes(maxBytes)} cap for a summary; not read`);
    throw new SourceFailure('invalid', 'is a gzip file cut short or damaged');
  }
}

export interface FolderSummary {
  summary: ProbeSummary;
  /** Day files read. */
  files: number;
  records: number;
  /** Torn or invalid lines, skipped. */
  skipped: number;
  /** Lines longer than the cap, skipped without being held in memory. */
  tooLong: number;
  /** Records outside the 90-day window or from the future, not counted. */
  outsideWindow: number;
  /**
   * Day files cut short or damaged (a rotated `.jsonl.gz` whose gzip stream
   * breaks off), e.g. `['2026-11-07.jsonl.gz: unexpected end of file']`: the
   * lines before the damage are read, the rest of that file is skipped, and
   * the other days are summarised as usual.
   */
  damaged: string[];
}

export interface FolderOptions extends SummaryBuilderOptions {
  /** Longest line read, default `MAX_LINE_BYTES` (256 KiB). */
  maxLineBytes?: number;
}

/** Streams a file's lines, each at most `maxLineBytes`; longer ones come out as `tooLong` markers. */
async function* readLines(file: string, maxLineBytes: number) {
  // Opened by the shared reader's rule: a day file that is a link, a FIFO or
  // a device (which never ends) is skipped, not streamed (issue 22).
  const opened = openRegularFile(file);
  if (!opened.ok) return;
  const splitter = new LineSplitter(maxLineBytes);
  // Rotated day files are gzipped (log-rotation.ts, issue 29).
  const raw = createReadStream('', { fd: opened.fd, highWaterMark: 64 * 1024 });
  const stream = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  try {
    for await (const chunk of stream) yield* splitter.push(chunk as Buffer);
  } catch (err) {
    // One damaged day file must not cost the location its whole summary
    // (found by a review: a truncated .jsonl.gz made the source "invalid").
    // The half line before the break is dropped with the rest.
    yield { damaged: (err as Error).message };
    return;
  } finally {
    raw.destroy();
  }
  yield* splitter.end();
}

/**
 * Summarises one location's raw logs (`<dir>/<vantage>/YYYY-MM-DD.jsonl`, as
 * `npm run probe --out` writes them), streaming line by line and sealing each
 * day after its file, so memory stays flat however long the history and
 * however long a line: lines over `maxLineBytes` are skipped and counted.
 * Day files before the 90-day window are not read. Used by
 * `npm run probe:summary` and by `path` sources at build time.
 * @throws SummaryLimitError when the logs hold more (domain, check) pairs than a summary may
 */
export async function summariseLogFolder(dir: string, vantage: string, now: Date, options: FolderOptions = {}): Promise<FolderSummary> {
  const builder = new SummaryBuilder(vantage, now, options);
  const folder = join(dir, vantage);
  const files = readdirSync(folder)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.jsonl(\.gz)?$/.test(f) && f.slice(0, 10) >= builder.firstDate)
    .sort();
  let records = 0;
  let skipped = 0;
  let tooLong = 0;
  let outsideWindow = 0;
  const damaged: string[] = [];
  for (const file of files) {
    for await (const line of readLines(join(folder, file), options.maxLineBytes ?? MAX_LINE_BYTES)) {
      if ('damaged' in line) {
        damaged.push(`${file}: ${line.damaged}`);
        continue;
      }
      if ('tooLong' in line) {
        tooLong++;
        continue;
      }
      if (!line.text.trim()) continue;
      const parsed = parseRecordLine(line.text, line.torn);
      if (!parsed.ok) {
        skipped++;
        continue;
      }
      const outcome = builder.add(parsed.record);
      if (outcome === 'added') records++;
      else if (outcome === 'before-window' || outcome === 'future') outsideWindow++;
    }
    // A day may be in two files (plain and gzipped, after a rotation cut
    // short): seal it after its last, so its samples are deduplicated once.
    if (files[files.indexOf(file) + 1]?.slice(0, 10) !== file.slice(0, 10)) builder.sealDay(file.slice(0, 10));
  }
  return { summary: builder.finish(), files: files.length, records, skipped, tooLong, outsideWindow, damaged };
}

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  allowCrossOriginRedirects: boolean;
  fetch: typeof globalThis.fetch;
}

/**
 * One GET of a summary: redirects followed by hand (same origin only,
 * unless allowed; at most `MAX_REDIRECTS`), the body streamed and cut off at
 * `maxBytes`, the whole exchange under one timeout.
 */
async function fetchOnce(url: string, limits: FetchLimits, conditional: Validators = {}): Promise<FetchedSummary> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const first = new URL(url);
  const origin = first.origin;
  // Credentials in the URL (a probe host behind HTTP auth) go in a header:
  // fetch refuses them in the URL, and they must never reach a log. They
  // are only ever sent to the source's own origin.
  const auth = first.username || first.password ? `Basic ${btoa(`${decodeURIComponent(first.username)}:${decodeURIComponent(first.password)}`)}` : undefined;
  let current = new URL(redactUrl(first));
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = auth && current.origin === origin ? { authorization: auth } : {};
    // A conditional request (issue 28's watcher): the validators the server sent last time.
    if (conditional.etag) headers['if-none-match'] = conditional.etag;
    if (conditional.lastModified) headers['if-modified-since'] = conditional.lastModified;
    const response = await limits.fetch(current, { signal, redirect: 'manual', headers });
    if (response.status === 304) {
      await response.body?.cancel().catch(() => {});
      return { notModified: true, ...validatorsOf(response) };
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel().catch(() => {});
      if (hop >= MAX_REDIRECTS) throw new SourceFailure('unreachable', `more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(response.headers.get('location')!, current);
      if (next.origin !== origin && !limits.allowCrossOriginRedirects) {
        throw new SourceFailure(
          'redirected',
          `redirects to another origin (${redactUrl(next.origin)}), which is not followed. Put the final address in content/site.yaml, or set allowCrossOriginRedirects: true on this source`,
        );
      }
      if (!/^https?:$/.test(next.protocol)) throw new SourceFailure('redirected', `redirects to a ${next.protocol} address, which is not followed`);
      current = next;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new SourceFailure('unreachable', `HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    const cap = `the ${formatBytes(limits.maxBytes)} cap for a summary`;
    if (declared > limits.maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new SourceFailure('too-large', `declares a ${formatBytes(declared)} body, over ${cap}; not read`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > limits.maxBytes) {
          await reader.cancel().catch(() => {});
          throw new SourceFailure('too-large', `sent more than ${cap}; stopped reading`);
        }
        chunks.push(value);
      }
    }
    const body = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      body.set(c, at);
      at += c.length;
    }
    return { notModified: false, text: decodeSummaryBytes(body, limits.maxBytes), ...validatorsOf(response) };
  }
}

/** A server's validators for a response (RFC 9110 §8.8), e.g. nginx's `"6750c2a1-1c3b"` and `Wed, 04 Dec 2026 15:00:05 GMT`. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** One fetch of a summary: its text, or "not modified" when the validators sent still match. */
export type FetchedSummary = ({ notModified: true } | { notModified: false; text: string }) & Validators;

function validatorsOf(response: Response): Validators {
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

/** Fetches with one retry for network trouble; a too-big body or a refused redirect is not retried. */
async function fetchText(url: string, limits: FetchLimits): Promise<string> {
  const fetched = await fetchSummary(url, limits);
  // No validators were sent, so the server has nothing to answer 304 to.
  if (fetched.notModified) throw new SourceFailure('unreachable', 'HTTP 304 to a request that was not conditional');
  return fetched.text;
}

/**
 * A summary fetched exactly as the build fetches it (the same redirect
 * rule, size cap, timeout and one retry), conditionally when `conditional`
 * holds the validators of the copy already seen: then a server that has
 * nothing newer answers 304 without a body. Used by the watcher
 * (release/follow-io.ts, issue 28), which polls every few seconds.
 * @throws Error whose message is a sentence for the log, URL credentials removed, e.g. `timed out after 5000 ms`
 */
export async function fetchSummary(url: string, limits: FetchLimits, conditional: Validators = {}): Promise<FetchedSummary> {
  let last: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return await fetchOnce(url, limits, conditional);
    } catch (err) {
      last = err;
      if (err instanceof SourceFailure && err.reason !== 'unreachable') break;
    }
  }
  if (last instanceof SourceFailure) throw last;
  const e = last as Error;
  const message = e.name === 'TimeoutError' ? `timed out after ${limits.timeoutMs} ms` : ((e.cause as Error | undefined)?.message ?? e.message);
  // Even the build log never shows a password that some error text echoed.
  throw new SourceFailure('unreachable', message.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1'));
}

async function loadOne(source: ProbeSource, options: LoadOptions): Promise<LoadedSource> {
  const base = { name: source.name, sample: source.sample };
  const maxBytes = options.maxBytes ?? MAX_SUMMARY_BYTES;
  // The source's name is the location readers see; it also keeps locations apart.
  const named = (summary: ProbeSummary) => ({ ...summary, vantage: source.name });
  if ('path' in source) {
    // A missing path is a configuration mistake that `npm run check` (run
    // before every build) reports; this is only the fallback.
    const path = resolve(options.root, source.path);
    if (!existsSync(path)) return { ...base, origin: 'none', reason: 'missing', problem: `${source.path} does not exist` };
    // lstat: a link to a folder is refused by the reader below, never followed.
    if (lstatSync(path).isDirectory()) {
      if (!existsSync(join(path, source.name)))
        return { ...base, origin: 'none', reason: 'missing', problem: `${source.path}/${source.name} does not exist (raw logs are read from <path>/<name>/)` };
      try {
        const folder = await summariseLogFolder(path, source.name, options.now, { maxLineBytes: options.maxLineBytes });
        const skippedNote =
          (folder.tooLong ? `; ${folder.tooLong} line(s) longer than ${formatBytes(options.maxLineBytes ?? MAX_LINE_BYTES)} skipped` : '') +
          (folder.damaged.length ? `; ${folder.damaged.length} damaged day file(s) read up to the damage (${folder.damaged[0]})` : '');
        return {
          ...base,
          origin: 'logs',
          summary: folder.summary,
          ...(skippedNote ? { problem: `raw logs in ${source.path}/${source.name}${skippedNote}` } : {}),
        };
      } catch (err) {
        if (err instanceof SummaryLimitError) return { ...base, origin: 'none', reason: 'too-large', problem: err.message };
        throw err;
      }
    }
    try {
      const accepted = acceptSummary(readCapped(path, maxBytes), options.now);
      return 'summary' in accepted
        ? { ...base, origin: 'file', summary: named(accepted.summary) }
        : { ...base, origin: 'none', reason: accepted.reason, problem: `${source.path} ${accepted.problem}` };
    } catch (err) {
      if (err instanceof SourceFailure) return { ...base, origin: 'none', reason: err.reason, problem: `${source.path} ${err.message}` };
      throw err;
    }
  }
  const where = redactUrl(source.url);
  const cacheFile = join(options.cacheDir, `${source.name}.json`);
  const fromCache = (reason: SourceReason, why: string): LoadedSource => {
    if (existsSync(cacheFile)) {
      try {
        const cached = acceptSummary(readCapped(cacheFile, maxBytes), options.now);
        if ('summary' in cached)
          return {
            ...base,
            origin: 'cache',
            reason,
            summary: named(cached.summary),
            problem: `${why}; using the last good copy, generated ${cached.summary.generatedAt}`,
          };
      } catch {
        // An unreadable cache is no fallback; say so below.
      }
    }
    return { ...base, origin: 'none', reason, problem: `${why}; no earlier copy to fall back on` };
  };
  let text: string;
  try {
    text = await fetchText(source.url, {
      timeoutMs: options.timeoutMs ?? 5000,
      maxBytes,
      allowCrossOriginRedirects: source.allowCrossOriginRedirects,
      fetch: options.fetch ?? globalThis.fetch,
    });
  } catch (err) {
    const failure = err instanceof SourceFailure ? err : new SourceFailure('unreachable', (err as Error).message);
    // fetch quotes the whole URL in some errors (credentials included): redacted like every URL (issue 22).
    const said = redactUrlsIn(failure.message);
    return fromCache(failure.reason, failure.reason === 'unreachable' ? `could not fetch ${where} (${said})` : `${where} ${said}`);
  }
  const accepted = acceptSummary(text, options.now);
  if (!('summary' in accepted)) return fromCache(accepted.reason, `${where} ${accepted.problem}`);
  mkdirSync(options.cacheDir, { recursive: true });
  writeFileAtomic(cacheFile, text);
  return { ...base, origin: 'url', summary: named(accepted.summary) };
}

/** Loads every source at once; never throws for a source's sake. */
export async function loadProbeSources(sources: readonly ProbeSource[], options: LoadOptions): Promise<LoadedSource[]> {
  return await Promise.all(
    sources.map((s) =>
      loadOne(s, options).catch((err: Error): LoadedSource => ({
        name: s.name,
        sample: s.sample,
        origin: 'none',
        reason: 'invalid',
        problem: `could not be read (${err.message})`,
      })),
    ),
  );
}

/**
 * Writes a summary to a temporary file and renames it into place, so a
 * reader (the build, or a web server publishing it) never sees half of it.
 * A name ending in `.gz` is written gzipped (issue 29: the directory's
 * compact summaries are a few MB of text that gzip shrinks many times).
 * @param out e.g. `/var/lib/jabber-status/ams.json` or `services-ams-1.json.gz`
 * @returns the number of bytes written
 */
export function writeSummaryFile(out: string, summary: ProbeSummary): number {
  const text = `${JSON.stringify(summary)}\n`;
  const bytes = out.endsWith('.gz') ? gzipSync(text, { level: 9 }) : Buffer.from(text);
  writeFileAtomic(out, bytes);
  return bytes.length;
}

const SITE_FILE = 'content/site.yaml';

/**
 * Configuration mistakes in `path` sources, as `npm run check` problems
 * (issue 10: a missing path used to pass the check and be published on the
 * home page). Checks that the path exists, that a folder holds the
 * location's `<name>/` log folder, and that a file is a summary this build
 * reads. Times are not judged here: old data is news for readers, not a
 * configuration mistake.
 * @param root project root, e.g. `/srv/jabber-status`
 * @param sources `probes.sources` from content/site.yaml
 * @param lineOf 1-based line of `probes.sources[i]` in site.yaml, when known
 */
export function probeSourceProblems(
  root: string,
  sources: readonly ProbeSource[],
  lineOf: (index: number) => number | undefined = () => undefined,
  /** Where the sources are written: site.yaml's `probes.sources`, or the directory's `sources` (issue 22). */
  where: { file: string; list: string } = { file: SITE_FILE, list: 'probes.sources' },
): Problem[] {
  const problems: Problem[] = [];
  sources.forEach((source, i) => {
    if (!('path' in source)) return;
    const at = (message: string): Problem => {
      const line = lineOf(i);
      return { file: where.file, ...(line ? { line } : {}), field: `${where.list}[${i + 1}].path`, message };
    };
    const path = resolve(root, source.path);
    if (!existsSync(path)) {
      problems.push(
        at(
          `"${source.path}" does not exist (paths are relative to the project folder). Fix the path, point it at a summary made by ` +
            `"npm run probe:summary" or at the folder "npm run probe -- --out DIR" writes, or remove this source`,
        ),
      );
      return;
    }
    const stat = lstatSync(path);
    if (stat.isDirectory()) {
      const logs = join(path, source.name);
      if (!existsSync(logs) || !statSync(logs).isDirectory()) {
        problems.push(
          at(
            `"${source.path}" is a folder without a "${source.name}" folder in it: raw logs are read from ${source.path.replace(/\/+$/, '')}/${source.name}/. ` +
              `Run the probe there with --vantage ${source.name}, or fix the path or the source's name`,
          ),
        );
      }
      return;
    }
    let text: string;
    try {
      text = readCapped(path, MAX_SUMMARY_BYTES);
    } catch (err) {
      problems.push(
        at(`"${source.path}" ${err instanceof SourceFailure ? err.message : 'cannot be read'}. Point it at a summary made by "npm run probe:summary"`),
      );
      return;
    }
    const parsed = parseSummary(text);
    if (!('summary' in parsed))
      problems.push(at(`"${source.path}" ${parsed.problem}. Point it at a summary made by "npm run probe:summary", or at a raw log folder`));
  });
  return problems;
}

/**
 * `probeSourceProblems` for the sources written in `<root>/content/site.yaml`,
 * with line numbers, whether or not the rest of the content is valid (so
 * `npm run check` lists these with every other problem). Sources that are
 * not well-formed are left to the content check, which names them.
 */
export function probeSourceProblemsInSiteFile(root: string): Problem[] {
  return sourceProblemsInYaml(root, SITE_FILE, ['probes', 'sources'], (item) => {
    const parsed = ProbeSourceSchema.safeParse(item);
    return parsed.success ? parsed.data : undefined;
  });
}

const DIRECTORY_SETTINGS = 'content/services/directory.yaml';

/**
 * The same checks for the directory's monitoring sources
 * (`content/services/directory.yaml`, `sources`), which the build reads the
 * same way (issue 22: they were not checked at all, so a missing path or a
 * device passed `npm run check`).
 */
export function directorySourceProblems(root: string): Problem[] {
  return sourceProblemsInYaml(root, DIRECTORY_SETTINGS, ['sources'], (item) => {
    const parsed = DirectorySourceSchema.safeParse(item);
    if (!parsed.success) return undefined;
    const { location, path, url, sample, allowCrossOriginRedirects } = parsed.data;
    // As src/data.ts hands them to loadProbeSources: the location is the source's name.
    return (path !== undefined ? { name: location, path, sample } : { name: location, url: url!, sample, allowCrossOriginRedirects }) as ProbeSource;
  });
}

function sourceProblemsInYaml(root: string, file: string, key: string[], toSource: (item: unknown) => ProbeSource | undefined): Problem[] {
  // The shared reader: the content check reports a missing or unreadable file itself.
  const read = readRegularFile(join(root, file), MAX_FILE_BYTES);
  if (!read.ok) return [];
  const lineCounter = new LineCounter();
  const doc = parseDocument(read.bytes.toString('utf8'), { lineCounter });
  if (doc.errors.length) return [];
  let node: unknown = doc.contents;
  for (const k of key) node = isMap(node) ? node.get(k, true) : undefined;
  if (!isSeq(node)) return [];
  const sources: ProbeSource[] = [];
  const lines: (number | undefined)[] = [];
  for (const item of node.items as YamlNode[]) {
    // Keep indexes aligned with the YAML list; a malformed entry is left to the content check, which names it.
    sources.push(
      toSource((item as { toJSON?: () => unknown }).toJSON?.() ?? null) ??
        ({ name: 'x', url: 'http://invalid/', sample: false, allowCrossOriginRedirects: false } as ProbeSource),
    );
    lines.push(item.range ? lineCounter.linePos(item.range[0]).line : undefined);
  }
  return probeSourceProblems(root, sources, (i) => lines[i], { file, list: key.join('.') });
}
