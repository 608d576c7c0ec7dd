/**
 * Reading a live build's plan and writing what a build found about its
 * pages (src/lib/site/page-reads.ts, issue 28). Both files are written by
 * `npm run publish` and the build on the build host only.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../shared/atomic-write-io.ts';
import { LivePlanSchema, type LivePlan, type PageReads } from '../schemas.ts';

/** The plan `npm run publish` wrote for a live build; a plan that cannot be read stops the build (publish then builds in full). */
export function readLivePlan(path: string): LivePlan {
  const parsed = LivePlanSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a live plan (${parsed.error.issues[0]?.message}): publish builds in full instead`);
  return parsed.data;
}

/** Writes the build's page record, e.g. to `<target>/pages/<release>.json`. */
export function writePageReads(path: string, record: PageReads): void {
  writeFileAtomic(path, `${JSON.stringify(record)}\n`);
}
