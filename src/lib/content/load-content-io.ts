/**
 * The only place that reads content from disk, and the one entry point that
 * loads and validates it: shared by the build (`src/data.ts`) and
 * `npm run check`, so both apply exactly the same rules. Everything after the
 * reading is pure (`buildContent`), which keeps validation testable with
 * in-memory files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { buildContent, MAX_FILE_BYTES, parseSiteConfig, type ContentResult, type SourceFile, type SourceFiles } from './content.ts';
import type { Problem } from './problems.ts';
import type { SiteConfig } from '../schemas.ts';

/**
 * Lists Markdown files below `dir`, skipping names that start with `_`
 * (author templates such as `incidents/_template.md`) or `.`.
 */
function listMarkdown(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.md')) out.push(full);
    }
  };
  walk(abs);
  return out.sort();
}

function readOne(root: string, abs: string): SourceFile {
  const bytes = statSync(abs).size;
  const path = relative(root, abs).split(sep).join('/');
  // Oversized files are reported by buildContent; don't read them at all.
  const text = bytes > MAX_FILE_BYTES ? '' : readFileSync(abs, 'utf8');
  return { path, text, bytes };
}

function readSiteFile(root: string): SourceFile | undefined {
  const sitePath = join(root, 'content', 'site.yaml');
  return existsSync(sitePath) ? readOne(root, sitePath) : undefined;
}

/**
 * Reads and validates content/site.yaml alone (for the probe and admin commands).
 * @param root project root, e.g. `process.cwd()`
 */
export function loadSiteConfig(root: string): { ok: true; site: SiteConfig } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const site = parseSiteConfig(readSiteFile(root), problems);
  return site && problems.length === 0 ? { ok: true, site } : { ok: false, problems };
}

/**
 * Reads the site config and every content file under `root`.
 * @param root project root, e.g. `process.cwd()`
 */
export function readSourceFiles(root: string): SourceFiles {
  return {
    site: readSiteFile(root),
    incidents: listMarkdown(root, 'incidents').map((f) => readOne(root, f)),
    maintenance: listMarkdown(root, 'content/maintenance').map((f) => readOne(root, f)),
    updates: listMarkdown(root, 'content/updates').map((f) => readOne(root, f)),
  };
}

/** @param root project root, e.g. `process.cwd()` */
export function loadContent(root: string): ContentResult {
  return buildContent(readSourceFiles(root));
}
