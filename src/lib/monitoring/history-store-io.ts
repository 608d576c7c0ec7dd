/**
 * Reads and writes the monitoring history (history-store.ts) as gzipped
 * JSON columns (`HistoryFileSchema`), e.g. `.history/status.json.gz`.
 *
 * - Written atomically: to a temporary file, fsync'd, renamed over the old
 *   one, and the folder fsync'd; the previous copy is kept as `<file>.prev`,
 *   so a crash or a bad write loses at most one build's appends.
 * - Checked on read like every other untrusted input (the file may come
 *   from the published site): size caps before and after gunzip, the
 *   schema, and an error that names the file, the field and the fix. A
 *   damaged file falls back to `.prev`, saying so.
 * - A full disk is a sentence with its fix (`HistoryWriteError`), never a
 *   stack trace.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { HistoryFileSchema, type ProbeCheck, type ProbeSummary } from '../schemas.ts';
import { writeFileAtomic } from '../shared/atomic-write-io.ts';
import { formatBytes } from './limits.ts';
import { appendSummary, decodeHistory, emptyHistory, encodeHistory, type HistoryStore } from './history-store.ts';

/** Largest history file read: 64 MiB gzipped, 1 GiB unpacked (about 5 years of 500 services from 3 locations is well under both). */
export const MAX_HISTORY_GZ_BYTES = 64 * 1024 * 1024;
export const MAX_HISTORY_BYTES = 1024 * 1024 * 1024;

/** A history file that cannot be used; the message names the file, what is wrong and the fix. */
export class HistoryReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryReadError';
  }
}

/** A history that could not be written (disk full, no permission); the message says what to do. */
export class HistoryWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryWriteError';
  }
}

/**
 * Parses a history file's bytes (gzipped or plain JSON).
 * @param where the file or address for messages, e.g. `.history/status.json.gz`
 * @throws HistoryReadError
 */
export function parseHistoryBytes(where: string, bytes: Uint8Array): HistoryStore {
  if (bytes.length > MAX_HISTORY_GZ_BYTES)
    throw new HistoryReadError(
      `${where} is ${formatBytes(bytes.length)}, over the ${formatBytes(MAX_HISTORY_GZ_BYTES)} a history file may be; not read. Restore a good copy with "npm run history -- restore FILE|URL"`,
    );
  let text: string;
  try {
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
    text = Buffer.from(gz ? gunzipSync(bytes, { maxOutputLength: MAX_HISTORY_BYTES }) : bytes).toString('utf8');
  } catch {
    throw new HistoryReadError(
      `${where} is not a complete gzip file (cut short, or over ${formatBytes(MAX_HISTORY_BYTES)} unpacked). Restore a good copy with "npm run history -- restore FILE|URL"`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HistoryReadError(`${where} is not valid JSON. Restore a good copy with "npm run history -- restore FILE|URL"`);
  }
  const version = (json as { v?: unknown } | null)?.v;
  if (version !== 1)
    throw new HistoryReadError(
      `${where} has format version ${JSON.stringify(version)?.slice(0, 40)}; this build reads version 1. Update this build, or restore a version 1 copy`,
    );
  const parsed = HistoryFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HistoryReadError(
      `${where}: ${issue.path.join('.') || 'top level'} ${issue.message}. Restore a good copy with "npm run history -- restore FILE|URL", or rebuild it with "npm run history -- rebuild"`,
    );
  }
  return decodeHistory(parsed.data);
}

/** The gzipped bytes of a store, as written to disk and published. */
export function historyBytes(store: HistoryStore): Buffer {
  // Level 6 (the default): the store is rewritten by every build, and level 9 is slower for little gain.
  return gzipSync(JSON.stringify(encodeHistory(store)), { level: 6 });
}

export interface ReadHistory {
  store: HistoryStore;
  /** Where it came from: the file, its `.prev` copy, or nothing (an empty store). */
  origin: 'file' | 'prev' | 'none';
  /** What went wrong with the file, for the build log; absent when it was read. */
  problem?: string;
}

/**
 * Reads a history file, falling back to `<file>.prev`; a missing file is an empty store with a problem that says how to restore one.
 * @param publishedUrl where the live site publishes this file, for that message, e.g. `https://status.jabber.org/history/status.json.gz`
 */
export function readHistoryFile(path: string, publishedUrl?: string): ReadHistory {
  const attempt = (file: string) => {
    if (statSync(file).size > MAX_HISTORY_GZ_BYTES) return parseHistoryBytes(file, new Uint8Array(MAX_HISTORY_GZ_BYTES + 1));
    return parseHistoryBytes(file, readFileSync(file));
  };
  const prev = `${path}.prev`;
  if (!existsSync(path)) {
    if (existsSync(prev)) {
      try {
        return { store: attempt(prev), origin: 'prev', problem: `${path} is missing; using ${basename(prev)}` };
      } catch {
        // fall through to "none"
      }
    }
    return {
      store: emptyHistory(),
      origin: 'none',
      problem: `no history at ${path}: pages show only the days in this build's summaries. Restore it with "npm run history -- restore ${publishedUrl ?? `https://<your status site>/history/${basename(path)}`}", or rebuild it from raw logs with "npm run history -- rebuild"`,
    };
  }
  try {
    return { store: attempt(path), origin: 'file' };
  } catch (err) {
    const why = err instanceof HistoryReadError ? err.message : `${path} cannot be read (${(err as Error).message})`;
    if (existsSync(prev)) {
      try {
        return { store: attempt(prev), origin: 'prev', problem: `${why}; using ${basename(prev)}, one build older` };
      } catch {
        // fall through
      }
    }
    return {
      store: emptyHistory(),
      origin: 'none',
      problem: `${why}; no usable ${basename(prev)} either, so pages show only the days in this build's summaries`,
    };
  }
}

/**
 * Writes a store atomically and keeps the previous file as `<path>.prev`.
 * @returns bytes written
 * @throws HistoryWriteError with a sentence (disk full, permission)
 */
export function writeHistoryFile(path: string, store: HistoryStore): number {
  const bytes = historyBytes(store);
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
    // The previous file is kept first: a write that then fails leaves both copies as they were.
    if (existsSync(path)) copyFileSync(path, `${path}.prev`);
    writeFileAtomic(path, bytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT')
      throw new HistoryWriteError(
        `the disk holding ${dir} is full; the history was not updated (the previous copy is intact). Free space there, then build again`,
      );
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new HistoryWriteError(
        `cannot write ${path} (${code}); the history was not updated. Make ${dir} writable by the build user, or set STATUS_HISTORY_DIR to a folder that is`,
      );
    throw new HistoryWriteError(`could not write ${path} (${(err as Error).message}); the history was not updated`);
  }
  return bytes.length;
}

export interface UpdatedHistory extends ReadHistory {
  /** Days added or replaced by this build's summaries. */
  added: number;
  replaced: number;
  /** Bytes written; absent when nothing needed writing or writing failed (`problem` says why). */
  bytes?: number;
}

/**
 * What a build does with its history: read it, append every summary it
 * read, and write it back when a day before today changed (today's row
 * changes every minute, and every summary repeats it until it is settled,
 * so writing it each build would cost a full rewrite per minute for
 * nothing). Never throws: a damaged or missing file and a failed write are
 * `problem`s for the build log (the summaries still hold their 90 days, so
 * this build's pages are right either way).
 * @param keep which (domain, check) pairs the pages read; only these are stored
 * @param publishedUrl where the live site publishes this file, named in the message when it is missing
 */
export function updateHistoryFile(
  path: string,
  summaries: readonly ProbeSummary[],
  now: Date,
  keep?: (domain: string, check: ProbeCheck) => boolean,
  publishedUrl?: string,
): UpdatedHistory {
  const read = readHistoryFile(path, publishedUrl);
  let added = 0;
  let replaced = 0;
  let settled = 0;
  for (const s of summaries) {
    const outcome = appendSummary(read.store, s, now, keep);
    added += outcome.added;
    replaced += outcome.replaced;
    settled += outcome.settled;
  }
  if (read.store.series.size === 0 || (settled === 0 && read.origin === 'file')) return { ...read, added, replaced };
  try {
    return { ...read, added, replaced, bytes: writeHistoryFile(path, read.store) };
  } catch (err) {
    const problem = [read.problem, err instanceof HistoryWriteError ? err.message : (err as Error).message].filter(Boolean).join('; ');
    return { ...read, added, replaced, problem };
  }
}

/** The bytes of a history file as it is on disk, to publish; undefined when there is none. */
export function historyFileBytes(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
