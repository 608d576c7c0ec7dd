/**
 * The only place that reads content from disk. Everything after this is pure
 * (`buildContent`), which keeps validation testable with in-memory files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SourceFile, SourceFiles } from './content.ts';
import { MAX_FILE_BYTES } from './content.ts';

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

/**
 * Reads the site config and every content file under `root`.
 * @param root project root, e.g. `process.cwd()`
 */
export function readSourceFiles(root: string): SourceFiles {
  const sitePath = join(root, 'content', 'site.yaml');
  return {
    site: existsSync(sitePath) ? readOne(root, sitePath) : undefined,
    incidents: listMarkdown(root, 'incidents').map((f) => readOne(root, f)),
    maintenance: listMarkdown(root, 'content/maintenance').map((f) => readOne(root, f)),
    updates: listMarkdown(root, 'content/updates').map((f) => readOne(root, f)),
  };
}
