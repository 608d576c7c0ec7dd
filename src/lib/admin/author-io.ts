/**
 * Writes what the authoring commands made, only if it is valid: the whole
 * content tree is read as the build reads it, the new or changed file is put
 * in, and the real validation (`buildContent`) runs. Problems in that file
 * stop the command before anything is written; a new file never replaces an
 * existing one; a changed file is replaced in one rename.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
 * @param path relative to `root`, e.g. `incidents/2026/2026-11-21-logins-fail.md`
 * @param mode `create` refuses an existing file; `replace` requires one
 */
export function writeValidated(root: string, path: string, text: string, mode: 'create' | 'replace'): WriteResult {
  const abs = join(root, path);
  if (mode === 'create' && existsSync(abs)) return { ok: false, message: `${path} already exists; nothing was written. Choose another title, or add an update to it instead` };
  if (mode === 'replace' && !existsSync(abs)) return { ok: false, message: `${path} does not exist` };
  const result = buildContent(withFile(readSourceFiles(root), path, text));
  const own = result.ok ? [] : result.problems.filter((p) => p.file === path);
  if (own.length > 0) return { ok: false, message: `Nothing was written: the file would have these problems.\n\n${formatProblems(own)}` };
  const othersBroken = result.ok ? 0 : new Set(result.problems.map((p) => p.file)).size;
  mkdirSync(dirname(abs), { recursive: true });
  if (mode === 'create') {
    // "wx": fails if the file appeared meanwhile, so nothing is ever overwritten.
    writeFileSync(abs, text, { flag: 'wx' });
  } else {
    const tmp = join(dirname(abs), `.${process.pid}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, abs);
  }
  return { ok: true, path, othersBroken };
}

/** The file at `path` under `root`, or undefined. */
export function readContentFile(root: string, path: string): string | undefined {
  const abs = join(root, path);
  return existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
}
