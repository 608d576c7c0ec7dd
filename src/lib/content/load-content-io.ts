/**
 * The only place that reads content from disk, and the one entry point that
 * loads and validates it: shared by the build (`src/data.ts`) and
 * `npm run check`, so both apply exactly the same rules. Everything after the
 * reading is pure (`buildContent`), which keeps validation testable with
 * in-memory files.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { dirname, join, relative, sep } from 'node:path';
import { buildContent, MAX_FILE_BYTES, parseSiteConfig, type ContentResult, type SourceFile, type SourceFiles } from './content.ts';
import { classifyContentName, decodeSourceText, describeFileType } from './source-files.ts';
import { readRegularFile as readCappedRegularFile } from '../shared/regular-file-io.ts';
import { writeFileAtomic } from '../shared/atomic-write-io.ts';
import type { Problem } from './problems.ts';
import { PARSE_VERSION, type ParseCache, type StoredParse } from './frontmatter.ts';
import type { SiteConfig } from '../schemas.ts';
import type { Result } from '../shared/result.ts';

/** The folders admins write content in, relative to the project root. */
export const CONTENT_FOLDERS = { incidents: 'incidents', maintenance: 'content/maintenance', updates: 'content/updates' } as const;

/** The IM-service directory (issue 17): `<domain>.md` per service, plus its settings file. Optional: a site without the folder has no directory. */
export const SERVICES_FOLDER = 'content/services';
/** The directory's settings, read on its own (not a service file). */
export const DIRECTORY_FILE = 'directory.yaml';

const toPosix = (root: string, abs: string) => relative(root, abs).split(sep).join('/');

function lstatOrUndefined(abs: string): Stats | undefined {
  try {
    return lstatSync(abs);
  } catch {
    return undefined;
  }
}

let sharedBuffer: Buffer | undefined;
const readBuffer = () => (sharedBuffer ??= Buffer.allocUnsafe(MAX_FILE_BYTES + 1));

/**
 * Reads one file, refusing anything but a regular file: a symbolic link
 * (which could point at /etc/passwd or /proc/self/environ), a device
 * (/dev/zero never ends) or a FIFO (blocks for ever). At most
 * MAX_FILE_BYTES + 1 bytes are read, whatever size `stat` reports, so a file
 * that grows while it is read cannot exhaust memory either.
 */
function readRegularFile(root: string, abs: string, problems: Problem[]): SourceFile | undefined {
  const path = toPosix(root, abs);
  const stat = lstatOrUndefined(abs);
  if (!stat) return undefined;
  if (!stat.isFile()) {
    problems.push({ file: path, message: describeFileType(stat) });
    return undefined;
  }
  // The shared reader (issue 22): O_NOFOLLOW and O_NONBLOCK close the gap
  // between lstat and open, so a file swapped for a link or a FIFO in between
  // fails there instead of being read.
  // One buffer for every file, allocated once: the text is decoded out of
  // it before the next read. A zero-filled 1 MiB buffer per file cost 24 s
  // of allocation and 27 s of GC at 60,000 files (BENCHMARKS.md, issue 16).
  const read = readCappedRegularFile(abs, MAX_FILE_BYTES, readBuffer());
  if (!read.ok) {
    if (read.reason === 'too-large') return { path, text: '', bytes: Math.max(stat.size, MAX_FILE_BYTES + 1) };
    if (read.reason !== 'missing') problems.push({ file: path, message: read.problem });
    return undefined;
  }
  const decoded = decodeSourceText(path, read.bytes);
  if ('problem' in decoded) {
    problems.push(decoded.problem);
    return undefined;
  }
  return { path, text: decoded.text, bytes: read.bytes.length };
}

/**
 * Lists the content files below `dir`. Nothing is skipped silently: a file
 * that is not a content file (`.MD`, `.markdown`, `.md.txt`, a link, a
 * device) is a problem, except the documented exceptions (`_*.md` author
 * templates and drafts, `README.md`, `.gitkeep`; see `classifyContentName`).
 */
function listContentFiles(root: string, dir: string, problems: Problem[], readSeparately: ReadonlySet<string> = new Set()): string[] {
  const abs = join(root, dir);
  const top = lstatOrUndefined(abs);
  if (!top) return [];
  if (!top.isDirectory()) {
    problems.push({ file: dir, message: top.isSymbolicLink() ? 'is a symbolic link. Content folders must be real folders in the repository' : 'is not a folder. Remove it or make it a folder' });
    return [];
  }
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        continue;
      }
      if (d === abs && readSeparately.has(entry.name)) continue;
      const kind = classifyContentName(entry.name);
      if (kind === 'ignored') continue;
      if (!entry.isFile()) {
        problems.push({ file: toPosix(root, full), message: describeFileType(entry) });
        continue;
      }
      if (kind === 'content') out.push(full);
      else problems.push({ file: toPosix(root, full), message: kind.problem });
    }
  };
  walk(abs);
  return out;
}

function readSiteFile(root: string, problems: Problem[]): SourceFile | undefined {
  return readRegularFile(root, join(root, 'content', 'site.yaml'), problems);
}

/**
 * Reads and validates content/site.yaml alone (for the probe and admin commands).
 * @param root project root, e.g. `process.cwd()`
 */
export function loadSiteConfig(root: string): Result<{ site: SiteConfig }, Problem> {
  const problems: Problem[] = [];
  const file = readSiteFile(root, problems);
  const site = problems.length ? undefined : parseSiteConfig(file, problems);
  return site && problems.length === 0 ? { ok: true, site } : { ok: false, problems };
}

/**
 * Reads the site config and every content file under `root`.
 * @param root project root, e.g. `process.cwd()`
 */
export function readSourceFiles(root: string): SourceFiles {
  const problems: Problem[] = [];
  const read = (dir: string) =>
    listContentFiles(root, dir, problems).flatMap((f) => {
      const file = readRegularFile(root, f, problems);
      return file ? [file] : [];
    });
  // The directory is optional: no folder, no directory (fixture sites have none).
  const hasServices = lstatOrUndefined(join(root, SERVICES_FOLDER)) !== undefined;
  const services = hasServices
    ? listContentFiles(root, SERVICES_FOLDER, problems, new Set([DIRECTORY_FILE])).flatMap((f) => {
        const file = readRegularFile(root, f, problems);
        return file ? [file] : [];
      })
    : undefined;
  const directory = hasServices ? readRegularFile(root, join(root, SERVICES_FOLDER, DIRECTORY_FILE), problems) : undefined;
  return {
    site: readSiteFile(root, problems),
    incidents: read(CONTENT_FOLDERS.incidents),
    maintenance: read(CONTENT_FOLDERS.maintenance),
    updates: read(CONTENT_FOLDERS.updates),
    problems,
    ...(services ? { services } : {}),
    ...(directory ? { directory } : {}),
  };
}

/** @param root project root, e.g. `process.cwd()` */
export function loadContent(root: string, options: { parseCacheFile?: string } = {}): ContentResult {
  if (!options.parseCacheFile) return buildContent(readSourceFiles(root));
  const cache = openParseCache(options.parseCacheFile);
  const result = buildContent(readSourceFiles(root), { parseCache: cache });
  cache.save();
  return result;
}

/**
 * Where builds and `npm run check` keep the parse cache: `.cache/content/`
 * under the working directory, or under `STATUS_CACHE_DIR` (tests and
 * benchmarks keep theirs apart). The check runs first and warms it for the build.
 */
export function parseCacheFile(env: Record<string, string | undefined>, cwd: string): string {
  return join(env.STATUS_CACHE_DIR || join(cwd, '.cache'), 'content', 'parse.bin');
}

/** How a parse cache did in one build, for logs and benchmarks. */
export interface ParseCacheStats {
  hits: number;
  misses: number;
}

/**
 * Frontmatter parse results kept between builds in one file (V8's
 * serializer, which keeps every value YAML can produce, NaN included),
 * looked up by the SHA-256 of a file's exact text and `PARSE_VERSION`. A
 * rebuild then parses only the files that changed. Entries of files that are
 * gone are dropped when it is saved; an unreadable or old cache is ignored.
 * @param file e.g. `.cache/content/parse.bin`
 */
export function openParseCache(file: string): ParseCache & { save(): void; stats: ParseCacheStats } {
  let stored = new Map<string, StoredParse>();
  try {
    const read = deserialize(readFileSync(file)) as { version?: unknown; entries?: unknown };
    if (read.version === PARSE_VERSION && read.entries instanceof Map) stored = read.entries as Map<string, StoredParse>;
  } catch {
    // No cache yet, or a damaged one: start empty.
  }
  const used = new Map<string, StoredParse>();
  const stats: ParseCacheStats = { hits: 0, misses: 0 };
  const key = (text: string) => createHash('sha256').update(text).digest('base64');
  return {
    stats,
    get(text) {
      const k = key(text);
      const hit = stored.get(k);
      if (hit) {
        stats.hits++;
        used.set(k, hit);
      } else stats.misses++;
      return hit;
    },
    set(text, value) {
      used.set(key(text), value);
    },
    save() {
      if (stats.misses === 0 && used.size === stored.size) return;
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, serialize({ version: PARSE_VERSION, entries: used }));
    },
  };
}
