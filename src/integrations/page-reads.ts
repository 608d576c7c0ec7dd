/**
 * Writes what the build found about its pages (which read monitoring or
 * the clock; src/lib/site/page-reads.ts) to `STATUS_PAGE_READS`, when set:
 * `npm run publish` sets it so the live lane (issue 28) knows which pages
 * of the release to render again when only monitoring or the clock moved.
 */
import type { AstroIntegration } from 'astro';
import { currentRecord } from '../lib/site/page-reads.ts';
import { writePageReads } from '../lib/site/page-reads-io.ts';

export function pageReads(): AstroIntegration {
  return {
    name: 'jabber-status:page-reads',
    hooks: {
      'astro:build:done': () => {
        const path = process.env.STATUS_PAGE_READS;
        if (path) writePageReads(path, currentRecord());
      },
    },
  };
}
