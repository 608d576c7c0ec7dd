/**
 * `npm run screenshots [-- --dir BUILT_SITE] [--out DIR] [--content ROOT] [--only PAGE,…]`:
 * the designer's review tool (issue 12). Builds the site at the sample's
 * "now" (or takes a built one), serves it on loopback and has Chromium take
 * a full-page PNG of every page type at 1280, 375 and 320 px, light and
 * dark, with JavaScript on (local times shown, for a reader in Amsterdam
 * two hours after the build). Writes `<page>-<width>-<scheme>.png` and the
 * first screen alone (`…-first-screen.png`) into `.cache/screenshots/` (not
 * committed) and prints where the first open
 * incident sits on a 375 px phone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const SAMPLE_EPOCH = '1795262400';
const { values } = parseArgs({
  options: { dir: { type: 'string' }, out: { type: 'string', default: '.cache/screenshots' }, content: { type: 'string' }, only: { type: 'string' } },
});

/** One page of every type, as the browser tests list them. */
const PAGES: Record<string, string> = {
  home: '/',
  incident: '/incidents/2026-11-09-login-failures-after-migration/',
  'incident-open': '/incidents/2026-11-19-federation-with-some-servers/',
  incidents: '/incidents/',
  'incident-year': '/incidents/year/2026/',
  'daily-update': '/updates/2026-11-20/',
  updates: '/updates/',
  component: '/components/c2s/',
  'component-year': '/components/s2s/year/2026/',
  maintenance: '/maintenance/',
  'maintenance-window': '/maintenance/2026-11-25-m-link-upgrade/',
  subscribe: '/subscribe/',
  certificates: '/certificates/',
  services: '/services/',
  service: '/services/talk.sample.jabber.org/',
  'services-policy': '/services/policy/',
  'not-found': '/no-such-page/',
};

let dir = values.dir;
if (!dir) {
  dir = mkdtempSync(join(tmpdir(), 'screenshots-site-'));
  const env = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? SAMPLE_EPOCH,
    ...(values.content ? { STATUS_CONTENT_ROOT: resolve(values.content) } : {}),
  };
  const run = spawnSync('npm', ['run', '--silent', 'build', '--', '--outDir', dir], { env, encoding: 'utf8' });
  if (run.status !== 0) {
    console.error(`${run.stdout}${run.stderr}`);
    process.exit(1);
  }
}
const root = resolve(dir);
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml' };
const server = createServer((req, res) => {
  let file = join(root, normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, ''));
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) return void res.writeHead(404, { 'content-type': TYPES['.html']! }).end(readFileSync(join(root, '404.html')));
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

const out = resolve(values.out!);
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const now = Number(process.env.SOURCE_DATE_EPOCH ?? SAMPLE_EPOCH) * 1000;
let shots = 0;
try {
  for (const width of [1280, 375, 320]) {
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        viewport: { width, height: width > 800 ? 900 : 740 },
        colorScheme: scheme,
        timezoneId: 'Europe/Amsterdam',
        locale: 'en-GB',
      });
      // --only NAME[,NAME]: just those pages, e.g. `--only certificates` (issue 30).
      const only = values.only ? new Set(values.only.split(',')) : undefined;
      for (const [name, path] of Object.entries(PAGES).filter(([n]) => !only || only.has(n))) {
        const page = await context.newPage();
        await page.clock.setFixedTime(now + 2 * 3_600_000);
        await page.goto(base + path, { waitUntil: 'load' });
        await page.screenshot({ path: join(out, `${name}-${width}-${scheme}.png`), fullPage: true });
        // The first screen alone: what a reader sees before scrolling.
        await page.screenshot({ path: join(out, `${name}-${width}-${scheme}-first-screen.png`) });
        if (name === 'home' && width === 375 && scheme === 'light') {
          const y = await page.evaluate(() => {
            const top = (s: string) => {
              const el = document.querySelector(s);
              return el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : null;
            };
            return { banner: top('#overall-heading'), incident: top('.incident-title'), nextUpdate: top('.incident .next-update') };
          });
          console.log(`home at 375 px: ${JSON.stringify(y)}`);
        }
        await page.close();
        shots++;
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`${shots} screenshots in ${out}`);
