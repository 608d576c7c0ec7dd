/**
 * The files of the live lane (issue 28; the decisions are in live-lane.ts):
 * each release's page record in `<target>/pages/<id>.json`, and a new
 * release made of the live build's pages plus hard links to every other
 * file of the live release (its `.gz` and `.br` copies included), so a
 * minute's publish writes only what changed.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write-io.ts';
import { PageReadsSchema, type LivePlan, type PageReads } from '../schemas.ts';
import { pageFileCandidates } from './live-lane.ts';

/** Where a release's page record is kept, e.g. `/srv/jabber-status/site/pages/20261121T120000Z-42.json`. */
export function pageReadsPath(target: string, id: string): string {
  return join(target, 'pages', `${id}.json`);
}

/** A page record as written by a build, or why it cannot be used (then the next build is a full one). */
export function readPageReads(path: string): { record: PageReads } | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { problem: (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${path} does not exist` : `${path} is not JSON` };
  }
  const parsed = PageReadsSchema.safeParse(raw);
  if (!parsed.success) return { problem: `${path} is not a page record (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})` };
  return { record: parsed.data };
}

export function writePageRecord(path: string, record: PageReads | LivePlan): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, `${JSON.stringify(record)}\n`);
}

/**
 * The record with each page's file found in the release `dir`, and the
 * pages whose file is in none of the expected places (then no live build
 * may rely on the record).
 */
export function locatePageFiles(dir: string, record: PageReads): { record: PageReads; missing: string[] } {
  const missing: string[] = [];
  const pages: PageReads['pages'] = {};
  for (const [path, page] of Object.entries(record.pages)) {
    const file =
      page.file !== undefined && existsSync(join(dir, page.file)) ? page.file : pageFileCandidates(path, record.base).find((f) => existsSync(join(dir, f)));
    if (file === undefined) missing.push(path);
    pages[path] = file === undefined ? page : { ...page, file };
  }
  return { record: { ...record, pages }, missing };
}

/** Every regular file under `dir`, relative to it. */
function walk(dir: string, each: (rel: string) => void, prefix = ''): void {
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(dir, each, rel);
    else if (entry.isFile()) each(rel);
  }
}

export interface Assembled {
  /** Files of the old release linked into the new one. */
  linked: number;
  /** Files the live build wrote that the new release takes (they need `.gz`/`.br`). */
  rendered: string[];
}

/**
 * Makes `newDir` from the live release `previousDir` (every file `keep`
 * accepts, hard-linked) and the live build in `buildDir` (every other file
 * it wrote, moved). A file both kept and rendered is taken from the old
 * release: its bytes are the same by construction.
 */
export function assembleLiveRelease(previousDir: string, buildDir: string, newDir: string, keep: (file: string) => boolean): Assembled {
  const made = new Set<string>();
  const ensureDir = (rel: string) => {
    const d = dirname(join(newDir, rel));
    if (made.has(d)) return;
    mkdirSync(d, { recursive: true });
    made.add(d);
  };
  mkdirSync(newDir, { recursive: true });
  let linked = 0;
  walk(previousDir, (rel) => {
    if (!keep(rel)) return;
    ensureDir(rel);
    linkSync(join(previousDir, rel), join(newDir, rel));
    linked++;
  });
  const rendered: string[] = [];
  walk(buildDir, (rel) => {
    if (keep(rel) && existsSync(join(previousDir, rel))) return;
    ensureDir(rel);
    renameSync(join(buildDir, rel), join(newDir, rel));
    rendered.push(rel);
  });
  rmSync(buildDir, { recursive: true, force: true });
  return { linked, rendered };
}
