// @ts-check
import { readFileSync } from 'node:fs';
import { defineConfig } from 'astro/config';
import { parse } from 'yaml';

/**
 * `site` and `base` come from content/site.yaml so admins edit one file.
 * This only peeks at two fields; the full validation (with file, line and
 * fix for every problem) runs when the pages load the content.
 */
function siteAddress() {
  try {
    const raw = parse(readFileSync(new URL('./content/site.yaml', import.meta.url), 'utf8'));
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
  },
  // No dev toolbar or prefetch script: pages must work without JavaScript.
  devToolbar: { enabled: false },
});
