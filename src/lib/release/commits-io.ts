/**
 * Publishing from commits, never from a working tree (issue 26): the
 * publish loop builds an export of a commit on the deployed branch, so an
 * edit made on the build host, or a package-lock.json rewritten by
 * `npm install`, never goes live and never blocks a `git pull`.
 *
 * Code and content share one repository, so a commit pins both: a hold
 * rebuilds exactly the pinned commit with fresh monitoring data.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs git in `repo`; returns stdout, or throws an Error whose message is git's own first line. */
function git(repo: string, args: string[]): string {
  const r = spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`git could not run: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(
      (r.stderr || r.stdout)
        .trim()
        .split('\n')
        .filter((l) => l.trim())[0] ?? `git ${args[0]} exited ${r.status}`,
    );
  return r.stdout;
}

export interface BranchHead {
  /** The full commit id, e.g. `3f52ccc…`. */
  commit: string;
  /** Its subject line, for messages. */
  subject: string;
  /** Why the repository could not be brought up to date, when it could not: the head is then the last one fetched. */
  fetchFailed?: string;
}

/**
 * The newest commit of `branch`: fetched from `origin` first when the
 * repository has one (a clone of the content repository), else read from the
 * repository itself (a bare repository admins push to).
 */
export function branchHead(repo: string, branch: string): BranchHead {
  let fetchFailed: string | undefined;
  let ref = `refs/heads/${branch}`;
  const remotes = git(repo, ['remote']).split('\n').filter(Boolean);
  if (remotes.includes('origin')) {
    ref = `refs/remotes/origin/${branch}`;
    try {
      git(repo, ['fetch', '--quiet', 'origin', `+refs/heads/${branch}:${ref}`]);
    } catch (err) {
      fetchFailed = (err as Error).message;
    }
  }
  let commit: string;
  try {
    commit = git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
  } catch {
    throw new Error(
      `The repository ${repo} has no branch ${branch}${fetchFailed ? ` (the fetch failed: ${fetchFailed})` : ''}. Push it, or name the deployed branch with --branch.`,
    );
  }
  const subject = git(repo, ['log', '-1', '--format=%s', commit]).trim();
  return { commit, subject, ...(fetchFailed ? { fetchFailed } : {}) };
}

/**
 * A folder holding `commit`'s files exactly, with `node_modules` linked to
 * the installed one in `projectRoot`. Kept between runs under `workDir`
 * (Astro's caches inside it stay warm); folders of other commits are
 * removed except those in `keep`.
 */
export function exportCommit(repo: string, commit: string, workDir: string, projectRoot: string, keep: readonly string[] = []): string {
  mkdirSync(workDir, { recursive: true });
  const dir = join(workDir, commit);
  for (const name of readdirSync(workDir)) {
    if (name !== commit && !keep.includes(name)) rmSync(join(workDir, name), { recursive: true, force: true });
  }
  if (existsSync(join(dir, '.exported'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const tar = join(workDir, `.${commit}.tar`);
  try {
    git(repo, ['archive', '--format=tar', `--output=${tar}`, commit]);
    const r = spawnSync('tar', ['-xf', tar, '-C', tmp], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tar could not unpack commit ${commit.slice(0, 12)}: ${(r.stderr || '').trim()}`);
  } finally {
    rmSync(tar, { force: true });
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(tmp, 'node_modules'));
  writeFileSync(join(tmp, '.exported'), `${commit}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

/** Runs the content check in `cwd`; returns whether it passed and everything it printed. */
export function runCheck(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv): { ok: boolean; output: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  return { ok: r.status === 0, output: r.error ? `${output}\n${r.error.message}`.trim() : output };
}
