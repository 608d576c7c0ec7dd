/**
 * `npm run dev` as an admin uses it: the real Astro dev server over a copy
 * of the sample content, read in Chromium. An edited incident shows up
 * without a restart, and invalid content is reported in the terminal and in
 * the browser's error overlay, like a code error, until it is fixed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort, waitForPort } from './helpers/free-port.ts';
import { requireTools, TOOLS } from './helpers/system-tools.ts';

let root: string;
let dev: ChildProcess;
let log = '';
let url: string;
let browser: Browser;
const INCIDENT = 'incidents/2026/2026-11-19-federation-with-some-servers.md';

beforeAll(async () => {
  requireTools([TOOLS.chromium]);
  root = mkdtempSync(join(tmpdir(), 'dev-content-'));
  cpSync('content', join(root, 'content'), { recursive: true });
  cpSync('incidents', join(root, 'incidents'), { recursive: true });
  const port = await freePort();
  url = `http://127.0.0.1:${port}/`;
  dev = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'dev', '--port', String(port), '--host', '127.0.0.1'], {
    // As an admin's shell has it: not vitest's NODE_ENV=test and VITEST* variables, which change how Astro's dev server behaves.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV')),
      STATUS_CONTENT_ROOT: root,
      SOURCE_DATE_EPOCH: '1795262400',
      ASTRO_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout!.on('data', (d) => (log += d));
  dev.stderr!.on('data', (d) => (log += d));
  await waitForPort(port, 60_000);
  // The port opens before Astro's middleware is in place ("Cannot GET /"): wait for a page.
  let last = '';
  await within(60_000, async () => {
    const r = await fetch(url).catch((e: Error) => ((last = `${e.message} ${String((e as { cause?: unknown }).cause)}`), undefined));
    if (r) last = `HTTP ${r.status}`;
    return r?.status === 200;
  }).catch((e: Error) => {
    throw new Error(`${e.message}\nlast answer: ${last}`);
  });
  browser = await chromium.launch({ executablePath: TOOLS.chromium.path, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
});

afterAll(async () => {
  await browser?.close();
  dev?.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
});

/** Polls until `check` passes; returns how long it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms; dev server said:\n${log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - start;
}

const edit = (from: string, to: string) => {
  const file = join(root, INCIDENT);
  writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
};

test('an edited incident shows on the page without a restart', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  expect(await page.content(), log.slice(-3000)).toContain('Federation with some servers fails after certificate change');
  edit('title: Federation with some servers fails after certificate change', 'title: Federation with a few servers fails');
  // The reload is pushed to the open page; the figure is printed for the note (the budget is 2 s).
  const took = await within(10_000, async () => (await page.content().catch(() => '')).includes('Federation with a few servers fails'));
  console.log(`dev: edit visible in the open page after ${took} ms`);
  await page.context().close();
});

test('invalid content is reported in the terminal and in the browser overlay, and fixing it clears both', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  const before = log.length;
  edit('impact: minor', 'impact: severe');
  const problem = 'incidents/2026/2026-11-19-federation-with-some-servers.md:3: impact: "severe" is not allowed. Use one of: none, minor, major, critical';
  await within(10_000, async () => log.slice(before).includes(problem));
  await within(10_000, async () => {
    const overlay = page.locator('vite-error-overlay');
    return (await overlay.count()) > 0 && (await overlay.evaluate((el) => el.shadowRoot?.textContent ?? '')).includes('impact: "severe" is not allowed');
  });
  edit('impact: severe', 'impact: minor');
  await within(10_000, async () => {
    await page.goto(url).catch(() => undefined);
    return (await page.locator('vite-error-overlay').count()) === 0 && (await page.content().catch(() => '')).includes('Federation with a few servers fails');
  });
  await page.context().close();
});
