/**
 * The built site in a real browser: Debian's Chromium driven by
 * playwright-core, against pages served on loopback. Checks what a person
 * gets: the right status for each state, everything readable without
 * JavaScript, every link reachable by keyboard with a visible focus, no
 * horizontal scrolling at 320 px, dark mode, and zero axe-core violations on
 * every page type in light and dark.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite, type BuildResult } from './helpers/build-site.ts';
import { maintenanceText } from './helpers/content-files.ts';
import { serveStatic } from './helpers/static-server.ts';
import { requireTools, TOOLS } from './helpers/system-tools.ts';

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

/** One page of every type the site has. */
const PAGE_TYPES = {
  home: '/',
  incident: '/incidents/2026-11-09-login-failures-after-migration/',
  'incident history': '/incidents/',
  'incident year': '/incidents/year/2026/',
  'daily update': '/updates/2026-11-20/',
  'daily updates': '/updates/',
  'daily update year': '/updates/year/2026/',
  component: '/components/s2s/',
  'component year': '/components/s2s/year/2026/',
  maintenance: '/maintenance/',
  'maintenance window': '/maintenance/2026-11-25-m-link-upgrade/',
  subscribe: '/subscribe/',
  'not found': '/no-such-page/',
};

let browser: Browser;
let sample: BuildResult;
let server: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  requireTools([TOOLS.chromium]);
  sample = buildSite();
  if (sample.code !== 0) throw new Error(sample.output);
  server = await serveStatic(sample.outDir);
  browser = await chromium.launch({
    executablePath: TOOLS.chromium.path,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string, options: { js?: boolean; width?: number; scheme?: 'light' | 'dark'; base?: string } = {}): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: options.js ?? false, viewport: { width: options.width ?? 1000, height: 800 }, colorScheme: options.scheme ?? 'light' });
  const page = await context.newPage();
  // Any request to another host would be a privacy and speed bug.
  const foreign: string[] = [];
  page.on('request', (r) => !r.url().startsWith(options.base ?? server.url) && foreign.push(r.url()));
  await page.goto(`${options.base ?? server.url}${path}`);
  expect(foreign, `${path} requested other hosts`).toEqual([]);
  return page;
}

describe('the home page shows the right overall state', () => {
  /**
   * Builds a fixture site whose only open item is `file`, at the sample's
   * "now", with the sample monitoring data unless `monitoring` is false.
   */
  function fixture(file?: { path: string; text: string }, monitoring = true): BuildResult {
    const root = mkdtempSync(join(tmpdir(), 'state-'));
    mkdirSync(join(root, 'content/updates'), { recursive: true });
    cpSync('content/site.yaml', join(root, 'content/site.yaml'));
    if (monitoring) cpSync('content/probe-sample', join(root, 'content/probe-sample'), { recursive: true });
    writeFileSync(join(root, 'content/updates/2026-11-21.md'), '---\nauthor: Test\nsummary: Test day.\n---\nText.\n');
    if (file) {
      mkdirSync(join(root, file.path, '..'), { recursive: true });
      writeFileSync(join(root, file.path), file.text);
    }
    const built = buildSite({ contentRoot: root });
    if (built.code !== 0) throw new Error(built.output);
    return built;
  }
  const incident = (status: string) => ({
    path: 'incidents/2026/2026-11-21-test.md',
    text: `---\ntitle: Test incident\nimpact: major\naffected:\n  - id: c2s\n    status: ${status}\nupdates:\n  - at: 2026-11-21T10:00:00Z\n    status: investigating\n    message: Looking.\n---\n`,
  });

  test.each([
    // state → what the page says, and the fixture that causes it
    ['operational', 'All systems operational', undefined],
    ['unknown', 'Status partly unknown', 'no monitoring data'],
    ['degraded', 'Degraded performance', incident('degraded')],
    ['major-outage', 'Major outage', incident('major-outage')],
    ['under-maintenance', 'Scheduled maintenance in progress', { path: 'content/maintenance/2026-11-21-now.md', text: maintenanceText('Now', '2026-11-21T11:00:00Z', '2026-11-21T13:00:00Z', { body: 'Work.\n' }) }],
  ] as const)('%s', async (state, headline, file) => {
    const built = file === 'no monitoring data' ? fixture(undefined, false) : fixture(file);
    const site = await serveStatic(built.outDir);
    try {
      const page = await open('/', { base: site.url });
      const overall = page.locator('#overall-heading');
      expect((await overall.innerText()).replace(/\s+/g, ' ').trim()).toMatch(new RegExp(`^\\S+ ${headline}$`));
      expect(await overall.locator('.state').getAttribute('class')).toBe(`state state-${state}`);
      // Not colour alone: the words are there for screen readers too.
      expect(await page.getByRole('heading', { name: headline }).count()).toBe(1);
      if (state === 'unknown') expect(await page.locator('.notices').innerText()).toContain('No monitoring data from ams: content/probe-sample/ams.json does not exist.');
      await page.context().close();
    } finally {
      await site.close();
    }
  });
});

describe('every page type', () => {
  test.each(Object.entries(PAGE_TYPES))('%s reads fully with JavaScript disabled', async (_type, path) => {
    const page = await open(path, { js: false });
    expect(await page.locator('h1').count()).toBe(1);
    expect((await page.locator('main').innerText()).length).toBeGreaterThan(20);
    await page.context().close();
  });

  test.each(Object.entries(PAGE_TYPES))('%s has no horizontal scrolling at 320 px', async (_type, path) => {
    const page = await open(path, { width: 320 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await page.context().close();
  });

  test.each(Object.entries(PAGE_TYPES).flatMap(([type, path]) => (['light', 'dark'] as const).map((scheme) => [type, scheme, path] as const)))(
    '%s has no axe-core violations in %s mode',
    async (_type, scheme, path) => {
      const page = await open(path, { js: true, scheme });
      await page.addScriptTag({ content: AXE });
      const result = await page.evaluate(() =>
        (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run({
          runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
        }),
      );
      expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      await page.context().close();
    },
  );
});

test('keyboard alone reaches every link on the home page, each with a visible focus', async () => {
  const page = await open('/', { js: true });
  const links = await page.locator('a[href]').count();
  const reached = new Set<string>();
  for (let i = 0; i < links + 2; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      // Position among all links: two links may share their text and target.
      const index = [...document.querySelectorAll('a[href]')].indexOf(el);
      return { key: `${index}:${el.getAttribute('href')}`, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    if (!focus) continue;
    expect(focus.outline, focus.key).not.toBe('none');
    expect(focus.width, focus.key).toBeGreaterThanOrEqual(2);
    reached.add(focus.key);
  }
  expect(reached.size).toBe(links);
  await page.context().close();
});

test('dark mode follows prefers-color-scheme', async () => {
  const light = await open('/', { scheme: 'light' });
  const dark = await open('/', { scheme: 'dark' });
  const bg = (p: Page) => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(await bg(light)).toBe('rgb(255, 255, 255)');
  expect(await bg(dark)).toBe('rgb(13, 17, 23)');
  await light.context().close();
  await dark.context().close();
});

test('an unknown address gets the 404 page with status 404', async () => {
  const response = await fetch(`${server.url}/no-such-page/`);
  expect(response.status).toBe(404);
  expect(await response.text()).toContain('<h1>Page not found</h1>');
});
