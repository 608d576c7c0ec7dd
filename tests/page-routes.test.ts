/**
 * The live lane (issue 28) re-renders a dynamic route's pages by matching
 * the route pattern `staticPaths` is given with the one Astro reports for
 * each page: a page file whose pattern is misspelt would never be
 * rendered again. Every page file with `getStaticPaths` goes through
 * `staticPaths`, with its own pattern.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';

const pages = join('src', 'pages');
const files = (readdirSync(pages, { recursive: true }) as string[]).filter((f) => /\.(astro|ts)$/.test(f)).map((f) => join(pages, f));
const dynamic = files.filter((f) => readFileSync(f, 'utf8').includes('getStaticPaths'));

/** Astro's pattern for a page file: `src/pages/incidents/[slug].astro` → `/incidents/[slug]`. */
const pattern = (file: string) => `/${relative(pages, file).replace(/\.(astro|ts)$/, '')}`.replace(/\/index$/, '') || '/';

test('there are dynamic routes to check', () => {
  expect(dynamic.length).toBeGreaterThan(15);
});

test.each(dynamic)('%s lists its paths through staticPaths with its own route pattern', (file) => {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(`export const getStaticPaths = staticPaths('${pattern(file)}', `);
  expect(text.match(/export (const|function) getStaticPaths/g)).toHaveLength(1);
});
