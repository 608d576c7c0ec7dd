/**
 * Turns the raw files of the site (config, incidents, maintenance windows,
 * daily updates) into the validated model every page, feed and API uses.
 *
 * Pure: it takes file texts, never touches the disk, and returns either the
 * content or every problem found, so the build and `npm run check` can list
 * all of them at once.
 */
import type { z } from 'astro/zod';
import { parseMarkdownFileCached, parseYaml, type ParseCache } from './frontmatter.ts';
import { renderMarkdown } from './markdown.ts';
import { formatFieldPath, problemsFromZod, type Problem } from './problems.ts';
import { isCalendarDate } from '../shared/time.ts';
import { quoteShort } from '../shared/text.ts';
import { incidentStates, maintenanceSchedules, promiseDue, type StateChange } from './timelines.ts';
import {
  createDailyUpdateSchema,
  createIncidentSchema,
  createMaintenanceSchema,
  countryName,
  DirectoryConfigSchema,
  ServiceFrontmatterSchema,
  SiteConfigSchema,
  type DirectoryConfig,
  type ServiceFrontmatter,
  type ComponentImpact,
  type DeclaredState,
  type MaintenanceStatus,
  type Impact,
  type IncidentStatus,
  type SiteConfig,
} from '../schemas.ts';

/** Files larger than this are refused before parsing: no status post is that long. */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface SourceFile {
  /** Path relative to the project root with forward slashes, e.g. `incidents/2026/2026-11-03-login-failures.md`. */
  path: string;
  /** File contents as UTF-8 text. */
  text: string;
  /** Size in bytes on disk. */
  bytes: number;
}

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

export interface IncidentUpdate {
  /** Stable id for feeds: the slug plus the update's instant, so editing the text keeps the id. */
  id: string;
  at: Date;
  status: IncidentStatus;
  /** The message as written, in Markdown (the JSON API's `body`). */
  markdown: string;
  /** The message rendered to HTML. */
  html: string;
  /** Every touched component's state after this update, e.g. `{ c2s: 'operational', s2s: 'degraded' }`. */
  states: Record<string, DeclaredState>;
  /** What this update changed, with the true old and new states; empty when nothing moved. */
  changes: StateChange[];
  /** When this update promised the next one, or null. */
  next: Date | null;
}

export interface Incident {
  /** File name without `.md`, e.g. `2026-11-03-login-failures`; also the URL. */
  slug: string;
  file: string;
  title: string;
  /** What readers can do meanwhile (the file's `advice`), plain text, e.g. `Your password is fine; do not create a new account.` */
  advice?: string;
  impact: Impact;
  /** The components and states declared from the first update (the file's `affected`). */
  affected: { id: string; status: ComponentImpact }[];
  /** Every component the incident ever touched, in order of first mention. */
  componentIds: string[];
  /** Oldest first. */
  updates: IncidentUpdate[];
  /** The Markdown body (summary or postmortem) as HTML; empty when there is none. */
  bodyHtml: string;
  /** Time of the first update. */
  startedAt: Date;
  /** Time of the `resolved` update, or null while it is ongoing. */
  resolvedAt: Date | null;
}

export interface MaintenanceUpdate {
  /** Stable id for feeds: the slug plus the update's instant. */
  id: string;
  at: Date;
  status: MaintenanceStatus;
  /** The window as of this update. */
  start: Date;
  end: Date;
  /** True when this update moved the window. */
  rescheduled: boolean;
  markdown: string;
  html: string;
}

export interface Maintenance {
  /** File name without `.md`, e.g. `2026-11-25-mlink-upgrade`. */
  slug: string;
  file: string;
  title: string;
  /** What readers can do during the window (the file's `advice`), e.g. `Your app reconnects by itself; messages wait on the server.` */
  advice?: string;
  /** The window as of the latest update. */
  start: Date;
  end: Date;
  components: string[];
  /** Oldest first: announcement, reschedules, start, verification, completion or cancellation. */
  updates: MaintenanceUpdate[];
  /** `cancelled` when the latest update cancels it, else `scheduled`. */
  status: 'scheduled' | 'cancelled';
  /** When it was announced (the first update); feeds and calendars date it by this. */
  announced: Date;
  /** The description (the file's body) as written, in Markdown. */
  markdown: string;
  html: string;
}

export interface DailyUpdate {
  /** The date in the file name, e.g. `2026-11-20`; also the URL. */
  date: string;
  file: string;
  author: string;
  summary: string;
  /** Slugs of incidents this update talks about. */
  incidents: string[];
  /** The text as written, in Markdown. */
  markdown: string;
  html: string;
}

/** One service of the IM-service directory, as declared in `content/services/<domain>.md`. */
export interface Service extends Omit<ServiceFrontmatter, 'location'> {
  /** e.g. `content/services/example.org.md` */
  file: string;
  location: { country: string; countryName: string; city: string };
  /** The notes below the frontmatter, as written and as HTML; empty when there are none. */
  notesMarkdown: string;
  notesHtml: string;
}

/** The IM-service directory: its settings and every service file, sorted by domain. */
export interface Directory {
  config: DirectoryConfig;
  services: Service[];
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

export type ContentResult = { ok: true; content: SiteContent } | { ok: false; problems: Problem[] };

const INCIDENT_PATH = /^incidents\/(\d{4})\/((\d{4})-(\d{2})-(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;
const MAINTENANCE_PATH = /^content\/maintenance\/((\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;
const UPDATE_PATH = /^content\/updates\/(\d{4}-\d{2}-\d{2})\.md$/;
const SERVICE_PATH = /^content\/services\/([a-z0-9.-]+)\.md$/;

function tooLarge(file: SourceFile): Problem | undefined {
  if (file.bytes <= MAX_FILE_BYTES) return undefined;
  return {
    file: file.path,
    // The reader stops at the limit, so the true size is unknown: say "larger".
    message: 'is larger than 1 MB, the limit. Shorten it or move long material to a linked page',
  };
}

/**
 * Runs a schema over frontmatter and reports problems against the file.
 * `reportInput` puts the offending value into zod's issues so messages can quote it.
 */
function validate<S extends z.ZodType>(
  schema: S,
  file: string,
  data: unknown,
  locate: (path: readonly PropertyKey[]) => number | undefined,
  problems: Problem[],
): z.output<S> | undefined {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  problems.push(...problemsFromZod(file, result.error, locate)); // bounded: the problems of one file
  return undefined;
}

/**
 * Maintenance files from before maintenance had a timeline (`start`, `end`,
 * `status`, `announced` at the top) get one problem that spells out the
 * converted frontmatter with the file's own values, on one line.
 */
function oldMaintenanceFormat(file: string, data: unknown, locate: (p: readonly PropertyKey[]) => number | undefined): Problem | undefined {
  const d = data as Record<string, unknown>;
  if ('updates' in d || !('start' in d || 'end' in d || 'announced' in d)) return undefined;
  const value = (v: unknown, fallback: string) => (typeof v === 'string' || typeof v === 'number' ? quoteShort(String(v), 40).slice(1, -1) : fallback);
  const start = value(d.start, '2026-11-25T04:00:00Z');
  const updates = [`{ at: ${value(d.announced ?? d.start, start)}, status: scheduled, start: ${start}, end: ${value(d.end, '2026-11-25T05:00:00Z')}, message: Announced. }`];
  if (d.status === 'cancelled') updates.push('{ at: <when it was cancelled>, status: cancelled, message: Cancelled. }');
  return {
    file,
    line: locate(['start']) ?? 1,
    message: `uses the old format (start, end, status and announced at the top). Maintenance is now a timeline: replace those fields with "updates: [${updates.join(', ')}]" (see content/maintenance/_template.md)`,
  };
}

/** A file named after a day that does not exist (2026-13-01, 2025-02-29). */
function notADay(file: string, date: string): Problem {
  return { file, message: `is named after ${date}, a day that does not exist. Rename it to the real date` };
}

/**
 * Runs a parser so that whatever it throws (a YAML alias bomb, a parser
 * bug) becomes a problem for that file, and the rest of the tree is still
 * checked. Only the first line of the error is kept: no stack in front of admins.
 */
function guarded<T extends object>(file: string, parse: () => T | { problems: Problem[] }): T | { problems: Problem[] } {
  try {
    return parse();
  } catch (err) {
    const reason = String((err as Error)?.message ?? err).split('\n')[0]!.slice(0, 160);
    return { problems: [{ file, line: 1, message: `could not be parsed (${reason}). Simplify the frontmatter: no anchors or aliases, no deeply nested values` }] };
  }
}

/** Refuses oversized files, then splits and parses the frontmatter. */
function readEntry(file: SourceFile, problems: Problem[], cache?: ParseCache) {
  const big = tooLarge(file);
  if (big) {
    problems.push(big);
    return undefined;
  }
  const parsed = guarded(file.path, () => parseMarkdownFileCached(file.path, file.text, cache));
  if ('problems' in parsed) {
    problems.push(...parsed.problems); // bounded: the problems of one file
    return undefined;
  }
  return parsed;
}

/**
 * Checks that the date in a file name is the day of a timestamp, either as
 * written (in its own offset) or in UTC: an incident that began at 00:30+02:00
 * may be filed under either day.
 * @param raw the timestamp as typed in the file, e.g. `2026-11-10T00:30:00+02:00`
 */
function fileDateProblem(file: string, fileDate: string, raw: unknown, parsed: Date, field: PropertyKey[], locate: (p: readonly PropertyKey[]) => number | undefined): Problem | undefined {
  const utc = parsed.toISOString().slice(0, 10);
  const local = typeof raw === 'string' ? raw.slice(0, 10) : utc;
  if (fileDate === utc || fileDate === local) return undefined;
  return {
    file,
    line: locate(field),
    field: formatFieldPath(field),
    message: `is on ${utc} (UTC) but the file name says ${fileDate}. Rename the file or fix the date`,
  };
}

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

  // --- Incidents
  const incidentSchema = createIncidentSchema(componentIds);
  const incidents: Incident[] = [];
  const slugFiles = new Map<string, string>();
  const allIncidentSlugs = new Set<string>();
  for (const file of files.incidents) {
    const match = INCIDENT_PATH.exec(file.path);
    if (!match) {
      problems.push({
        file: file.path,
        message: 'is not named like incidents/YYYY/YYYY-MM-DD-short-name.md (lower-case letters, digits and dashes). Rename it',
      });
      continue;
    }
    const [, folderYear, slug, fileYear, mm, dd] = match as unknown as [string, string, string, string, string, string];
    allIncidentSlugs.add(slug);
    const fileDate = `${fileYear}-${mm}-${dd}`;
    if (!isCalendarDate(fileDate)) {
      problems.push(notADay(file.path, fileDate));
      continue;
    }
    if (folderYear !== fileYear) {
      problems.push({ file: file.path, message: `is in folder ${folderYear} but dated ${fileYear}. Move it to incidents/${fileYear}/` });
    }
    const earlier = slugFiles.get(slug);
    if (earlier) {
      problems.push({ file: file.path, message: `has the same name as ${earlier}; incident names are their URLs and must be unique. Rename one of them` });
      continue;
    }
    slugFiles.set(slug, file.path);
    const parsed = readEntry(file, problems, options.parseCache);
    if (!parsed) continue;
    const data = validate(incidentSchema, file.path, parsed.data, parsed.locate, problems);
    if (!data) continue;
    const first = data.updates[0]!;
    const rawFirstAt = (parsed.data as { updates?: { at?: unknown }[] }).updates?.[0]?.at;
    const dateProblem = fileDateProblem(file.path, fileDate, rawFirstAt, first.at, ['updates', 0, 'at'], parsed.locate);
    if (dateProblem) {
      problems.push(dateProblem);
      continue;
    }
    const last = data.updates[data.updates.length - 1]!;
    const timeline = incidentStates(data.affected, data.updates);
    incidents.push({
      slug,
      file: file.path,
      title: data.title,
      ...(data.advice ? { advice: data.advice } : {}),
      impact: data.impact,
      affected: data.affected,
      componentIds: timeline.componentIds,
      updates: data.updates.map((u, k) => ({
        id: `${slug}/${u.at.toISOString()}`,
        at: u.at,
        status: u.status,
        markdown: u.message,
        html: renderMarkdown(u.message),
        states: timeline.states[k]!,
        changes: timeline.changes[k]!,
        next: promiseDue(u.next, u.at),
      })),
      // The body sits under the page's h2 "Summary", so its headings start at h3.
      bodyHtml: renderMarkdown(parsed.body, 1),
      startedAt: first.at,
      resolvedAt: last.status === 'resolved' ? last.at : null,
    });
  }

  // --- Maintenance windows
  const maintenanceSchema = createMaintenanceSchema(componentIds);
  const maintenance: Maintenance[] = [];
  for (const file of files.maintenance) {
    const match = MAINTENANCE_PATH.exec(file.path);
    if (!match) {
      problems.push({ file: file.path, message: 'is not named like content/maintenance/YYYY-MM-DD-short-name.md. Rename it' });
      continue;
    }
    const [, slug, fileDate] = match as unknown as [string, string, string];
    if (!isCalendarDate(fileDate)) {
      problems.push(notADay(file.path, fileDate));
      continue;
    }
    const parsed = readEntry(file, problems, options.parseCache);
    if (!parsed) continue;
    const old = oldMaintenanceFormat(file.path, parsed.data, parsed.locate);
    if (old) {
      problems.push(old);
      continue;
    }
    const data = validate(maintenanceSchema, file.path, parsed.data, parsed.locate, problems);
    if (!data) continue;
    const schedules = maintenanceSchedules(data.updates);
    const first = schedules[0]!;
    const rawStart = (parsed.data as { updates?: { start?: unknown }[] }).updates?.[0]?.start;
    const dateProblem = fileDateProblem(file.path, fileDate, rawStart, first.start, ['updates', 0, 'start'], parsed.locate);
    if (dateProblem) {
      problems.push(dateProblem);
      continue;
    }
    const latest = schedules[schedules.length - 1]!;
    const lastUpdate = data.updates[data.updates.length - 1]!;
    maintenance.push({
      slug,
      file: file.path,
      title: data.title,
      ...(data.advice ? { advice: data.advice } : {}),
      start: latest.start,
      end: latest.end,
      components: data.components,
      updates: data.updates.map((u, k) => ({
        id: `${slug}/${u.at.toISOString()}`,
        at: u.at,
        status: u.status,
        start: schedules[k]!.start,
        end: schedules[k]!.end,
        rescheduled: schedules[k]!.rescheduled,
        markdown: u.message,
        html: renderMarkdown(u.message),
      })),
      status: lastUpdate.status === 'cancelled' ? 'cancelled' : 'scheduled',
      announced: data.updates[0]!.at,
      markdown: parsed.body.trim(),
      html: renderMarkdown(parsed.body),
    });
  }

  // --- Daily updates
  const updateSchema = createDailyUpdateSchema(allIncidentSlugs);
  const updates: DailyUpdate[] = [];
  for (const file of files.updates) {
    const match = UPDATE_PATH.exec(file.path);
    if (!match) {
      problems.push({ file: file.path, message: 'is not named like content/updates/YYYY-MM-DD.md. Rename it to the date of the update' });
      continue;
    }
    const date = match[1]!;
    if (!isCalendarDate(date)) {
      problems.push(notADay(file.path, date));
      continue;
    }
    const parsed = readEntry(file, problems, options.parseCache);
    if (!parsed) continue;
    const data = validate(updateSchema, file.path, parsed.data, parsed.locate, problems);
    if (!data) continue;
    if (data.date && data.date !== date) {
      problems.push({ file: file.path, line: parsed.locate(['date']), field: 'date', message: `is ${data.date} but the file name says ${date}. Rename the file or remove "date"` });
      continue;
    }
    if (!parsed.body.trim()) {
      problems.push({ file: file.path, message: 'has no text after the frontmatter. Write the update below the closing "---"' });
      continue;
    }
    updates.push({ date, file: file.path, author: data.author, summary: data.summary, incidents: data.incidents, markdown: parsed.body.trim(), html: renderMarkdown(parsed.body) });
  }

  const directory = files.services === undefined && files.directory === undefined ? undefined : buildDirectory(files, problems);

  if (problems.length > 0 || !site) return { ok: false, problems };

  incidents.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || a.slug.localeCompare(b.slug));
  maintenance.sort((a, b) => a.start.getTime() - b.start.getTime() || a.slug.localeCompare(b.slug));
  updates.sort((a, b) => b.date.localeCompare(a.date));
  return { ok: true, content: { site, incidents, maintenance, updates, ...(directory ? { directory } : {}) } };
}

/**
 * The IM-service directory (issue 17): `content/services/directory.yaml`
 * (optional, the defaults otherwise) and one `<domain>.md` per service, with
 * the same reader, problems and line numbers as every other content file.
 */
function buildDirectory(files: SourceFiles, problems: Problem[]): Directory | undefined {
  let config: DirectoryConfig | undefined = DirectoryConfigSchema.parse({});
  if (files.directory) {
    const big = tooLarge(files.directory);
    const parsed = big ? { problems: [big] } : guarded(files.directory.path, () => parseYaml(files.directory!.path, files.directory!.text));
    if ('problems' in parsed) {
      problems.push(...parsed.problems); // bounded: the problems of one file
      config = undefined;
    } else config = validate(DirectoryConfigSchema, files.directory.path, parsed.data ?? {}, parsed.locate, problems);
  }
  const services: Service[] = [];
  for (const file of files.services ?? []) {
    const match = SERVICE_PATH.exec(file.path);
    if (!match) {
      problems.push({ file: file.path, message: 'is not named like content/services/<domain>.md, e.g. content/services/example.org.md (lower-case). Rename it after the service\'s domain' });
      continue;
    }
    const parsed = readEntry(file, problems);
    if (!parsed) continue;
    const data = validate(ServiceFrontmatterSchema, file.path, parsed.data, parsed.locate, problems);
    if (!data) continue;
    if (data.domain !== match[1]) {
      problems.push({ file: file.path, line: parsed.locate(['domain']), field: 'domain', message: `is ${data.domain} but the file is named after ${match[1]}. Name the file content/services/${data.domain}.md or fix the domain` });
      continue;
    }
    if (data.withdrawn && data.withdrawn < data.applied) {
      problems.push({ file: file.path, line: parsed.locate(['withdrawn']), field: 'withdrawn', message: `is ${data.withdrawn}, before the application (${data.applied}). Fix one of the dates` });
      continue;
    }
    const { location, ...rest } = data;
    services.push({
      ...rest,
      file: file.path,
      location: { ...location, countryName: countryName(location.country) },
      notesMarkdown: parsed.body.trim(),
      // The notes sit under the page's h2 "Notes", so their headings start at h3.
      notesHtml: parsed.body.trim() ? renderMarkdown(parsed.body, 1) : '',
    });
  }
  services.sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
  return config ? { config, services } : undefined;
}
