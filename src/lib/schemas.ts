/**
 * Every shape of data this site reads, in one module.
 *
 * The build, `npm run check`, the probe scripts and the tests all import these
 * schemas, so a rule written here holds everywhere. Types come from
 * `z.output<…>` so that code and validation can never drift apart.
 *
 * Rules that need more than one file (component ids in incidents must exist in
 * the site config) are schema factories here (`createIncidentSchema(ids)`);
 * the rest of the cross-file rules (unique slugs, file-name dates) live in
 * `content/content.ts`, which applies them while assembling the model.
 *
 * This module sits below every domain folder: it imports only `astro/zod`
 * and the pure helpers in `shared/`.
 *
 * Each concept has its own module in `schemas/` (issue 24); this index
 * re-exports them, so `import … from '../schemas.ts'` keeps working.
 */
export * from './schemas/vocabularies.ts';
export * from './schemas/building-blocks.ts';
export * from './schemas/site-config.ts';
export * from './schemas/notify-config.ts';
export * from './schemas/content-files.ts';
export * from './schemas/probe-record.ts';
export * from './schemas/probe-summary.ts';
export * from './schemas/monitoring-history.ts';
export * from './schemas/directory.ts';
export * from './schemas/certificates.ts';
export * from './schemas/probe-problem.ts';
export * from './schemas/page-reads.ts';
