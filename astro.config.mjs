// @ts-check
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import { parse } from 'yaml';
import { contentReload } from './src/integrations/content-reload.ts';
import { pageReads } from './src/integrations/page-reads.ts';

/**
 * `site` and `base` come from content/site.yaml so admins edit one file.
 * This only peeks at two fields; the full validation (with file, line and
 * fix for every problem) runs when the pages load the content.
 */
function siteAddress() {
  try {
    // STATUS_CONTENT_ROOT lets tests and benchmarks build fixture content (see src/data.ts).
    const root = process.env.STATUS_CONTENT_ROOT || fileURLToPath(new URL('.', import.meta.url));
    const file = join(root, 'content', 'site.yaml');
    // Only a regular file of sane size: a link to /dev/zero or /proc must not
    // hang or leak here before the content check names it as a problem.
    const stat = lstatSync(file);
    if (!stat.isFile() || stat.size > 1024 * 1024) return { site: undefined, base: '/' };
    const raw = parse(readFileSync(file, 'utf8'));
    return { site: typeof raw?.url === 'string' ? raw.url : undefined, base: typeof raw?.base === 'string' ? raw.base : '/' };
  } catch {
    return { site: undefined, base: '/' };
  }
}

export default defineConfig({
  ...siteAddress(),
  // Every page is a folder with index.html, so URLs end in "/" everywhere.
  trailingSlash: 'always',
  build: {
    format: 'directory',
    // One fingerprinted stylesheet that browsers cache for a year, instead of
    // the same CSS inlined into every page.
    inlineStylesheets: 'never',
    // Render the next pages while earlier ones are written: one page at a
    // time left the main thread idle a third of the time, waiting on disk
    // (issue 16; measured in BENCHMARKS.md). Pages share no mutable state,
    // so the output is the same byte for byte.
    concurrency: 4,
  },
  // No dev toolbar or prefetch script: pages must work without JavaScript.
  devToolbar: { enabled: false },
  vite: {
    // Pages ship no client-side packages, so there is nothing for Vite's
    // dependency optimizer to bundle; it only made every dev start wait.
    optimizeDeps: { noDiscovery: true, include: [] },
    server: {
      // Build output and caches are not sources: watching other builds'
      // work folders (.build-<pid>, thousands of pages each) exhausted the
      // inotify limit (ENOSPC) and stalled the dev server.
      watch: { ignored: ['**/.build-*/**', '**/dist/**', '**/dist.*/**', '**/.cache/**', '**/bench/out/**', '**/probe-data/**', '**/notify-state/**'] },
    },
  },
  // `npm run dev` reloads on content edits and reports invalid content.
  // The build notes which pages read monitoring or the clock (issue 28: the live lane).
  integrations: [contentReload(process.env.STATUS_CONTENT_ROOT || fileURLToPath(new URL('.', import.meta.url))), pageReads()],
});
