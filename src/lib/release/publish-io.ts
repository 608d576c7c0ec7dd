/**
 * `npm run publish`: from the content in git to the tree the web server
 * serves, in one step a reader never sees half of (issue 14).
 *
 * The target folder holds:
 *
 * - `releases/<id>/`: complete builds, each with `.gz` and `.br` siblings
 *   for its text files (nginx's `gzip_static` and `brotli_static` send them
 *   as they are, so no request pays for compression);
 * - `current`: a symbolic link to the live release, replaced by renaming a
 *   new link over it (rename(2) is atomic: a request sees the old release or
 *   the new one);
 * - `state.json`: the change key of each release, so a publish with nothing
 *   changed skips the build;
 * - `HOLD`: written by a rollback; publishing waits until it is removed (or
 *   `--force`), so the every-minute timer does not re-publish what was just
 *   rolled back;
 * - `publish.lock`: one publish at a time.
 *
 * The build itself is `buildAtomically` into `releases/<id>`: a build that
 * fails or is killed leaves no release, and `current` is not touched.
 */
import { createHash } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { loadContent } from '../content/load-content-io.ts';
import { loadProbeSources } from '../monitoring/probe-sources-io.ts';
import { acquireBuildLock, buildAtomically } from './atomic-build-io.ts';
import { changeKey, clockInputs, clockState, describeChanges, type ChangeParts } from './change-key.ts';
import { DEFAULT_KEEP, releaseId, releasesToPrune, rollbackTarget, shouldPrecompress, sortReleases } from './releases.ts';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Sha256 of every regular file under `paths` (relative to `root`): path and bytes, in sorted order. */
export function hashTree(root: string, paths: readonly string[], skip: (path: string) => boolean = () => false): string {
  const files: string[] = [];
  const walk = (rel: string) => {
    const full = join(root, rel);
    if (!existsSync(full) || skip(rel)) return;
    const st = lstatSync(full);
    if (st.isDirectory()) for (const name of readdirSync(full)) walk(join(rel, name));
    else if (st.isFile()) files.push(rel);
  };
  for (const p of paths) walk(p);
  const hash = createHash('sha256');
  for (const f of files.sort()) hash.update(`${f}\0`).update(readFileSync(join(root, f))).update('\0');
  return hash.digest('hex');
}

/** What the site's build reads besides content: its code and build settings. */
const CODE_PATHS = ['src', 'public', 'astro.config.mjs', 'package-lock.json', 'tsconfig.json'];

export interface GatherOptions {
  /** The project (code) root, e.g. the repository checkout. */
  projectRoot: string;
  /** The content root (`STATUS_CONTENT_ROOT`, else the project root). */
  contentRoot: string;
  cacheDir: string;
  now: Date;
}

/**
 * The change parts of the site as a build at `now` would see it, or the
 * reason there are none (invalid content: the build will say why).
 */
export async function gatherChangeParts(options: GatherOptions): Promise<ChangeParts | { invalid: true }> {
  const loaded = loadContent(options.contentRoot);
  if (!loaded.ok) return { invalid: true };
  const { content: model } = loaded;
  const sources = await loadProbeSources(model.site.probes.sources, { root: options.contentRoot, cacheDir: options.cacheDir, now: options.now });
  const sourceHash = createHash('sha256');
  for (const s of sources) sourceHash.update(JSON.stringify([s.name, s.origin, s.reason ?? null, s.summary ?? null])).update('\0');
  const clock = clockState(
    clockInputs({
      now: options.now,
      windows: model.maintenance.filter((m) => m.status !== 'cancelled'),
      unresolved: model.incidents.filter((i) => i.resolvedAt === null).length,
      sourceTimes: sources.flatMap((s) => (s.summary ? [new Date(s.summary.generatedAt)] : [])),
      intervalSeconds: model.site.probes.intervalSeconds,
    }),
  );
  return {
    content: hashTree(options.contentRoot, ['content/site.yaml', 'content/maintenance', 'content/updates', 'incidents']),
    code: hashTree(options.projectRoot, CODE_PATHS, (p) => p.endsWith('.test.ts')),
    sources: sourceHash.digest('hex'),
    clock,
  };
}

/** Runs `fn` over `items` with at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      const st = lstatSync(full);
      if (st.isDirectory()) walk(full);
      else if (st.isFile()) out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out;
}

export interface PrecompressResult {
  /** Files that got `.gz` and `.br` siblings. */
  compressed: number;
  /** Of those, how many reused the previous release's siblings (same bytes). */
  reused: number;
}

/**
 * Writes `<file>.gz` (gzip -9) and `<file>.br` (brotli quality 11) beside
 * every text file worth it. A file whose bytes equal the same file in
 * `previous` gets hard links to that release's siblings instead: between
 * two minutes' builds most pages do not change, and brotli at quality 11 is
 * the slow part.
 */
export async function precompressTree(dir: string, previous?: string): Promise<PrecompressResult> {
  const files = listFiles(dir).filter((f) => !/\.(gz|br)$/.test(f));
  let compressed = 0;
  let reused = 0;
  await eachLimited(files, 4, async (file) => {
    const full = join(dir, file);
    const bytes = await readFile(full);
    if (!shouldPrecompress(file, bytes.length)) return;
    compressed++;
    if (previous) {
      const old = join(previous, file);
      try {
        if (existsSync(`${old}.gz`) && existsSync(`${old}.br`) && statSync(old).size === bytes.length && bytes.equals(await readFile(old))) {
          linkSync(`${old}.gz`, `${full}.gz`);
          linkSync(`${old}.br`, `${full}.br`);
          reused++;
          return;
        }
      } catch {
        rmSync(`${full}.gz`, { force: true });
        // Not reusable (another file system, or it vanished): compress below.
      }
    }
    const [gz, br] = await Promise.all([
      gzipAsync(bytes, { level: 9 }),
      brotliAsync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
    ]);
    await writeFile(`${full}.gz`, gz);
    await writeFile(`${full}.br`, br);
  });
  return { compressed, reused };
}

/** The release `current` points to, if any. */
export function liveRelease(target: string): string | undefined {
  try {
    return readlinkSync(join(target, 'current')).replace(/^releases\//, '');
  } catch {
    return undefined;
  }
}

/**
 * Points `current` at `releases/<id>` in one rename: a new link is made
 * beside it and renamed over it.
 */
export function switchRelease(target: string, id: string): void {
  const tmp = join(target, `.current.tmp-${process.pid}`);
  rmSync(tmp, { force: true });
  symlinkSync(join('releases', id), tmp);
  renameSync(tmp, join(target, 'current'));
}

interface State {
  /** Change parts of each release still on disk. */
  releases: Record<string, ChangeParts>;
}

function readState(target: string): State {
  try {
    const parsed = JSON.parse(readFileSync(join(target, 'state.json'), 'utf8')) as State;
    return parsed && typeof parsed.releases === 'object' ? parsed : { releases: {} };
  } catch {
    return { releases: {} };
  }
}

function writeState(target: string, state: State): void {
  const tmp = join(target, `.state.json.tmp-${process.pid}`);
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, join(target, 'state.json'));
}

export interface PublishOptions {
  /** The publish target, e.g. `/srv/jabber-status/site`. */
  target: string;
  projectRoot: string;
  contentRoot: string;
  cacheDir: string;
  now: Date;
  /** Build even when nothing changed, and lift a rollback's hold. */
  force?: boolean;
  /** Releases kept on disk, the live one included (default 5). */
  keep?: number;
  /** As for `buildAtomically`: argv of the content check and of the build. */
  check: string[];
  build: string[];
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export type PublishOutcome =
  | { kind: 'published'; id: string; changed: string[]; buildMs: number; compressMs: number; compressed: PrecompressResult; pruned: string[] }
  | { kind: 'unchanged'; live: string }
  | { kind: 'held'; since: string }
  | { kind: 'failed'; code: number }
  | { kind: 'locked'; message: string };

/** Builds a new release when something changed, precompresses it and switches `current` to it. */
export async function publish(options: PublishOptions): Promise<PublishOutcome> {
  const log = options.log ?? ((line: string) => console.error(line));
  const target = resolve(options.target);
  const releases = join(target, 'releases');
  mkdirSync(releases, { recursive: true });
  const release = acquireBuildLock(join(target, 'publish'), options.now);
  if (typeof release !== 'function') return { kind: 'locked', message: release.held };
  try {
    const hold = join(target, 'HOLD');
    if (existsSync(hold)) {
      if (!options.force) return { kind: 'held', since: readFileSync(hold, 'utf8').trim() };
      rmSync(hold);
      log('Lifted the hold left by a rollback (--force).');
    }
    const state = readState(target);
    const live = liveRelease(target);
    const parts = await gatherChangeParts(options);
    let changed: string[] = ['content is invalid (the check below says why)'];
    if (!('invalid' in parts)) {
      changed = describeChanges(live ? state.releases[live] : undefined, parts);
      if (changed.length === 0 && live && !options.force) return { kind: 'unchanged', live };
    }
    if (options.force) changed = [...changed, '--force'];
    const id = releaseId(options.now, process.pid);
    const started = Date.now();
    // The build's "now" is the instant the change key was computed for, so
    // the key recorded below describes exactly what was built.
    const env = { ...options.env, SOURCE_DATE_EPOCH: options.env.SOURCE_DATE_EPOCH ?? String(Math.floor(options.now.getTime() / 1000)) };
    const code = await buildAtomically({ outDir: join(releases, id), check: options.check, build: options.build, env, log });
    if (code !== 0) return { kind: 'failed', code };
    const buildMs = Date.now() - started;
    const compressStarted = Date.now();
    const compressed = await precompressTree(join(releases, id), live ? join(releases, live) : undefined);
    const compressMs = Date.now() - compressStarted;
    switchRelease(target, id);
    if (!('invalid' in parts)) state.releases[id] = parts;
    const pruned = releasesToPrune(readdirSync(releases), id, options.keep ?? DEFAULT_KEEP);
    for (const old of pruned) {
      rmSync(join(releases, old), { recursive: true, force: true });
      delete state.releases[old];
    }
    writeState(target, state);
    return { kind: 'published', id, changed, buildMs, compressMs, compressed, pruned };
  } finally {
    release();
  }
}

export type RollbackOutcome = { kind: 'rolled-back'; from: string | undefined; to: string } | { kind: 'nowhere'; live: string | undefined } | { kind: 'locked'; message: string };

/**
 * Switches `current` back to the release before the live one and holds
 * publishing (`HOLD`) until an operator lifts it.
 */
export function rollback(targetDir: string, now: Date): RollbackOutcome {
  const target = resolve(targetDir);
  const release = acquireBuildLock(join(target, 'publish'), now);
  if (typeof release !== 'function') return { kind: 'locked', message: release.held };
  try {
    const live = liveRelease(target);
    const releases = join(target, 'releases');
    const to = rollbackTarget(existsSync(releases) ? readdirSync(releases) : [], live);
    if (!to) return { kind: 'nowhere', live };
    switchRelease(target, to);
    writeFileSync(join(target, 'HOLD'), `${now.toISOString()}: rolled back from ${live ?? '(none)'} to ${to}\n`);
    return { kind: 'rolled-back', from: live, to };
  } finally {
    release();
  }
}

/** Releases on disk, oldest first, for listings. */
export function listReleases(targetDir: string): string[] {
  const releases = join(resolve(targetDir), 'releases');
  return existsSync(releases) ? sortReleases(readdirSync(releases)) : [];
}
