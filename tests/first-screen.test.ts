/**
 * Issue 27's "done means": the first 667 px of the home page at 375 px
 * answer the reader's five questions (working for me? what? since when?
 * until or next update when? what can I do?) in each of five situations,
 * in light and dark, at the default text size and at 200% text (a 32 px
 * default font, as a reader sets it in the browser, not page zoom), with
 * the script on and off, on a phone and on a 1280 px screen. Debian's
 * Chromium, driven by playwright-core, against real builds on loopback.
 *
 * FIRST_SCREEN_SHOTS=<folder> also saves a screenshot of each first screen.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildReaderState, READER_BUILD_TIMES as BUILT_AT, READER_STATES, type ReaderState } from './helpers/reader-states.ts';
import { serveStatic } from './helpers/static-server.ts';
import { requireTools, TOOLS } from './helpers/system-tools.ts';

const FOLD = 667;
const SHOTS = process.env.FIRST_SCREEN_SHOTS;

/** The elements that must sit wholly above the fold, by question, with the words each must say (no-break spaces as plain spaces). */
const MUST_SEE: Record<ReaderState, { question: string; selector: string; text: string; largeText?: 'starts' | 'below' }[]> = {
  outage: [
    { question: 'working for me?', selector: '.banner-major-outage h3', text: 'Logins fail for every client' },
    { question: 'what?', selector: '.banner-major-outage .banner-affected', text: 'Major outage: Logging in' },
    { question: 'since when?', selector: '.banner-major-outage .banner-facts', text: 'Since 10:05 UTC' },
    { question: 'next update when?', selector: '.banner-major-outage .banner-facts', text: 'Next update by 13:00 UTC' },
    {
      question: 'what can I do?',
      selector: '.banner-major-outage .banner-advice',
      text: 'What you can do: Your password is fine; please do not create a new account.',
    },
  ],
  maintenance: [
    { question: 'working for me?', selector: '.banner-under-maintenance h3', text: 'M-Link upgrade' },
    {
      question: 'what?',
      selector: '.banner-under-maintenance .banner-affected',
      text: 'Under maintenance: Logging in, Chatting with people on other servers and Group chats',
    },
    { question: 'since when?', selector: '.banner-under-maintenance .banner-facts', text: 'Since 11:40 UTC' },
    { question: 'until when?', selector: '.banner-under-maintenance .banner-facts', text: 'Until 12:30 UTC' },
    { question: 'what can I do?', selector: '.banner-under-maintenance .banner-advice', text: 'Your app reconnects by itself' },
  ],
  both: [
    { question: 'working for me? (incident)', selector: '.banner-major-outage h3', text: 'Logins fail for every client' },
    { question: 'what? (incident)', selector: '.banner-major-outage .banner-affected', text: 'Major outage: Logging in' },
    { question: 'since when? (incident)', selector: '.banner-major-outage .banner-facts', text: 'Since 10:05 UTC' },
    { question: 'next update when? (incident)', selector: '.banner-major-outage .banner-facts', text: 'Next update by 13:00 UTC' },
    { question: 'what can I do? (incident)', selector: '.banner-major-outage .banner-advice', text: 'Your password is fine' },
    // At 200% text the incident's five answers fill the first screen: the
    // window's box begins on it (its title starts above the fold), its
    // facts follow on the next (on a phone its title ends about 20 px below).
    { question: 'working for me? (maintenance)', selector: '.banner-under-maintenance h3', text: 'M-Link upgrade', largeText: 'starts' },
    { question: 'until when? (maintenance)', selector: '.banner-under-maintenance .banner-facts', text: 'Until 12:30 UTC', largeText: 'below' },
  ],
  'all clear': [
    { question: 'working for me?', selector: '.banner-operational h3', text: 'All systems operational' },
    { question: 'as of when?', selector: '.banner-asof', text: 'As of 12:00 UTC' },
  ],
  stale: [
    { question: 'working for me?', selector: '.banner-unknown h3', text: 'Status partly unknown' },
    {
      question: 'what and since when?',
      selector: '.banner-unknown p',
      // The sample's newest result is from 11:59; the build is at 15:00.
      text: 'No known problems. Our monitoring has not reported since 11:59 UTC (3 h 1 min ago), so we cannot confirm it live.',
    },
  ],
};

let browser: Browser;
const sites = new Map<ReaderState, Awaited<ReturnType<typeof serveStatic>>>();

beforeAll(async () => {
  requireTools([TOOLS.chromium]);
  // Two builds at a time: the machine has two cores.
  for (let i = 0; i < READER_STATES.length; i += 2) {
    const built = await Promise.all(READER_STATES.slice(i, i + 2).map(async (s) => [s, await buildReaderState(s)] as const));
    for (const [s, b] of built) sites.set(s, await serveStatic(b.outDir));
  }
  browser = await chromium.launch({
    executablePath: TOOLS.chromium.path,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  for (const s of sites.values()) await s.close();
});

/** Opens the home page with the reader's settings; `textPx` is the browser's default font size. */
async function open(state: ReaderState, o: { width: number; scheme: 'light' | 'dark'; textPx: 16 | 32; js: boolean }): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: o.js, viewport: { width: o.width, height: FOLD }, colorScheme: o.scheme, timezoneId: 'UTC' });
  const page = await context.newPage();
  // The reader's "font size" setting (chrome://settings/fonts), which rem units follow; not page zoom.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.enable');
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: o.textPx, fixed: Math.round(o.textPx * 0.8125) } });
  // The reader's clock at the build, so relative times read as they would.
  await page.clock.setFixedTime(BUILT_AT[state]);
  await page.goto(`${sites.get(state)!.url}/`);
  return page;
}

const CASES = READER_STATES.flatMap((state) =>
  ([375, 1280] as const).flatMap((width) =>
    (['light', 'dark'] as const).flatMap((scheme) => ([16, 32] as const).map((textPx) => ({ state, width, scheme, textPx }))),
  ),
);

describe('the first screen answers the five questions', () => {
  test.each(CASES)('$state at $width px, $scheme, $textPx px text, script on and off', async ({ state, width, scheme, textPx }) => {
    for (const js of [true, false]) {
      const page = await open(state, { width, scheme, textPx, js });
      if (SHOTS && js) {
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, `${state.replace(' ', '-')}-${width}-${scheme}-${textPx}px.png`) });
      }
      const where = `${state}, ${width} px, ${scheme}, ${textPx} px text, script ${js ? 'on' : 'off'}`;
      // The root font size really is what the reader chose.
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize), where).toBe(`${textPx}px`);
      for (const { question, selector, text, largeText } of MUST_SEE[state]) {
        const exception = textPx === 32 ? largeText : undefined;
        // The element of that kind that says it (no-break spaces read as spaces).
        const said = await Promise.all((await page.locator(selector).all()).map(async (el) => ({ el, words: (await el.innerText()).replace(/\s+/g, ' ') })));
        const el = said.find((s) => s.words.includes(text))?.el;
        expect(el, `${question}: no ${selector} says "${text}"; there are ${JSON.stringify(said.map((s) => s.words))} (${where})`).toBeDefined();
        const box = (await el!.boundingBox())!;
        if (exception === 'starts') expect(box.y, `${question}: ${selector} starts below the first ${FOLD} px (${where})`).toBeLessThan(FOLD);
        else if (exception !== 'below')
          expect(box.y + box.height, `${question}: ${selector} ends below the first ${FOLD} px (${where})`).toBeLessThanOrEqual(FOLD);
        expect(box.x + box.width, `${question}: ${selector} is wider than the screen (${where})`).toBeLessThanOrEqual(width);
      }
      await page.context().close();
    }
  });
});
