/**
 * Incidents: `incidents/YYYY/YYYY-MM-DD-short-name.md`, each a timeline of
 * updates with the components' states, checked and assembled for the pages,
 * feeds and API.
 */
import type { ParseCache } from './frontmatter.ts';
import { renderMarkdown } from './markdown.ts';
import type { Problem } from './problems.ts';
import { incidentStates, promiseDue, type StateChange } from './timelines.ts';
import { fileDateProblem, loadEntries, updateFields, type SourceFile } from './entry-loader.ts';
import { createIncidentSchema, type ComponentImpact, type DeclaredState, type Impact, type IncidentStatus } from '../schemas.ts';

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

const INCIDENT_PATH = /^incidents\/(\d{4})\/((\d{4})-(\d{2})-(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

/** Every incident's slug, including files with problems: daily updates may name them, and are checked against this list. */
export function incidentSlugs(files: readonly SourceFile[]): Set<string> {
  return new Set(files.flatMap((f) => INCIDENT_PATH.exec(f.path)?.[2] ?? []));
}

/**
 * Checks and assembles every incident file, in the order given; problems are added to `problems`.
 * @param componentIds the site's component ids, undefined when the site config is invalid (ids are then not checked)
 */
export function buildIncidents(files: readonly SourceFile[], componentIds: string[] | undefined, problems: Problem[], cache?: ParseCache): Incident[] {
  const incidents: Incident[] = [];
  const slugFiles = new Map<string, string>();
  const kind = {
    pattern: INCIDENT_PATH,
    misnamed: 'is not named like incidents/YYYY/YYYY-MM-DD-short-name.md (lower-case letters, digits and dashes). Rename it',
    dateOf: (m: RegExpExecArray) => `${m[3]}-${m[4]}-${m[5]}`,
    checkName: (file: SourceFile, m: RegExpExecArray, found: Problem[]) => {
      const [, folderYear, slug, fileYear] = m as unknown as [string, string, string, string];
      if (folderYear !== fileYear) found.push({ file: file.path, message: `is in folder ${folderYear} but dated ${fileYear}. Move it to incidents/${fileYear}/` });
      const earlier = slugFiles.get(slug);
      if (earlier) {
        found.push({ file: file.path, message: `has the same name as ${earlier}; incident names are their URLs and must be unique. Rename one of them` });
        return false;
      }
      slugFiles.set(slug, file.path);
      return true;
    },
    schema: createIncidentSchema(componentIds),
  };
  for (const { file, match, date: fileDate, parsed, data } of loadEntries(files, kind, problems, cache)) {
    const slug = match[2]!;
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
        ...updateFields(slug, u),
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
  return incidents;
}
