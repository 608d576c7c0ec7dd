/**
 * What a build found about its pages (issue 28, src/lib/site/page-reads.ts):
 * which pages read monitoring or the clock. `npm run publish` keeps one per
 * release in `<target>/pages/<release>.json`, and a live build renders only
 * the pages it names live. Read back with this schema: a record that does
 * not parse is never the base of a live build (the next build is full).
 */
import { z } from 'astro/zod';

/** The record format's version: a record of another version is never a live build's base. */
export const PAGE_READS_VERSION = 1;

const PageRecordSchema = z.strictObject({
  /** Astro's route pattern, e.g. `/incidents/[slug]`. */
  route: z.string().min(1).max(2000),
  /** The page's params as canonical JSON, e.g. `{"slug":"2026-11-20-logins"}`; `{}` for a static route. */
  params: z.string().max(4000),
  /** The live values it read, e.g. `['now', 'status']`; empty: made from content and code alone. */
  reads: z.array(z.string().max(100)).max(100),
  /** The file it was written to, relative to the release, e.g. `incidents/x/index.html`; set by `npm run publish` after the build. */
  file: z.string().max(4000).optional(),
});
export type PageRecord = z.output<typeof PageRecordSchema>;

export const PageReadsSchema = z.strictObject({
  /** e.g. `1` (PAGE_READS_VERSION). */
  version: z.literal(PAGE_READS_VERSION),
  /** Every page rendered, by URL path, e.g. `{ "/incidents/2026-11-20-logins/": { route, params, reads } }`. */
  pages: z.record(z.string().max(4000), PageRecordSchema),
  /** Routes whose `getStaticPaths` read a live value, with what it read, e.g. `{ "/badges/[...badge].svg": ["status"] }`: all their pages are re-rendered. */
  liveRoutes: z.record(z.string().max(2000), z.array(z.string().max(100)).max(100)),
  /** Live values read outside any page or `getStaticPaths`, e.g. `['status (read outside any page)']`: such a release is never a live base. */
  unscoped: z.array(z.string().max(200)).max(100),
  /** The site's base path, e.g. `/` or `/status/`, which page paths start with and output files do not. */
  base: z.string().max(2000),
  /** The content view's `validUntil`, e.g. `2026-11-22T00:00:00.000Z`, or null: content pages are current only before it. */
  validUntil: z.string().max(40).nullable(),
});
export type PageReads = z.output<typeof PageReadsSchema>;

/** Live pages of a release, as a live build needs them (written by publish, read by the build). */
export const LivePlanSchema = z.strictObject({
  /** Routes whose every page is rendered (their path list reads live values), e.g. `['/badges/[...badge].svg']`. */
  wholeRoutes: z.array(z.string().max(2000)),
  /** Route pattern → params (canonical JSON) of the pages that read a live value, e.g. `{ "/incidents/[slug]": ['{"slug":"2026-11-20-logins"}'] }`. */
  pages: z.record(z.string().max(2000), z.array(z.string().max(4000))),
});
export type LivePlan = z.output<typeof LivePlanSchema>;
