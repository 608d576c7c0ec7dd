/**
 * Turns the raw files of the site (config, incidents, maintenance windows,
 * daily updates, the directory's services) into the validated model every
 * page, feed and API uses. Each kind of file has its own module
 * (incidents.ts, maintenance.ts, daily-updates.ts, services.ts) over the
 * steps they share (entry-loader.ts); this one checks the site config and
 * puts them together.
 *
 * Pure: it takes file texts, never touches the disk, and returns either the
 * content or every problem found, so the build and `npm run check` can list
 * all of them at once.
 */
import { parseYaml, type ParseCache } from './frontmatter.ts';
import type { Problem } from './problems.ts';
import type { Result } from '../shared/result.ts';
import { guarded, tooLarge, validate, type SourceFile } from './entry-loader.ts';
import { buildIncidents, incidentSlugs, type Incident } from './incidents.ts';
import { buildMaintenance, type Maintenance } from './maintenance.ts';
import { buildDailyUpdates, type DailyUpdate } from './daily-updates.ts';
import { buildDirectory, type Directory } from './services.ts';
import { SiteConfigSchema, type SiteConfig } from '../schemas.ts';

export { MAX_FILE_BYTES, type SourceFile } from './entry-loader.ts';
export type { Incident, IncidentUpdate } from './incidents.ts';
export type { Maintenance, MaintenanceUpdate } from './maintenance.ts';
export type { DailyUpdate } from './daily-updates.ts';
export type { Directory, Service } from './services.ts';

export interface SourceFiles {
  site: SourceFile | undefined;
  incidents: SourceFile[];
  maintenance: SourceFile[];
  updates: SourceFile[];
  /** What the reader refused (links, devices, stray names, invalid UTF-8), reported with the rest. */
  problems?: Problem[];
  /** `content/services/<domain>.md`; absent when the site has no directory (no `content/services/` folder). */
  services?: SourceFile[];
  /** `content/services/directory.yaml`, the directory's settings; absent means the defaults. */
  directory?: SourceFile;
}

export interface SiteContent {
  site: SiteConfig;
  /** The IM-service directory (issue 17); absent when there is no `content/services/` folder. */
  directory?: Directory;
  /** Newest first (by start). */
  incidents: Incident[];
  /** Soonest first (by start). */
  maintenance: Maintenance[];
  /** Newest first. */
  updates: DailyUpdate[];
}

/** The content, or every problem found (the result convention, shared/result.ts). */
export type ContentResult = Result<{ content: SiteContent }, Problem>;

/**
 * Validates content/site.yaml on its own: for `buildContent`, and for
 * commands (the probe) that need the config but not the content.
 * @param file the config as read, `undefined` when it does not exist
 * @param problems where every problem found is added
 */
export function parseSiteConfig(file: SourceFile | undefined, problems: Problem[]): SiteConfig | undefined {
  if (!file) {
    problems.push({ file: 'content/site.yaml', message: 'is missing. Restore the one this repository ships (git checkout -- content/site.yaml), which explains every field, and edit it' });
    return undefined;
  }
  const big = tooLarge(file);
  if (big) {
    problems.push(big);
    return undefined;
  }
  const parsed = guarded(file.path, () => parseYaml(file.path, file.text));
  if ('problems' in parsed) {
    problems.push(...parsed.problems); // bounded: the problems of one file
    return undefined;
  }
  return validate(SiteConfigSchema, file.path, parsed.data, parsed.locate, problems);
}

/**
 * Validates and assembles all content.
 * @param files everything read from disk by `readSourceFiles`
 */
export function buildContent(files: SourceFiles, options: { parseCache?: ParseCache } = {}): ContentResult {
  const problems: Problem[] = [...(files.problems ?? [])];

  // --- Site config first: everything else refers to its component ids. A
  // config the reader refused is reported once, not again as "missing".
  const siteRefused = problems.some((p) => p.file === 'content/site.yaml');
  const site = siteRefused ? undefined : parseSiteConfig(files.site, problems);
  // Without a valid config the other files are still checked, minus ids.
  const componentIds = site?.components.map((c) => c.id);

  // Kind by kind, so the problems come in the order admins have always seen them.
  const incidents = buildIncidents(files.incidents, componentIds, problems, options.parseCache);
  const maintenance = buildMaintenance(files.maintenance, componentIds, problems, options.parseCache);
  const updates = buildDailyUpdates(files.updates, incidentSlugs(files.incidents), problems, options.parseCache);
  const directory = files.services === undefined && files.directory === undefined ? undefined : buildDirectory(files, problems);

  if (problems.length > 0 || !site) return { ok: false, problems };

  incidents.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || a.slug.localeCompare(b.slug));
  maintenance.sort((a, b) => a.start.getTime() - b.start.getTime() || a.slug.localeCompare(b.slug));
  updates.sort((a, b) => b.date.localeCompare(a.date));
  return { ok: true, content: { site, incidents, maintenance, updates, ...(directory ? { directory } : {}) } };
}
