/**
 * Daily updates: `content/updates/YYYY-MM-DD.md`, the team's note of the
 * day, checked and assembled for the pages and feeds.
 */
import type { ParseCache } from './frontmatter.ts';
import { renderMarkdown } from './markdown.ts';
import type { Problem } from './problems.ts';
import { loadEntries, type SourceFile } from './entry-loader.ts';
import { createDailyUpdateSchema } from '../schemas.ts';

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

const UPDATE_PATH = /^content\/updates\/(\d{4}-\d{2}-\d{2})\.md$/;

/**
 * Checks and assembles every daily update, in the order given; problems are added to `problems`.
 * @param incidentSlugs every incident's slug, for the incidents an update names
 */
export function buildDailyUpdates(files: readonly SourceFile[], incidentSlugs: ReadonlySet<string>, problems: Problem[], cache?: ParseCache): DailyUpdate[] {
  const updates: DailyUpdate[] = [];
  const kind = {
    pattern: UPDATE_PATH,
    misnamed: 'is not named like content/updates/YYYY-MM-DD.md. Rename it to the date of the update',
    dateOf: (m: RegExpExecArray) => m[1]!,
    schema: createDailyUpdateSchema(incidentSlugs),
  };
  for (const { file, date, parsed, data } of loadEntries(files, kind, problems, cache)) {
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
  return updates;
}
