/**
 * Maintenance windows: `content/maintenance/YYYY-MM-DD-short-name.md`, each
 * a timeline of updates that may move the window, checked and assembled for
 * the pages, feeds, calendar and API.
 */
import type { ParseCache } from './frontmatter.ts';
import { renderMarkdown } from './markdown.ts';
import type { Problem } from './problems.ts';
import { maintenanceSchedules } from './timelines.ts';
import { fileDateProblem, loadEntries, updateFields, type SourceFile } from './entry-loader.ts';
import { quoteShort } from '../shared/text.ts';
import { createMaintenanceSchema, type MaintenanceStatus } from '../schemas.ts';

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

const MAINTENANCE_PATH = /^content\/maintenance\/((\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

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

/**
 * Checks and assembles every maintenance file, in the order given; problems are added to `problems`.
 * @param componentIds the site's component ids, undefined when the site config is invalid
 */
export function buildMaintenance(files: readonly SourceFile[], componentIds: string[] | undefined, problems: Problem[], cache?: ParseCache): Maintenance[] {
  const maintenance: Maintenance[] = [];
  const kind = {
    pattern: MAINTENANCE_PATH,
    misnamed: 'is not named like content/maintenance/YYYY-MM-DD-short-name.md. Rename it',
    dateOf: (m: RegExpExecArray) => m[2]!,
    checkRaw: (file: SourceFile, data: unknown, locate: (p: readonly PropertyKey[]) => number | undefined) => oldMaintenanceFormat(file.path, data, locate),
    schema: createMaintenanceSchema(componentIds),
  };
  for (const { file, match, date: fileDate, parsed, data } of loadEntries(files, kind, problems, cache)) {
    const slug = match[1]!;
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
        ...updateFields(slug, u),
        start: schedules[k]!.start,
        end: schedules[k]!.end,
        rescheduled: schedules[k]!.rescheduled,
      })),
      status: lastUpdate.status === 'cancelled' ? 'cancelled' : 'scheduled',
      announced: data.updates[0]!.at,
      markdown: parsed.body.trim(),
      html: renderMarkdown(parsed.body),
    });
  }
  return maintenance;
}
