/**
 * Publishing is atomic: the output folder only ever holds a complete build.
 * Real child processes (the same `scripts/build.ts` admins run) are
 * interrupted with SIGINT and SIGKILL at several moments, run twice at once,
 * and made to fail after writing part of their output.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildAtomically } from '../../src/lib/release/atomic-build-io.ts';
import { listFiles, SAMPLE_EPOCH } from '../helpers/build-site.ts';

const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', SOURCE_DATE_EPOCH: SAMPLE_EPOCH };

/** A fingerprint of a whole folder: every path and its bytes. */
function fingerprint(dir: string): string {
  const hash = createHash('sha256');
  for (const f of listFiles(dir).sort()) hash.update(f).update(readFileSync(join(dir, f)));
  return hash.digest('hex');
}

function startBuild(outDir: string) {
  // Its own process group, so a signal reaches npm-less node and Astro alike, as Ctrl-C does.
  const child = spawn(process.execPath, ['scripts/build.ts', '--outDir', outDir], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, done };
}

async function waitFor(predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const leftovers = (parent: string) => [
  ...readdirSync(parent).filter((n) => /\.(tmp|old)-\d+$|\.lock$/.test(n)),
  ...readdirSync(process.cwd()).filter((n) => /^\.build-\d+$/.test(n) && !isRunning(Number(n.slice(7)))),
];
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let parent: string;
let outDir: string;
let published: string;
beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'atomic-build-'));
  outDir = join(parent, 'dist');
  const first = await startBuild(outDir).done;
  if (first.code !== 0) throw new Error(first.output);
  published = fingerprint(outDir);
});

describe('an interrupted build leaves the published site as it was', () => {
  // Moments: during the content check, as soon as Astro starts writing its
  // temporary folder, and well into page generation.
  test.each([
    ['SIGINT', 'during the content check', 'check'],
    ['SIGINT', 'as Astro starts writing', 'tmp'],
    ['SIGINT', 'while pages are written', 'pages'],
    ['SIGKILL', 'as Astro starts writing', 'tmp'],
    ['SIGKILL', 'while pages are written', 'pages'],
  ] as const)('%s %s', async (signal, _when, moment) => {
    const { child, done } = startBuild(outDir);
    // Astro writes into the build's own folder in the project (see atomic-build-io.ts).
    const tmp = join(process.cwd(), `.build-${child.pid}`);
    if (moment === 'tmp') await waitFor(() => existsSync(tmp));
    if (moment === 'pages') await waitFor(() => existsSync(join(tmp, 'incidents')) || existsSync(join(tmp, '_astro')));
    process.kill(-child.pid!, signal);
    const result = await done;
    expect(result.code === 0).toBe(false);
    expect(fingerprint(outDir)).toBe(published);
    expect(existsSync(join(outDir, 'index.html'))).toBe(true);
  });

  test('the next build cleans up what killed builds left and publishes', async () => {
    const result = await startBuild(outDir).done;
    expect(result.code, result.output).toBe(0);
    expect(leftovers(parent)).toEqual([]);
    expect(fingerprint(outDir)).toBe(published);
  });
});

test('two builds at once: one publishes, the other stops with a clear message, and the site is whole', async () => {
  const a = startBuild(outDir);
  await waitFor(() => existsSync(`${outDir}.lock`));
  const b = startBuild(outDir);
  const [ra, rb] = await Promise.all([a.done, b.done]);
  expect(ra.code, ra.output).toBe(0);
  expect(rb.code).toBe(1);
  expect(rb.output).toContain(`Another build (process ${a.child.pid}, started `);
  expect(rb.output).toContain(`Wait for it to finish and run the build again. If no build is running, delete ${outDir}.lock.`);
  expect(fingerprint(outDir)).toBe(published);
  expect(leftovers(parent)).toEqual([]);
});

test('two builds into different folders at once both publish complete sites', async () => {
  // Before, both used Astro's one shared .astro/.prerender/ folder and one
  // failed with "Cannot find module …/.astro/.prerender/chunks/…".
  const other = join(parent, 'other');
  const [ra, rb] = await Promise.all([startBuild(join(parent, 'first')).done, startBuild(other).done]);
  expect(ra.code, ra.output).toBe(0);
  expect(rb.code, rb.output).toBe(0);
  expect(fingerprint(join(parent, 'first'))).toBe(published);
  expect(fingerprint(other)).toBe(published);
});

test('a build that fails after writing part of its output publishes nothing and keeps the previous site', async () => {
  const lines: string[] = [];
  // A real child process standing in for a page that throws half way:
  // it writes some pages into the folder it is given, then exits 1.
  const failing = `
    const fs = require('node:fs'); const out = process.argv[process.argv.indexOf('--outDir') + 1];
    fs.mkdirSync(out + '/incidents', { recursive: true }); fs.writeFileSync(out + '/index.html', 'half');
    console.error('[build] Error: page incidents/[slug] threw'); process.exit(1);`;
  const code = await buildAtomically({
    outDir,
    check: [process.execPath, 'scripts/check.ts'],
    build: [process.execPath, '-e', failing, '--'],
    env,
    log: (l) => lines.push(l),
  });
  expect(code).toBe(1);
  expect(lines).toEqual([`The build failed (exit 1); ${outDir} is unchanged.`]);
  expect(fingerprint(outDir)).toBe(published);
  expect(leftovers(parent)).toEqual([]);
});

test('broken content stops before the build and leaves the previous site', async () => {
  const lines: string[] = [];
  const code = await buildAtomically({
    outDir,
    check: [process.execPath, 'scripts/check.ts', '--root', 'tests/fixtures/invalid'],
    build: [process.execPath, '-e', 'process.exit(0)'],
    env,
    log: (l) => lines.push(l),
  });
  expect(code).toBe(1);
  expect(lines).toEqual([`Nothing was built; ${outDir} is unchanged.`]);
  expect(fingerprint(outDir)).toBe(published);
});
