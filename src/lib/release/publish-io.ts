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
 * - `HOLD`: written by a rollback. Publishing from commits, it pins the
 *   commit the rolled-back-to release was built from: later publishes
 *   rebuild that commit with fresh monitoring and the current clock until
 *   `--force` or a new push that passes the check. Publishing a working
 *   tree, publishing waits until it is removed (or `--force`);
 * - `publish-status.json`: what the last run did, when the last success was,
 *   and the causes of alerts still open (read by `npm run doctor`, by the
 *   alerts and, served by nginx, by the watch on the probe hosts);
 * - `publish.lock`: one publish at a time.
 *
 * The build itself is `buildAtomically` into `releases/<id>`: a build that
 * fails or is killed leaves no release, and `current` is not touched.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { loadContent, parseCacheFile } from '../content/load-content-io.ts';
import { writeFileAtomic } from '../shared/atomic-write-io.ts';
import { readContentSnapshot } from '../content/content-snapshot-io.ts';
import { sampleRefusal } from '../content/sample-site.ts';
import { sampleReasonsAt } from '../content/sample-site-io.ts';
import { loadProbeSources } from '../monitoring/probe-sources-io.ts';
import { acquireBuildLock, buildAtomically } from './atomic-build-io.ts';
import { clockInputs, clockState, describeChanges, type ChangeParts } from './change-key.ts';
import { staleSourceAlerts, type SourceHealth } from './source-alerts.ts';
import { branchHead, exportCommit, runCheck, type BranchHead } from './commits-io.ts';
import { failureSentence, fsFailure, wrongUserSentence } from './failure-text.ts';
import { carriedOver, liveLaneBlocker, livePlan, mergeRecords } from './live-lane.ts';
import { assembleLiveRelease, locatePageFiles, pageReadsPath, readPageReads, writePageRecord } from './live-lane-io.ts';
import type { PageReads } from '../schemas.ts';
import { DEFAULT_KEEP, isReleaseId, recordLive, releaseId, releasesToPrune, rollbackTarget, shouldPrecompress, sortReleases } from './releases.ts';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Sha256 over every regular file under `paths` (relative to `root`): each
 * path with the sha256 of its bytes, in sorted order. With `cacheFile`, a
 * file whose size, modification and change times and inode are those of
 * the last run is not read again (issue 28: at 50,000 incidents, reading
 * 60,000 files every minute to learn that none changed); a file modified
 * in the last two seconds is always read, since a second write within the
 * clock's resolution would not move its times (git's "racy" rule).
 */
export function hashTree(root: string, paths: readonly string[], skip: (path: string) => boolean = () => false, cacheFile?: string): string {
  const files: { rel: string; stamp: string; recent: boolean }[] = [];
  const now = Date.now();
  const walk = (rel: string) => {
    const full = join(root, rel);
    if (!existsSync(full) || skip(rel)) return;
    const st = lstatSync(full, { bigint: true });
    if (st.isDirectory()) for (const name of readdirSync(full)) walk(join(rel, name));
    else if (st.isFile()) {
      files.push({ rel, stamp: `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}`, recent: now - Number(st.mtimeMs) < 2000 });
    }
  };
  for (const p of paths) walk(p);
  let cached: Record<string, [string, string]> = {};
  if (cacheFile) {
    try {
      cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, [string, string]>;
    } catch {
      // No cache yet, or unreadable: every file is read.
    }
  }
  const next: Record<string, [string, string]> = {};
  let changed = false;
  const hash = createHash('sha256');
  for (const f of files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) {
    const known = cached[f.rel];
    const fileHash =
      known && known[0] === f.stamp && !f.recent
        ? known[1]
        : createHash('sha256')
            .update(readFileSync(join(root, f.rel)))
            .digest('hex');
    if (!f.recent) next[f.rel] = [f.stamp, fileHash];
    if (!known || known[0] !== f.stamp || f.recent) changed = true;
    hash.update(`${f.rel}\0${fileHash}\0`);
  }
  // Rewritten only when a file came, went or changed: most minutes none did.
  if (cacheFile && (changed || Object.keys(cached).length !== Object.keys(next).length)) {
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      writeFileAtomic(cacheFile, JSON.stringify(next));
    } catch {
      // A cache that cannot be written costs the next run a full read, nothing else.
    }
  }
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
  /** Where builds keep the validated content (`STATUS_CONTENT_SNAPSHOT`), e.g. `DIR/cache/content.v8`; none: always parse. */
  snapshotFile?: string;
  /** Told how each probe source looked this run (for the stale-location alert). */
  onSources?: (sources: readonly SourceHealth[], intervalSeconds: number) => void;
}

/**
 * The change parts of the site as a build at `now` would see it, or the
 * reason there are none (invalid content: the build will say why).
 */
export async function gatherChangeParts(options: GatherOptions): Promise<ChangeParts | { invalid: true }> {
  // All of content/ (site.yaml, maintenance, updates, the directory's
  // services and its sources, the sample monitoring) and incidents/: a list
  // of sub-folders missed content/services, so an edited service was not
  // rebuilt until something else changed (found by a review).
  const content = hashTree(options.contentRoot, ['content', 'incidents'], undefined, join(options.cacheDir, 'hashes', 'content.json'));
  const code = hashTree(options.projectRoot, CODE_PATHS, (p) => p.endsWith('.test.ts'), join(options.cacheDir, 'hashes', 'code.json'));
  // The same tree as the last build: its validated content comes from the
  // snapshot that build kept (issue 28), not from parsing every file again.
  const fromSnapshot = options.snapshotFile ? readContentSnapshot(options.snapshotFile, contentKey(content, code)) : undefined;
  const loaded = fromSnapshot
    ? ({ ok: true, content: fromSnapshot } as const)
    : loadContent(options.contentRoot, { parseCacheFile: parseCacheFile({ STATUS_CACHE_DIR: options.cacheDir }, options.contentRoot) });
  if (!loaded.ok) return { invalid: true };
  const { content: model } = loaded;
  const sources = await loadProbeSources(model.site.probes.sources, { root: options.contentRoot, cacheDir: options.cacheDir, now: options.now });
  options.onSources?.(
    sources.map((s) => ({ name: s.name, sample: s.sample, generatedAt: s.summary?.generatedAt, problem: s.problem })),
    model.site.probes.intervalSeconds,
  );
  const sourceHash = createHash('sha256');
  for (const s of sources) sourceHash.update(JSON.stringify([s.name, s.origin, s.reason ?? null, s.summary ?? null])).update('\0');
  const clock = clockState(
    clockInputs({
      now: options.now,
      windows: model.maintenance.filter((m) => m.status !== 'cancelled'),
      unresolved: model.incidents.filter((i) => i.resolvedAt === null).length,
      sourceTimes: sources.flatMap((s) => (s.summary ? [new Date(s.summary.generatedAt)] : [])),
      intervalSeconds: model.site.probes.intervalSeconds,
      posts: [...model.incidents.flatMap((i) => i.updates.map((u) => u.at)), ...model.maintenance.flatMap((m) => m.updates.map((u) => u.at))],
    }),
  );
  return { content, code, sources: sourceHash.digest('hex'), clock };
}

/** The key of a content snapshot: the exact content files and the code that validates them. */
export function contentKey(content: string, code: string): string {
  return createHash('sha256').update(`content\0${content}\0code\0${code}`).digest('hex');
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
 * the slow part. `only`: just these files (relative to `dir`).
 */
export async function precompressTree(dir: string, previous?: string, only?: readonly string[]): Promise<PrecompressResult> {
  // A live release (issue 28) names the files it wrote; the rest are links that have their copies.
  const files = (only ?? listFiles(dir)).filter((f) => !/\.(gz|br)$/.test(f));
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
  switchLink(target, 'current', join('releases', id));
}

/** Points `target/name` at `to` in one rename (a new link made beside it). */
function switchLink(target: string, name: string, to: string): void {
  const tmp = join(target, `.${name}.tmp-${process.pid}`);
  rmSync(tmp, { force: true });
  symlinkSync(to, tmp);
  renameSync(tmp, join(target, name));
}

/**
 * Publishing from commits, `DIR/live` points at the export of the commit the
 * live release was built from: what the notifier reads (`npm run notify --
 * --root DIR/live`), so what is announced is what is live, never the
 * working tree (issue 26).
 */
function switchLiveSource(target: string, dir: string): void {
  switchLink(target, 'live', dir);
}

/** Who owns a path, by name when the system knows it. */
function ownerOf(path: string): { uid: number; name: string } | undefined {
  try {
    const uid = statSync(path).uid;
    let name = String(uid);
    try {
      for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const [user, , id] = line.split(':');
        if (Number(id) === uid && user) {
          name = user;
          break;
        }
      }
    } catch {
      // No passwd file (a container): the number is the name.
    }
    return { uid, name };
  } catch {
    return undefined;
  }
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '?');
  }
}

/**
 * A refusal when this process runs as another user than the owner of the
 * publish target (issue 25): a publish as root leaves releases the service
 * user cannot remove. Undefined when the target does not exist yet or the
 * users match.
 */
export function wrongUser(target: string, command: string): string | undefined {
  const owner = ownerOf(target);
  if (!owner || process.getuid === undefined || owner.uid === process.getuid()) return undefined;
  return wrongUserSentence(target, owner.name, currentUser(), command);
}

interface State {
  /** Change parts of each release still on disk. */
  releases: Record<string, ChangeParts>;
  /** The releases that went live, oldest first: where a rollback goes (issue 22). */
  history: string[];
  /** The commit each release was built from, when published from commits. */
  commits: Record<string, string>;
  /** The newest commit that passed the check, e.g. `3f52ccc…`. */
  lastGood?: string;
  /** The newest commit that failed it, and what the check said: not checked again until the branch moves. */
  lastBad?: { commit: string; problems: string[] };
}

function readState(target: string): State {
  const empty: State = { releases: {}, history: [], commits: {} };
  try {
    const parsed = JSON.parse(readFileSync(join(target, 'state.json'), 'utf8')) as Partial<State>;
    if (!parsed || typeof parsed.releases !== 'object') return empty;
    // A state written before the history existed: its releases were all live once (a release got its
    // entry only after the switch), in the order of their names.
    const history = Array.isArray(parsed.history) ? parsed.history.filter((x) => typeof x === 'string') : sortReleases(Object.keys(parsed.releases));
    return { ...empty, ...parsed, history, commits: parsed.commits ?? {} };
  } catch {
    return empty;
  }
}

function writeJson(target: string, name: string, value: unknown): void {
  const tmp = join(target, `.${name}.tmp-${process.pid}`);
  try {
    writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
    renameSync(tmp, join(target, name));
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

function writeState(target: string, state: State): void {
  writeJson(target, 'state.json', state);
}

/** What a rollback leaves in `HOLD`. */
export interface Hold {
  /** When the hold began, e.g. `2026-11-21T21:19:00.000Z`. */
  since: string;
  /** Why, e.g. `rolled back from 20261121T212000Z-9 to 20261121T211900Z-8`. */
  reason: string;
  /** The commit later publishes rebuild, when publishing from commits. */
  commit?: string;
  /** The branch's head when the hold began: a newer head that passes the check lifts the hold. */
  branchHead?: string;
}

/** Reads `HOLD`: JSON since issue 26, a line of text before. */
export function readHold(target: string): Hold | undefined {
  let text: string;
  try {
    text = readFileSync(join(resolve(target), 'HOLD'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Hold;
    if (parsed && typeof parsed.since === 'string') return parsed;
  } catch {
    // The older text form: "<time>: rolled back from … to …".
  }
  const line = text.trim();
  const m = /^(\S+): (.*)$/.exec(line);
  return { since: m?.[1] ?? 'unknown', reason: m?.[2] ?? line };
}

/** A cause of an alert, open while the condition holds (src/lib/alert/ delivers it once and says when it clears). */
export interface AlertCause {
  /** Stable for the same cause, e.g. `content-check-failed:3f52ccc…`, `hold`, `fetch-failed`. */
  key: string;
  /** What an admin reads, e.g. `The newest commit 3f52ccc (“Add incident”) fails the content check: …`. */
  text: string;
}

/** `publish-status.json`: the last run and the last success, for `npm run doctor`, alerts and the outside watch. */
export interface PublishStatus {
  /** When this run ended, e.g. `2026-11-21T21:20:10.000Z`. */
  ranAt: string;
  /** The run's result, e.g. `published`, `unchanged`, `failed`. */
  result: PublishOutcome['kind'];
  /** When a run last ended published or unchanged, i.e. the page is current. */
  lastSuccessAt: string | null;
  /** The live release, e.g. `20261121T212000Z-9`. */
  live: string | null;
  /** The commit the live release was built from, when publishing from commits. */
  commit: string | null;
  hold: Hold | null;
  /** Causes of alerts still open after this run. */
  alerts: AlertCause[];
}

export function readPublishStatus(target: string): PublishStatus | undefined {
  try {
    return JSON.parse(readFileSync(join(resolve(target), 'publish-status.json'), 'utf8')) as PublishStatus;
  } catch {
    return undefined;
  }
}

/** Publishing from commits of a git repository (issue 26) instead of the working tree. */
export interface CommitSource {
  /** The repository holding code and content, e.g. `/srv/jabber-status/content.git` or a clone of it. */
  repo: string;
  /** The deployed branch, e.g. `main`. */
  branch: string;
  /** Where commit exports are kept between runs, e.g. `/srv/jabber-status/work`. */
  workDir: string;
  /** The check's and the build's argv for an export folder. */
  commands(dir: string): { check: string[]; build: string[] };
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
  /** As for `buildAtomically`: argv of the content check and of the build (working-tree mode). */
  check: string[];
  build: string[];
  env: NodeJS.ProcessEnv;
  /** Publish commits of this repository instead of the working tree. */
  source?: CommitSource;
  /** Publish even when the tree is still the bundled sample (a demo, a test). */
  allowSample?: boolean;
  log?: (line: string) => void;
}

interface Common {
  /** Causes of alerts open after this run. */
  alerts: AlertCause[];
}

export type PublishOutcome = Common &
  (
    | {
        kind: 'published';
        id: string;
        changed: string[];
        /** `live`: only the pages that read monitoring or the clock were rendered, the rest carried over (issue 28); `full`: every page. */
        lane: 'live' | 'full';
        /** Why it was a full build, e.g. `content changed`; absent for a live one. */
        fullBecause?: string;
        /** Pages rendered, and (live lane) files carried over by hard link. */
        rendered: number;
        linked: number;
        buildMs: number;
        compressMs: number;
        compressed: PrecompressResult;
        pruned: string[];
        commit?: string;
      }
    | { kind: 'unchanged'; live: string; commit?: string }
    | { kind: 'held'; since: string }
    | { kind: 'failed'; code: number; message?: string }
    | { kind: 'locked'; message: string }
  );

/** The `file:line: field: message` lines of the check's output. */
export function problemLines(output: string): string[] {
  return output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[^\s:]+:\d+:/.test(l));
}

/** What to build this run, when publishing from commits. */
interface Pick {
  commit: string;
  dir: string;
  /** Lift the hold once this is live (a new push passed the check). */
  liftHold: boolean;
}

/**
 * Chooses the commit to build: the branch's head when it passes the check,
 * else the last good commit (with an alert naming the head and its
 * problems); under a hold, the pinned commit until a newer head passes.
 */
function pickCommit(
  source: CommitSource,
  projectRoot: string,
  state: State,
  hold: Hold | undefined,
  env: NodeJS.ProcessEnv,
  alerts: AlertCause[],
  log: (line: string) => void,
): Pick | { failed: string } {
  let head: BranchHead;
  try {
    head = branchHead(source.repo, source.branch);
  } catch (err) {
    return { failed: (err as Error).message };
  }
  if (head.fetchFailed)
    alerts.push({
      key: 'fetch-failed',
      text: `Could not fetch ${source.branch} from the content repository (${head.fetchFailed}); publishing ${head.commit.slice(0, 12)}, the newest commit fetched before. Check the repository host and this host's access to it.`,
    });
  const short = (c: string) => c.slice(0, 12);
  // Exports of every release still on disk stay, so a rollback can point DIR/live at its commit.
  const keep = [state.lastGood, hold?.commit, head.commit, ...Object.values(state.commits)].filter((c): c is string => !!c);
  const exported = (commit: string) => exportCommit(source.repo, commit, source.workDir, projectRoot, keep);
  const pinned = hold?.commit;
  if (pinned && head.commit === hold.branchHead) return { commit: pinned, dir: exported(pinned), liftHold: false };
  if (head.commit === pinned) return { commit: pinned, dir: exported(pinned), liftHold: false };

  let problems: string[] | undefined;
  let headDir: string | undefined;
  if (state.lastBad?.commit === head.commit) problems = state.lastBad.problems;
  else if (state.lastGood !== head.commit) {
    headDir = exported(head.commit);
    const checked = runCheck(source.commands(headDir).check, headDir, env);
    if (checked.ok) {
      state.lastGood = head.commit;
      delete state.lastBad;
    } else {
      problems = problemLines(checked.output);
      if (problems.length === 0) problems = [checked.output.split('\n').slice(-3).join(' ') || 'the check failed without saying why'];
      state.lastBad = { commit: head.commit, problems };
    }
  }
  if (!problems) return { commit: head.commit, dir: headDir ?? exported(head.commit), liftHold: !!pinned };

  const fallback = pinned ?? state.lastGood;
  alerts.push({
    key: `content-check-failed:${head.commit}`,
    text:
      `The newest commit ${short(head.commit)} ("${head.subject}") on ${source.branch} fails the content check, so it is not published` +
      (fallback ? `; the page is built from ${short(fallback)} with fresh monitoring instead` : '; nothing good was published before, so nothing is') +
      `. Fix and push:\n${problems.map((p) => `  ${p}`).join('\n')}`,
  });
  if (!fallback) return { failed: `No commit of ${source.branch} has passed the content check yet; see the problems above.` };
  log(`Commit ${short(head.commit)} fails the check; building ${short(fallback)} instead.`);
  return { commit: fallback, dir: exported(fallback), liftHold: false };
}

/**
 * Builds a new release when something changed, precompresses it and
 * switches `current` to it. Never throws for what the file system does: a
 * full disk, a folder owned by another user or a missing folder end as
 * `failed` with a sentence (and an alert), and the partial release is removed.
 */
export async function publish(options: PublishOptions): Promise<PublishOutcome> {
  const log = options.log ?? ((line: string) => console.error(line));
  const target = resolve(options.target);
  const alerts: AlertCause[] = [];
  const user = currentUser();
  let live = liveRelease(target);
  let doing = 'making the release folder';
  const fail = (err: unknown, removed?: string): PublishOutcome => {
    const f = fsFailure(err);
    const owner = f.path ? ownerOf(f.path)?.name : undefined;
    const message = failureSentence(f, { target, doing, live, user, ...(owner ? { owner } : {}) });
    if (removed) rmSync(removed, { recursive: true, force: true });
    alerts.push({ key: `publish-failed:${f.code ?? 'error'}`, text: message });
    return { kind: 'failed', code: 1, message, alerts };
  };
  const releases = join(target, 'releases');
  try {
    mkdirSync(releases, { recursive: true });
  } catch (err) {
    return fail(err);
  }
  let release: ReturnType<typeof acquireBuildLock>;
  try {
    release = acquireBuildLock(join(target, 'publish'), options.now);
  } catch (err) {
    doing = 'taking the publish lock';
    return fail(err);
  }
  if (typeof release !== 'function') return { kind: 'locked', message: release.held, alerts };
  let outcome: PublishOutcome | undefined;
  try {
    outcome = await publishLocked(options, target, log, alerts, (d) => (doing = d), fail);
    live = liveRelease(target);
    return outcome;
  } catch (err) {
    outcome = fail(err);
    return outcome;
  } finally {
    release();
    if (outcome) {
      try {
        writePublishStatus(target, outcome, options.now);
      } catch {
        // A full disk cannot take the status file either; the run's own message says why.
      }
    }
  }
}

function writePublishStatus(target: string, outcome: PublishOutcome, now: Date): void {
  const previous = readPublishStatus(target);
  const ok = outcome.kind === 'published' || outcome.kind === 'unchanged';
  const hold = readHold(target);
  const state = readState(target);
  const live = liveRelease(target) ?? null;
  const alerts = [...outcome.alerts];
  if (hold)
    alerts.push({
      key: 'hold',
      text: `Publishing is on hold since ${hold.since} (${hold.reason})${hold.commit ? `: the page is rebuilt from commit ${hold.commit.slice(0, 12)} with fresh monitoring` : ''}. Lift it with npm run publish -- --force${hold.commit ? ', or push a fix that passes the check' : ''}.`,
    });
  const status: PublishStatus = {
    ranAt: now.toISOString(),
    result: outcome.kind,
    lastSuccessAt: ok ? now.toISOString() : (previous?.lastSuccessAt ?? null),
    live,
    commit: live ? (state.commits[live] ?? null) : null,
    hold: hold ?? null,
    alerts,
  };
  writeJson(target, 'publish-status.json', status);
}

async function publishLocked(
  options: PublishOptions,
  target: string,
  log: (line: string) => void,
  alerts: AlertCause[],
  step: (doing: string) => void,
  fail: (err: unknown, removed?: string) => PublishOutcome,
): Promise<PublishOutcome> {
  const releases = join(target, 'releases');
  const holdFile = join(target, 'HOLD');
  let hold = readHold(target);
  if (hold && options.force) {
    rmSync(holdFile);
    log('Lifted the hold left by a rollback (--force).');
    hold = undefined;
  }
  // Working-tree mode keeps the old meaning of a hold: nothing is published.
  if (hold && !options.source) return { kind: 'held', since: `${hold.since}: ${hold.reason}`, alerts };
  if (hold && options.source && !hold.commit) return { kind: 'held', since: `${hold.since}: ${hold.reason}`, alerts };

  const state = readState(target);
  const live = liveRelease(target);
  let projectRoot = options.projectRoot;
  let contentRoot = options.contentRoot;
  let check = options.check;
  let build = options.build;
  let cwd: string | undefined;
  let pick: Pick | undefined;
  if (options.source) {
    step('reading the deployed branch');
    const picked = pickCommit(options.source, options.projectRoot, state, hold, options.env, alerts, log);
    writeState(target, state);
    if ('failed' in picked) {
      log(picked.failed);
      return { kind: 'failed', code: 1, message: picked.failed, alerts };
    }
    pick = picked;
    projectRoot = contentRoot = cwd = picked.dir;
    ({ check, build } = options.source.commands(picked.dir));
  }

  const sample = options.allowSample ? [] : sampleReasonsAt(contentRoot);
  if (sample.length > 0) {
    const message = sampleRefusal(sample);
    alerts.push({ key: 'sample-site', text: message });
    return { kind: 'failed', code: 1, message, alerts };
  }
  const snapshotFile = join(options.cacheDir, 'content.v8');
  const parts = await gatherChangeParts({
    projectRoot,
    contentRoot,
    cacheDir: options.cacheDir,
    snapshotFile,
    now: options.now,
    onSources: (sources, intervalSeconds) => alerts.push(...staleSourceAlerts(sources, options.now, intervalSeconds)), // bounded: one per probe location
  });
  let changed: string[] = ['content is invalid (the check below says why)'];
  const sameCommit = !pick || (live !== undefined && state.commits[live] === pick.commit);
  if (!('invalid' in parts)) {
    changed = describeChanges(live ? state.releases[live] : undefined, parts);
    if (changed.length === 0 && live && sameCommit && !options.force) {
      if (pick?.liftHold) rmSync(holdFile, { force: true });
      return { kind: 'unchanged', live, ...(pick ? { commit: pick.commit } : {}), alerts };
    }
  }
  if (pick && !sameCommit && !changed.includes('content') && !changed.includes('code')) changed = [...changed, `commit ${pick.commit.slice(0, 12)}`];
  if (options.force) changed = [...changed, '--force'];
  const id = releaseId(options.now, process.pid);
  const dir = join(releases, id);
  const started = Date.now();
  // The build's "now" is the instant the change key was computed for, so
  // the key recorded below describes exactly what was built.
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    SOURCE_DATE_EPOCH: options.env.SOURCE_DATE_EPOCH ?? String(Math.floor(options.now.getTime() / 1000)),
    // The build reads (or, the first time, writes) the validated content of exactly this tree.
    ...('invalid' in parts ? {} : { STATUS_CONTENT_SNAPSHOT: snapshotFile, STATUS_CONTENT_KEY: contentKey(parts.content, parts.code) }),
  };
  if (pick) delete env.STATUS_CONTENT_ROOT;
  // The live lane (issue 28): when only monitoring or the clock moved, the
  // pages that read neither are carried over from the live release.
  const liveRecord = live ? readPageReads(pageReadsPath(target, live)) : undefined;
  let fullBecause = options.force
    ? '--force'
    : 'invalid' in parts
      ? 'content is invalid'
      : liveRecord && 'problem' in liveRecord
        ? liveRecord.problem
        : liveLaneBlocker(liveRecord?.record, live ? state.releases[live] : undefined, parts, options.now);
  let lane: 'live' | 'full' = 'full';
  let linked = 0;
  let rendered: string[] | undefined;
  let renderedPages = 0;
  if (fullBecause === undefined && live && liveRecord && 'record' in liveRecord) {
    step(`building release ${id} (live lane)`);
    try {
      const made = await buildLive(target, join(releases, live), dir, id, liveRecord.record, { build, env, log, ...(cwd ? { cwd } : {}) });
      if ('fallback' in made) {
        log(`The live lane could not be used (${made.fallback}); building every page.`);
        fullBecause = made.fallback;
      } else {
        lane = 'live';
        ({ linked, rendered } = made);
        renderedPages = made.pages;
      }
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      log(`The live lane failed (${(err as Error).message}); building every page.`);
      fullBecause = `the live lane failed: ${(err as Error).message}`;
    }
  }
  if (lane === 'full') {
    step(`building release ${id}`);
    const recordTmp = `${pageReadsPath(target, id)}.tmp-${process.pid}`;
    mkdirSync(dirname(recordTmp), { recursive: true });
    let code: number;
    try {
      code = await buildAtomically({ outDir: dir, check, build, env: { ...env, STATUS_PAGE_READS: recordTmp }, log, ...(cwd ? { cwd } : {}) });
    } catch (err) {
      rmSync(recordTmp, { force: true });
      return fail(err, dir);
    }
    if (code !== 0) {
      rmSync(recordTmp, { force: true });
      rmSync(dir, { recursive: true, force: true });
      alerts.push({
        key: `build-failed${pick ? `:${pick.commit}` : ''}`,
        text: `The build failed${pick ? ` for commit ${pick.commit.slice(0, 12)}` : ''}; the live release is unchanged. The publish log (journalctl -u jabber-status-publish) says why.`,
      });
      return { kind: 'failed', code, alerts };
    }
    renderedPages = keepPageRecord(recordTmp, pageReadsPath(target, id), dir, log);
  }
  const buildMs = Date.now() - started;
  const compressStarted = Date.now();
  step(`precompressing release ${id}`);
  let compressed: PrecompressResult;
  try {
    compressed = await precompressTree(dir, live ? join(releases, live) : undefined, rendered);
  } catch (err) {
    return fail(err, dir);
  }
  const compressMs = Date.now() - compressStarted;
  step(`switching to release ${id}`);
  try {
    // The state first: a release that is live is always in the history.
    if (!('invalid' in parts)) state.releases[id] = parts;
    if (pick) state.commits[id] = pick.commit;
    state.history = recordLive(state.history, id);
    writeState(target, state);
    switchRelease(target, id);
    if (pick) switchLiveSource(target, pick.dir);
  } catch (err) {
    if (liveRelease(target) !== id) {
      state.history = state.history.filter((h) => h !== id);
      try {
        writeState(target, state);
      } catch {
        // The state names a release that is about to be gone; a rollback skips what is not on disk.
      }
      return fail(err, dir);
    }
    return fail(err);
  }
  if (pick?.liftHold) {
    rmSync(holdFile, { force: true });
    log(`A new push (${pick.commit.slice(0, 12)}) passed the check: the hold is lifted.`);
  }
  step('removing old releases');
  const pruned: string[] = [];
  for (const old of releasesToPrune(readdirSync(releases), id, options.keep ?? DEFAULT_KEEP, state.history)) {
    try {
      rmSync(join(releases, old), { recursive: true, force: false });
      pruned.push(old);
      rmSync(pageReadsPath(target, old), { force: true });
      delete state.releases[old];
      delete state.commits[old];
    } catch (err) {
      // Published all the same: a release the service user cannot remove is an alert, never a crash.
      const f = fsFailure(err);
      const owner = f.path ? ownerOf(f.path)?.name : undefined;
      const text = failureSentence(f, { target, doing: `removing old release ${old}`, live: id, user: currentUser(), ...(owner ? { owner } : {}) });
      log(text);
      alerts.push({ key: `prune-failed:${old}`, text });
    }
  }
  state.history = state.history.filter((h) => existsSync(join(releases, h)));
  writeState(target, state);
  return {
    kind: 'published',
    id,
    changed,
    lane,
    ...(lane === 'full' && fullBecause ? { fullBecause } : {}),
    rendered: renderedPages,
    linked,
    buildMs,
    compressMs,
    compressed,
    pruned,
    ...(pick ? { commit: pick.commit } : {}),
    alerts,
  };
}

/**
 * Keeps a full build's page record beside its release when every page's
 * file is where the record says; otherwise says why in the log and keeps
 * none, so the next build is a full one too. Returns the number of pages.
 */
function keepPageRecord(tmp: string, path: string, dir: string, log: (line: string) => void): number {
  const read = readPageReads(tmp);
  rmSync(tmp, { force: true });
  if ('problem' in read) {
    log(`No live lane from this release: ${read.problem}.`);
    return 0;
  }
  const { record, missing } = locatePageFiles(dir, read.record);
  if (missing.length > 0) {
    log(`No live lane from this release: ${missing.length} recorded page(s) have no file where expected (first: ${missing[0]}).`);
    return Object.keys(record.pages).length;
  }
  if (record.unscoped.length > 0) log(`No live lane from this release: a live value is read outside any page (${record.unscoped.join(', ')}).`);
  writePageRecord(path, record);
  return Object.keys(read.record.pages).length;
}

/**
 * A live build into `dir`: renders the pages `record` names live (and every
 * page of routes whose path list reads a live value), then links every
 * other file of `previousDir`. `fallback` says why a full build is needed
 * instead (the live build failed or its record is unusable).
 */
async function buildLive(
  target: string,
  previousDir: string,
  dir: string,
  id: string,
  record: PageReads,
  run: { build: string[]; env: NodeJS.ProcessEnv; log: (line: string) => void; cwd?: string },
): Promise<{ linked: number; rendered: string[]; pages: number } | { fallback: string }> {
  const work = join(target, 'pages', `${id}.work`);
  const planFile = join(target, 'pages', `${id}.plan.json`);
  const renderedFile = join(target, 'pages', `${id}.rendered.json`);
  try {
    writePageRecord(planFile, livePlan(record));
    // Content and code are those of the live release, which passed the check: no second check.
    const code = await buildAtomically({
      outDir: work,
      check: [process.execPath, '-e', ''],
      build: run.build,
      env: { ...run.env, STATUS_LIVE_PLAN: planFile, STATUS_PAGE_READS: renderedFile },
      log: run.log,
      ...(run.cwd ? { cwd: run.cwd } : {}),
    });
    if (code !== 0) return { fallback: `the live build failed (exit ${code})` };
    const read = readPageReads(renderedFile);
    if ('problem' in read) return { fallback: read.problem };
    const rendered = locatePageFiles(work, read.record);
    if (rendered.missing.length > 0)
      return { fallback: `${rendered.missing.length} rendered page(s) have no file where expected (first: ${rendered.missing[0]})` };
    const assembled = assembleLiveRelease(previousDir, work, dir, carriedOver(record, rendered.record));
    const { record: merged, missing } = locatePageFiles(dir, mergeRecords(record, rendered.record));
    if (missing.length > 0) {
      rmSync(dir, { recursive: true, force: true });
      return { fallback: `${missing.length} page(s) missing after the live build (first: ${missing[0]})` };
    }
    writePageRecord(pageReadsPath(target, id), merged);
    return { linked: assembled.linked, rendered: assembled.rendered, pages: Object.keys(read.record.pages).length };
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(planFile, { force: true });
    rmSync(renderedFile, { force: true });
  }
}

export type RollbackOutcome =
  | { kind: 'rolled-back'; from: string | undefined; to: string; commit?: string }
  | { kind: 'nowhere'; live: string | undefined }
  | { kind: 'locked'; message: string };

/**
 * Switches `current` back to the release that was live before the live one
 * (by the recorded history) and holds publishing (`HOLD`): from commits, the
 * hold pins that release's commit; otherwise publishing waits.
 */
export function rollback(targetDir: string, now: Date, branchHeadCommit?: string): RollbackOutcome {
  const target = resolve(targetDir);
  const release = acquireBuildLock(join(target, 'publish'), now);
  if (typeof release !== 'function') return { kind: 'locked', message: release.held };
  try {
    const live = liveRelease(target);
    const releases = join(target, 'releases');
    const state = readState(target);
    const onDisk = (existsSync(releases) ? readdirSync(releases) : []).filter((id) => isReleaseId(id) && existsSync(join(releases, id, 'index.html')));
    const picked = rollbackTarget(state.history, onDisk, live);
    if (!picked) return { kind: 'nowhere', live };
    const commit = state.commits[picked.to];
    const hold: Hold = {
      since: now.toISOString(),
      reason: `rolled back from ${live ?? '(none)'} to ${picked.to}`,
      ...(commit ? { commit } : {}),
      ...(commit && branchHeadCommit ? { branchHead: branchHeadCommit } : {}),
    };
    writeJson(target, 'HOLD', hold);
    state.history = picked.history;
    writeState(target, state);
    switchRelease(target, picked.to);
    const source = commit ? join(target, 'work', commit) : undefined;
    if (source && existsSync(join(source, '.exported'))) switchLiveSource(target, source);
    return { kind: 'rolled-back', from: live, to: picked.to, ...(commit ? { commit } : {}) };
  } finally {
    release();
  }
}

/** Releases on disk, oldest first, for listings. */
export function listReleases(targetDir: string): string[] {
  const releases = join(resolve(targetDir), 'releases');
  return existsSync(releases) ? sortReleases(readdirSync(releases)) : [];
}
