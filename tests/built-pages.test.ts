/**
 * Page weight and head metadata, enforced over built output: the sample site,
 * and a generated history large enough that any list page that grows with it
 * (incidents, daily updates, maintenance) would break the 50 KB budget if it
 * were not split by year (issue 16); the test checks that it is that large.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { HtmlValidate } from 'html-validate';
import { writeCorpus } from '../bench/corpus.ts';
import { buildSite, listFiles, type BuildResult } from './helpers/build-site.ts';

const KB = 1024;
let sample: BuildResult;
let large: BuildResult;

beforeAll(() => {
  sample = buildSite();
  if (sample.code !== 0) throw new Error(sample.output);
  const corpus = join(sample.outDir, '..', `corpus-${process.pid}`);
  // 2,500 incidents over ten years, 4,800 daily updates and maintenance as
  // 19 % of all posts (1,712 windows): each list is long enough to pass 50 KB
  // gzipped on one page (about 28, 12 and 35 bytes an entry; checked below).
  writeCorpus(corpus, 2500, 4800, 7, new Date('2026-11-21T12:00:00Z'), { maintenanceShare: 0.19 });
  large = buildSite({ contentRoot: corpus });
  if (large.code !== 0) throw new Error(large.output);
});

/** A page's HTML plus every stylesheet and script it loads, gzipped separately as a browser fetches them. */
function weight(outDir: string, page: string): number {
  const html = readFileSync(join(outDir, page), 'utf8');
  const css = [...html.matchAll(/<(?:link rel="stylesheet" href|script src)="([^"]+)"/g)].map((m) => readFileSync(join(outDir, m[1]!)));
  return [Buffer.from(html), ...css].reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0);
}

const pages = (r: BuildResult) => listFiles(r.outDir).filter((f) => f.endsWith('.html'));

describe('page weight', () => {
  test('the home page with its CSS and script is under 8 KB gzipped', () => {
    expect(weight(sample.outDir, 'index.html')).toBeLessThan(8 * KB);
    expect(weight(large.outDir, 'index.html')).toBeLessThan(8 * KB);
  });

  test('every incident and daily update page with its CSS is under 10 KB gzipped', () => {
    for (const r of [sample, large]) {
      for (const page of pages(r).filter((p) => /^(incidents\/\d{4}-|updates\/\d{4}-)/.test(p))) expect(weight(r.outDir, page), page).toBeLessThan(10 * KB);
    }
  });

  test('no page of a generated 2,500-incident history with 4,800 daily updates and 1,712 maintenance windows exceeds 50 KB gzipped', () => {
    const heaviest = pages(large)
      .map((p) => [p, weight(large.outDir, p)] as const)
      .sort((a, b) => b[1] - a[1])[0]!;
    expect(heaviest[1], heaviest[0]).toBeLessThan(50 * KB);
  });

  test.each([
    ['incidents', 'incidents/year/', /<article class="incident/g],
    ['daily updates', 'updates/year/', /<li><a href="[^"]*\/updates\/\d/g],
    ['maintenance windows', 'maintenance/year/', /<article class="maintenance/g],
  ])('the generated history has enough %s that listing them on one page would exceed 50 KB gzipped', (_, root, entry) => {
    // Gzipped bytes per entry, from the archive pages, times every entry:
    // proves the budget test above could fail if a list were not split.
    let bytes = 0;
    let entries = 0;
    for (const page of pages(large).filter((p) => p.startsWith(root))) {
      const html = readFileSync(join(large.outDir, page), 'utf8');
      bytes += gzipSync(html, { level: 9 }).length - gzipSync(html.replace(/<main[\s\S]*<\/main>/, '<main></main>'), { level: 9 }).length;
      entries += html.match(entry)?.length ?? 0;
    }
    expect(entries).toBeGreaterThan(0);
    expect(bytes, `${entries} entries`).toBeGreaterThan(50 * KB);
  });

  test('maintenance.ics stays bounded with 1,712 windows in the history', () => {
    const ics = readFileSync(join(large.outDir, 'maintenance.ics'));
    expect(ics.length).toBeLessThan(200 * KB);
    expect(ics.toString().match(/^BEGIN:VEVENT\r$/gm)!.length).toBeLessThanOrEqual(250);
  });

  test('no page needs JavaScript or loads anything from another host', () => {
    for (const page of pages(sample)) {
      const html = readFileSync(join(sample.outDir, page), 'utf8');
      expect(html, page).not.toMatch(/<iframe|@import/i);
      // The one script adds local times to a complete page (issue 12): external, deferred, from this site.
      expect(
        [...html.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]),
        page,
      ).toEqual([expect.stringMatching(/^<script src="\/_astro\/local-time\.[A-Za-z0-9_-]{8}\.js" defer>$/)]);
      // Anything the browser fetches by itself: stylesheets, icons, images.
      const fetched = [...html.matchAll(/<(?:link|img|source)\b[^>]*\b(?:href|src)="([^"]+)"/g)]
        .map((m) => m[1]!)
        .filter((u) => !u.startsWith('/') || u.startsWith('//'));
      expect(
        fetched.filter((u) => !u.startsWith('https://status.jabber.org/')),
        page,
      ).toEqual([]);
    }
    for (const css of listFiles(join(sample.outDir, '_astro')).filter((f) => f.endsWith('.css')))
      expect(readFileSync(join(sample.outDir, '_astro', css), 'utf8')).not.toMatch(/url\(|@import|@font-face/);
  });

  test('the local-time script is at most 1 KB gzipped and fetches nothing', () => {
    const scripts = listFiles(join(sample.outDir, '_astro')).filter((f) => f.endsWith('.js'));
    expect(scripts).toEqual([expect.stringMatching(/^local-time\./)]);
    const js = readFileSync(join(sample.outDir, '_astro', scripts[0]!));
    expect(gzipSync(js, { level: 9 }).length).toBeLessThanOrEqual(1024);
    expect(js.toString()).not.toMatch(/fetch|XMLHttpRequest|import\(|innerHTML|document\.write|https?:/);
  });

  test('assets are fingerprinted for long caching', () => {
    const assets = listFiles(join(sample.outDir, '_astro'));
    expect(assets.length).toBeGreaterThan(0);
    for (const a of assets) expect(a).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{8}\.(css|js|svg|png|woff2)$/);
  });
});

describe('head metadata', () => {
  test('every page has a unique title, a description, a canonical URL and Open Graph tags', () => {
    const titles = new Map<string, string>();
    for (const page of pages(large).concat(pages(sample).map((p) => `sample:${p}`))) {
      const [outDir, file] = page.startsWith('sample:') ? [sample.outDir, page.slice(7)] : [large.outDir, page];
      const html = readFileSync(join(outDir, file), 'utf8');
      const title = /<title>([^<]+)<\/title>/.exec(html)?.[1];
      expect(title, page).toBeTruthy();
      const key = `${outDir}:${title}`;
      expect(titles.get(key), `${page} has the same title as ${titles.get(key)}`).toBeUndefined();
      titles.set(key, page);
      expect(html, page).toMatch(/<meta name="description" content="[^"]+">/);
      expect(html, page).toMatch(/<link rel="canonical" href="https:\/\/status\.jabber\.org\/[^"]*">/);
      for (const og of ['og:title', 'og:description', 'og:url', 'og:type', 'og:site_name'])
        expect(html, `${page} ${og}`).toContain(`<meta property="${og}" content="`);
    }
  });
});

describe('valid HTML', () => {
  test('html-validate finds no error on any page of the sample site', async () => {
    const validator = new HtmlValidate({
      extends: ['html-validate:recommended'],
      // Titles carry admin-written incident headlines, which must appear whole;
      // the 70-character limit is a search-engine preference, not valid HTML.
      rules: { 'long-title': 'off' },
    });
    const problems: string[] = [];
    for (const page of pages(sample)) {
      const report = await validator.validateString(readFileSync(join(sample.outDir, page), 'utf8'), page);
      for (const result of report.results) for (const m of result.messages) problems.push(`${page}:${m.line}: ${m.ruleId}: ${m.message}`);
    }
    expect(problems).toEqual([]);
  });
});
