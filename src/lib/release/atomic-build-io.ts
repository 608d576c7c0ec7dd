/**
 * Builds the site so that the published folder only ever holds a complete
 * build. Astro empties its output folder when it starts, so building straight
 * into `dist/` meant an interrupted or failed build (SIGINT, a crash after
 * validation) left a broken site behind, and two builds at once mixed their
 * files. Here:
 *
 * 1. a lock (`<out>.lock`, taken by shared/file-lock-io.ts) lets one build at a time
 *    write to `<out>`; a second one stops at once with a clear message, and
 *    a lock left by a killed build (its process is gone) is taken over;
 * 2. the content check runs first: broken content never starts a build;
 * 3. Astro builds into a fresh folder of its own inside the project,
 *    `.build-<pid>/`: Astro keeps its prerender chunks inside the output
 *    folder when that is under the working directory, and otherwise in the
 *    one shared `.astro/.prerender/`, where two builds at once deleted each
 *    other's chunks ("Cannot find module …/.astro/.prerender/chunks/…");
 * 4. only when it exits 0 and wrote `index.html` is the new folder moved
 *    next to `<out>` (`<out>.tmp-<pid>`, copied when `<out>` is on another
 *    file system) and renamed into place (the old one moved aside and
 *    removed); otherwise the previous output stays exactly as it was.
 *
 * Leftover `.build-<pid>`, `.tmp-<pid>` and `.old-<pid>` folders of killed
 * builds are removed by the next one.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { isAlive, tryLock } from '../shared/file-lock-io.ts';
import { basename, dirname, join, resolve } from 'node:path';

export interface AtomicBuildOptions {
  /** Where the finished site goes, e.g. `dist`. */
  outDir: string;
  /** The content check, run first (argv for a child process), e.g. `['scripts/check.ts']`. */
  check: string[];
  /** The build itself; `--outDir <temporary folder>` is appended. */
  build: string[];
  env?: NodeJS.ProcessEnv;
  /** The folder the check and the build run in (the project to build), default the current one. */
  cwd?: string;
  log?: (line: string) => void;
}

/**
 * Takes `<out>.lock`, or explains who holds it.
 * @returns a release function, or the message for the admin
 */
export function acquireBuildLock(outDir: string, now: Date): (() => void) | { held: string } {
  const lock = `${outDir}.lock`;
  // The shared protocol takes a stale lock over atomically (issue 22, defect 6).
  const taken = tryLock(lock, now);
  if (taken.ok) return taken.release;
  if (taken.holder) {
    return {
      held: `Another build (process ${taken.holder.pid}, started ${taken.holder.since ?? 'at an unknown time'}) is writing ${outDir}. Wait for it to finish and run the build again. If no build is running, delete ${lock}.`,
    };
  }
  return { held: `Could not take the lock ${lock}. Delete it if no build is running.` };
}

/** Removes `<out>.tmp-<pid>`, `<out>.old-<pid>` and `./.build-<pid>` folders left by builds that were killed. */
function removeLeftovers(outDir: string, workParent: string): void {
  const remove = (dir: string, name: string, pid: number) => {
    if (pid === process.pid || !isAlive(pid)) rmSync(join(dir, name), { recursive: true, force: true });
  };
  const dir = dirname(outDir);
  const prefix = `${basename(outDir)}.`;
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const m = /^(tmp|old)-(\d+)$/.exec(name.slice(prefix.length));
    if (name.startsWith(prefix) && m) remove(dir, name, Number(m[2]));
  }
  for (const name of readdirSync(workParent)) {
    const m = /^\.build-(\d+)$/.exec(name);
    if (m) remove(workParent, name, Number(m[1]));
  }
}

/**
 * Copies a build folder file by file. Not `cpSync(…, { recursive: true })`:
 * on a full disk it reports EIO ("Input/output error") instead of ENOSPC, and
 * a publish must be able to say the disk is full (issue 22).
 */
function copyTree(from: string, to: string): void {
  mkdirSync(to);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const dest = join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dest);
    else if (entry.isFile()) copyFileSync(src, dest);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(src), dest);
  }
}

/** Moves a finished build next to its destination: a rename, or a copy across file systems. */
function moveBuild(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyTree(from, to);
    rmSync(from, { recursive: true, force: true });
  }
}

/** Runs a child process with this one's output, forwarding SIGINT and SIGTERM to it. */
function run(argv: string[], env: NodeJS.ProcessEnv | undefined, cwd?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit', env: env ?? process.env, ...(cwd ? { cwd } : {}) });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolvePromise({ code, signal });
    });
  });
}

/**
 * Checks, builds into a temporary folder, and moves the result into place.
 * @returns the exit code for the command line: 0 on success
 */
export async function buildAtomically(options: AtomicBuildOptions): Promise<number> {
  const log = options.log ?? ((line: string) => console.error(line));
  const outDir = resolve(options.outDir);
  const release = acquireBuildLock(outDir, new Date());
  if (typeof release !== 'function') {
    log(release.held);
    return 1;
  }
  const tmp = `${outDir}.tmp-${process.pid}`;
  const workParent = resolve(options.cwd ?? process.cwd());
  const work = join(workParent, `.build-${process.pid}`);
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => (interrupted = signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    removeLeftovers(outDir, workParent);
    const checked = await run(options.check, options.env, options.cwd);
    if (checked.code !== 0 || interrupted) {
      log(`Nothing was built; ${outDir} is unchanged.`);
      return checked.code || 1;
    }
    const built = await run([...options.build, '--outDir', work], options.env, options.cwd);
    if (built.code !== 0 || interrupted || !existsSync(join(work, 'index.html'))) {
      const why = interrupted
        ? `interrupted (${interrupted})`
        : built.signal
          ? `killed (${built.signal})`
          : built.code !== 0
            ? `failed (exit ${built.code})`
            : 'wrote no index.html';
      log(`The build ${why}; ${outDir} is unchanged.`);
      return interrupted === 'SIGINT' ? 130 : built.code || 1;
    }
    moveBuild(work, tmp);
    // Swap: the new build takes the name, the old one is removed after.
    const old = `${outDir}.old-${process.pid}`;
    const hadOld = existsSync(outDir);
    if (hadOld) renameSync(outDir, old);
    renameSync(tmp, outDir);
    if (hadOld) rmSync(old, { recursive: true, force: true });
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    release();
  }
}
