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
import { buildSite, SAMPLE_EPOCH, type BuildResult } from './helpers/build-site.ts';
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
  certificates: '/certificates/',
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
  const context = await browser.newContext({
    javaScriptEnabled: options.js ?? false,
    viewport: { width: options.width ?? 1000, height: 800 },
    colorScheme: options.scheme ?? 'light',
  });
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
    else {
      // No data yet: every location points at an empty log folder, as on probe
      // hosts that have not written anything (a missing path is a check error).
      const site = readFileSync('content/site.yaml', 'utf8').replace(
        / {2}sources:\n( {4}- .*\n)+/,
        '  sources:\n    - { name: ams, path: probe-data }\n    - { name: fra, path: probe-data }\n',
      );
      if (!site.includes('path: probe-data')) throw new Error('content/site.yaml no longer lists probes.sources as expected; update this fixture');
      writeFileSync(join(root, 'content/site.yaml'), site);
      for (const name of ['ams', 'fra']) mkdirSync(join(root, 'probe-data', name), { recursive: true });
    }
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
    // state → what the first box's heading says (issue 27: the event's own title, or the whole service's state), the line under it, and the fixture that causes it
    ['operational', 'All systems operational', undefined, undefined],
    ['unknown', 'Status partly unknown', 'No known problems. Our monitoring has not reported yet, so we cannot confirm it live.', 'no monitoring data'],
    ['degraded', 'Test incident', 'Degraded performance: Logging in', incident('degraded')],
    ['major-outage', 'Test incident', 'Major outage: Logging in', incident('major-outage')],
    [
      'under-maintenance',
      'Now',
      'Under maintenance: Logging in',
      { path: 'content/maintenance/2026-11-21-now.md', text: maintenanceText('Now', '2026-11-21T11:00:00Z', '2026-11-21T13:00:00Z', { body: 'Work.\n' }) },
    ],
  ] as const)('%s', async (state, headline, line, file) => {
    const built = file === 'no monitoring data' ? fixture(undefined, false) : fixture(file);
    const site = await serveStatic(built.outDir);
    try {
      const page = await open('/', { base: site.url });
      const first = page.locator('.banner').first();
      const heading = first.locator('h3');
      expect((await heading.innerText()).replace(/\s+/g, ' ').trim()).toBe(`${await heading.locator('.state-symbol').innerText()} ${headline}`);
      expect(await heading.locator('.state').getAttribute('class')).toBe(`state state-${state}`);
      expect(await page.locator('.banner').count()).toBe(1);
      if (line) expect((await first.locator('p').first().innerText()).replace(/\s+/g, ' ')).toBe(line);
      // Not colour alone: the words are there for screen readers too.
      expect(await page.locator('.banners').getByRole('heading', { name: headline, exact: true }).count()).toBe(1);
      // Fixed words for readers: which location has nothing, never a path on the build host.
      if (state === 'unknown') expect(await page.locator('.notices').innerText()).toMatch(/^No monitoring data from ams: [^/]+$/m);
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

describe('the five-second test (issue 12)', () => {
  test("at 375 px an open incident's title, what it affects, start and next update are in the first 640 px", async () => {
    const root = mkdtempSync(join(tmpdir(), 'outage-'));
    cpSync('content', join(root, 'content'), { recursive: true });
    cpSync('incidents', join(root, 'incidents'), { recursive: true });
    writeFileSync(
      join(root, 'incidents/2026/2026-11-21-logins-fail.md'),
      '---\ntitle: Logins fail for every client\nimpact: critical\naffected:\n  - id: c2s\n    status: major-outage\n  - id: c2s-directtls\n    status: major-outage\nupdates:\n  - at: 2026-11-21T10:05:00Z\n    status: identified\n    message: The login database is down. We are restoring it from the replica.\n    next: 2026-11-21T13:00:00Z\n---\n',
    );
    const built = buildSite({ contentRoot: root });
    if (built.code !== 0) throw new Error(built.output);
    const site = await serveStatic(built.outDir);
    try {
      // With the script on, in a zone that is not UTC: the longest the lines get.
      for (const js of [false, true]) {
        const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 375, height: 640 }, timezoneId: 'America/Los_Angeles' });
        const page = await context.newPage();
        await page.goto(`${site.url}/`);
        const bottom = async (selector: string, text: string | RegExp) => {
          const el = page.locator(selector, { hasText: text }).first();
          expect(await el.count(), `${selector} "${text}"`).toBe(1);
          const box = (await el.boundingBox())!;
          return box.y + box.height;
        };
        const seen = {
          // Issue 27: the incident's own title heads the box, the affected line says it in readers' words.
          title: await bottom('.banner h3', 'Logins fail for every client'),
          affected: await bottom('.banner-affected', 'Major outage: Logging in'),
          since: await bottom('.banner-facts', /Since 10:05\sUTC/),
          next: await bottom('.banner-facts', /Next update by 13:00\sUTC/),
        };
        for (const [what, y] of Object.entries(seen)) expect(y, `${what} (JavaScript ${js ? 'on' : 'off'})`).toBeLessThanOrEqual(640);
        await context.close();
      }
    } finally {
      await site.close();
    }
  });
});

describe('the 90-day history', () => {
  test('every day of the bar links to its own row of the day table, and both say the same verdict', async () => {
    const page = await open('/components/c2s/');
    const bars = await page.locator('svg.days a').evaluateAll((links) =>
      links.map((a) => ({
        href: a.getAttribute('href')!,
        title: a.querySelector('title')!.textContent!,
        cls: a.querySelector('rect')!.getAttribute('class')!,
      })),
    );
    expect(bars).toHaveLength(90);
    for (const bar of bars) {
      const date = bar.href.replace('#day-', '');
      expect(bar.title.startsWith(`${date}: `), bar.href).toBe(true);
      const row = page.locator(`tr${bar.href}`);
      expect(await row.getAttribute('class'), bar.href).toBe(bar.cls.replace('bar-', 'day-'));
      // The tooltip's verdict is the row's verdict.
      expect(bar.title, bar.href).toContain(`: ${await row.locator('td').first().innerText()},`);
    }
    await page.context().close();
  });

  test('selecting a day in the bar scrolls its row into view, with no JavaScript', async () => {
    const page = await open('/components/c2s/', { width: 375 });
    const bar = page.locator('svg.days a[href="#day-2026-11-10"]');
    await bar.locator('rect').click({ force: true });
    expect(new URL(page.url()).hash).toBe('#day-2026-11-10');
    const row = page.locator('#day-2026-11-10');
    expect(await row.innerText()).toMatch(/^2026-11-10\s+Major outage/);
    expect(await row.evaluate((el) => el.matches(':target'))).toBe(true);
    const box = (await row.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    await page.context().close();
  });
});

test("with JavaScript, each UTC time also shows the reader's local time and age; without it, the page says the same in UTC", async () => {
  const context = await browser.newContext({ javaScriptEnabled: true, timezoneId: 'Asia/Tokyo' });
  const page = await context.newPage();
  // Two hours after the sample build.
  await page.clock.setFixedTime(Number(SAMPLE_EPOCH) * 1000 + 2 * 3_600_000);
  await page.goto(`${server.url}/`);
  const facts = (await page.locator('.banner-facts').innerText()).replace(/\s+/g, ' ');
  expect(facts).toContain('Since 19 Nov 16:30 UTC (Nov 20, 01:30 GMT+9, 45 h 30 min ago)');
  expect(facts).toContain('Next update by 18:00 UTC (Nov 22, 03:00 GMT+9, in 4 h)');
  expect((await page.locator('.banner-asof').innerText()).replace(/\s+/g, ' ')).toBe('As of 12:00 UTC (21:00 GMT+9, 2 h ago)');
  // Dates alone are days, not instants: left as they are.
  expect(await page.locator('time[datetime="2026-11-21"] + .local').count()).toBe(0);
  await context.close();

  const plain = await open('/');
  expect((await plain.locator('.banner-facts').innerText()).replace(/\s+/g, ' ')).toBe('Monitoring Since 19 Nov 16:30 UTC Next update by 18:00 UTC');
  expect((await plain.locator('.banner-asof').innerText()).replace(/\s+/g, ' ')).toBe('As of 12:00 UTC');
  await plain.context().close();
});
