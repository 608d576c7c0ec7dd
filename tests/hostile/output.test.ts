/**
 * What hostile content can do to the published outputs: control characters
 * (from YAML escapes and raw bytes) must reach no page, feed, JSON document,
 * badge or calendar, and a 13-column table or a long code line must not
 * widen a phone page. Built for real, read in Chromium at 320 px.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildSite, listFiles, type BuildResult } from '../helpers/build-site.ts';
import { maintenanceText, SITE_YAML } from '../helpers/content-files.ts';
import { serveStatic } from '../helpers/static-server.ts';
import { requireTools, TOOLS } from '../helpers/system-tools.ts';

const WIDE_TABLE = `| ${Array.from({ length: 13 }, (_, i) => `Column ${i + 1}`).join(' | ')} |\n|${' --- |'.repeat(13)}\n| ${Array.from({ length: 13 }, (_, i) => `value-${i + 1}-unbreakable`).join(' | ')} |`;

const FILES: Record<string, string> = {
  'content/site.yaml': SITE_YAML,
  // YAML double-quoted escapes put NUL, ESC, DEL and a lone CR into fields.
  'incidents/2026/2026-11-20-controls.md': `---
title: "Logins fail\\0 \\e[31mred\\x7f and\\rcarriage"
impact: major
affected:
  - id: c2s
    status: major-outage
updates:
  - at: 2026-11-20T10:00:00Z
    status: investigating
    message: "Looking\\x1b]0;pwned\\x07 into it\\x7f"
---
Body with a raw \u0001 control and a wide table:

${WIDE_TABLE}

\`\`\`
${'x'.repeat(400)}
\`\`\`
`,
  'content/maintenance/2026-11-21-controls.md': maintenanceText('"Window\\x7f\\rwith\\0 controls"', '2026-11-21T10:00:00Z', '2026-11-21T11:00:00Z', {
    components: '[s2s]',
    body: 'Work \u007f done\r\nlater.\n',
  }),
  'content/updates/2026-11-21.md': '---\nauthor: "Ops\\e"\nsummary: "Day\\0"\n---\nText\u0008.\n',
};

let built: BuildResult;
let browser: Browser;
let server: Awaited<ReturnType<typeof serveStatic>>;
beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'hostile-output-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  built = buildSite({ contentRoot: root });
  if (built.code !== 0) throw new Error(built.output);
  requireTools([TOOLS.chromium]);
  server = await serveStatic(built.outDir);
  browser = await chromium.launch({ executablePath: TOOLS.chromium.path, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('no control character reaches any output file', () => {
  const offenders: string[] = [];
  const files = listFiles(built.outDir).filter((f) => /\.(html|xml|atom|json|svg|ics|css)$/.test(f));
  expect(files.length).toBeGreaterThan(30);
  for (const f of files) {
    const text = readFileSync(join(built.outDir, f), 'utf8');
    // iCalendar lines end in CRLF by definition; any other CR is a lone one.
    const body = f.endsWith('.ics') ? text.replace(/\r\n/g, '\n') : text;
    const m = /[\u0000-\u0008\u000B-\u001F\u007F]/.exec(body);
    if (m) offenders.push(`${f}: U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  expect(offenders).toEqual([]);
});

test('the text around the stripped characters is kept', () => {
  const html = readFileSync(join(built.outDir, 'incidents/2026-11-20-controls/index.html'), 'utf8');
  expect(html).toContain('Logins fail [31mred and\ncarriage');
  const ics = readFileSync(join(built.outDir, 'maintenance.ics'), 'utf8');
  expect(ics).toContain('Window\\nwith controls');
});

test.each(['incidents/2026-11-20-controls/', ''])('a 13-column table and a 400-character code line do not widen /%s at 320 px', async (path) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/${path}`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  if (path) {
    // The table itself is wider than the screen: it scrolls inside its box.
    const box = page.locator('.table-scroll');
    expect(await box.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await box.getAttribute('tabindex')).toBe('0');
  }
  await context.close();
});
