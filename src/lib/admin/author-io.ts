/**
 * Writes what the authoring commands made, only if it is valid: the whole
 * content tree is read as the build reads it, the new or changed file is put
 * in, and the real validation (`buildContent`) runs. Problems in that file
 * stop the command before anything is written; a new file never replaces an
 * existing one; a changed file is replaced in one rename.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write-io.ts';
import { tryLock, type LockHolder } from '../shared/file-lock-io.ts';
import { buildContent, type SourceFiles } from '../content/content.ts';
import { readSourceFiles } from '../content/load-content-io.ts';
import { formatProblems } from '../content/problems.ts';

export type WriteResult = { ok: true; path: string; othersBroken: number } | { ok: false; message: string };

function withFile(files: SourceFiles, path: string, text: string): SourceFiles {
  const entry = { path, text, bytes: Buffer.byteLength(text) };
  const put = (list: SourceFiles['incidents']) => [...list.filter((f) => f.path !== path), entry];
  if (path.startsWith('incidents/')) return { ...files, incidents: put(files.incidents) };
  if (path.startsWith('content/maintenance/')) return { ...files, maintenance: put(files.maintenance) };
  if (path.startsWith('content/updates/')) return { ...files, updates: put(files.updates) };
  throw new Error(`${path} is not a content file`);
}

/**
 * Validates `text` as the file at `path` among all content, then writes it.
 * A changed file is written under its lock (`.cache/author-locks/<file>.lock`, shared/file-lock-io.ts)
 * and only if it still holds `expected`, the text the command read: two
 * `incident:update` runs at once used to both print "Wrote" while one update
 * was lost (issue 22, defect 7); now the later one is refused and says so.
 * @param path relative to `root`, e.g. `incidents/2026/2026-11-21-logins-fail.md`
 * @param mode `create` refuses an existing file; `replace` requires one
 * @param expected for `replace`: the file's text when the command read it
 */
export function writeValidated(root: string, path: string, text: string, mode: 'create' | 'replace', expected?: string): WriteResult {
  const abs = join(root, path);
  if (mode === 'create' && existsSync(abs))
    return { ok: false, message: `${path} already exists; nothing was written. Choose another title, or add an update to it instead` };
  if (mode === 'replace' && !existsSync(abs)) return { ok: false, message: `${path} does not exist` };
  const result = buildContent(withFile(readSourceFiles(root), path, text));
  const own = result.ok ? [] : result.problems.filter((p) => p.file === path);
  if (own.length > 0) return { ok: false, message: `Nothing was written: the file would have these problems.\n\n${formatProblems(own)}` };
  const othersBroken = result.ok ? 0 : new Set(result.problems.map((p) => p.file)).size;
  mkdirSync(dirname(abs), { recursive: true });
  if (mode === 'create') {
    // "wx": fails if the file appeared meanwhile, so nothing is ever overwritten.
    try {
      writeFileSync(abs, text, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        return { ok: false, message: `${path} was created by someone else meanwhile; nothing was written. Add an update to it instead` };
      throw err;
    }
    return { ok: true, path, othersBroken };
  }
  // The lock lives outside the content folders, where the check and the dev server would see it as a stray file.
  const lockDir = join(root, '.cache', 'author-locks');
  mkdirSync(lockDir, { recursive: true });
  const lock = lockWithin(join(lockDir, `${path.replace(/[^a-zA-Z0-9._-]/g, '_')}.lock`), 5000);
  if (!lock.ok)
    return {
      ok: false,
      message: `Another command is changing ${path} right now${lock.holder ? ` (process ${lock.holder.pid})` : ''}; nothing was written. Run this command again in a moment`,
    };
  try {
    if (expected !== undefined && readFileSync(abs, 'utf8') !== expected) {
      return {
        ok: false,
        message: `${path} changed after this command read it (another update was written meanwhile); nothing was written, so that change is kept. Run this command again to add yours after it`,
      };
    }
    writeFileAtomic(abs, text);
  } finally {
    lock.release();
  }
  return { ok: true, path, othersBroken };
}

/** Tries the lock for up to `waitMs`: another authoring command holds it only for a moment. */
function lockWithin(path: string, waitMs: number): { ok: true; release: () => void } | { ok: false; holder: LockHolder | undefined } {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const taken = tryLock(path, new Date());
    if (taken.ok || Date.now() > deadline) return taken;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}

/** The file at `path` under `root`, or undefined. */
export function readContentFile(root: string, path: string): string | undefined {
  const abs = join(root, path);
  return existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
}
