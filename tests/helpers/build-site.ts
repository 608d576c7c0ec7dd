/**
 * Builds the real site (the same `npm run build` an admin runs) into a
 * temporary folder, optionally from fixture content and at a frozen time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export interface BuildResult {
  code: number | null;
  output: string;
  outDir: string;
}

/** 2026-11-21T12:00:00Z, the "now" of the sample content. */
export const SAMPLE_EPOCH = '1795262400';

type BuildOptions = { contentRoot?: string; epoch?: string; env?: Record<string, string> };

function buildEnv(options: BuildOptions): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    SOURCE_DATE_EPOCH: options.epoch ?? SAMPLE_EPOCH,
    // Each build starts from an empty history store of its own unless the
    // test gives one: the project's .history/ is written by every build, so
    // without this a build's output depended on the tests that ran before it
    // (a certificate change appeared in the sample's feeds only on a second
    // build; found by a fresh-clone CI run).
    STATUS_HISTORY_DIR: mkdtempSync(join(tmpdir(), 'status-history-')),
    ...options.env,
  };
  if (options.contentRoot) env.STATUS_CONTENT_ROOT = options.contentRoot;
  return env;
}

export function buildSite(options: BuildOptions = {}): BuildResult {
  const outDir = mkdtempSync(join(tmpdir(), 'status-build-'));
  const run = spawnSync('npm', ['run', '--silent', 'build', '--', '--outDir', outDir], { env: buildEnv(options), encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}\n${run.stderr}`, outDir };
}

/** The same build without blocking this process, for tests that serve the build's sources themselves. */
export async function buildSiteAsync(options: BuildOptions = {}): Promise<BuildResult> {
  const outDir = mkdtempSync(join(tmpdir(), 'status-build-'));
  const child = spawn('npm', ['run', '--silent', 'build', '--', '--outDir', outDir], { env: buildEnv(options) });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  return { code, output, outDir };
}

/** Every file under `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

/** A page's visible text with tags removed and whitespace folded, for "the page says…" checks. */
export function pageText(outDir: string, path: string): string {
  return htmlText(readFileSync(join(outDir, path), 'utf8').replace(/<head>[\s\S]*?<\/head>/, ''));
}

/** HTML as plain text: tags removed, common entities decoded, whitespace folded. */
export function htmlText(html: string): string {
  return (
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      // Tags became spaces; punctuation right after an inline element closes up again.
      .replace(/ ([.,:;])/g, '$1')
      .trim()
  );
}
