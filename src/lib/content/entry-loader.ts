/**
 * The steps every content file goes through, whatever its kind (issue 24:
 * incidents, maintenance windows, daily updates and services used to repeat
 * them in one function): refuse it when it is too large, split and parse its
 * frontmatter without letting a parser's exception escape, run its schema,
 * and, for the dated kinds, check its name and the day in it. Each problem
 * names the file; the texts are the ones admins have always seen.
 */
import type { z } from 'astro/zod';
import { parseMarkdownFileCached, type ParseCache } from './frontmatter.ts';
import { formatFieldPath, problemsFromZod, type Problem } from './problems.ts';
import { isCalendarDate } from '../shared/time.ts';
import { renderMarkdown } from './markdown.ts';

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

export function tooLarge(file: SourceFile): Problem | undefined {
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
export function validate<S extends z.ZodType>(
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

/** A file named after a day that does not exist (2026-13-01, 2025-02-29). */
export function notADay(file: string, date: string): Problem {
  return { file, message: `is named after ${date}, a day that does not exist. Rename it to the real date` };
}

/**
 * Runs a parser so that whatever it throws (a YAML alias bomb, a parser
 * bug) becomes a problem for that file, and the rest of the tree is still
 * checked. Only the first line of the error is kept: no stack in front of admins.
 */
export function guarded<T extends object>(file: string, parse: () => T | { problems: Problem[] }): T | { problems: Problem[] } {
  try {
    return parse();
  } catch (err) {
    const reason = String((err as Error)?.message ?? err).split('\n')[0]!.slice(0, 160);
    return { problems: [{ file, line: 1, message: `could not be parsed (${reason}). Simplify the frontmatter: no anchors or aliases, no deeply nested values` }] };
  }
}

/** Refuses oversized files, then splits and parses the frontmatter. */
export function readEntry(file: SourceFile, problems: Problem[], cache?: ParseCache) {
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
export function fileDateProblem(file: string, fileDate: string, raw: unknown, parsed: Date, field: PropertyKey[], locate: (p: readonly PropertyKey[]) => number | undefined): Problem | undefined {
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

/** One kind of dated content file: how it is named and what its frontmatter must be. */
export interface EntryKind<S extends z.ZodType> {
  /** The file's path, e.g. `/^content\/updates\/(\d{4}-\d{2}-\d{2})\.md$/`. */
  pattern: RegExp;
  /** The problem for a file the pattern does not match, e.g. `is not named like content/updates/YYYY-MM-DD.md. Rename it to the date of the update`. */
  misnamed: string;
  /** The day in the file name, from the pattern's match, e.g. `2026-11-20`. */
  dateOf: (match: RegExpExecArray) => string;
  /** Checks of the name beyond its day (a folder, a unique slug): adds its problems and says whether to read the file. */
  checkName?: (file: SourceFile, match: RegExpExecArray, problems: Problem[]) => boolean;
  /** A problem found in the frontmatter before its schema runs (an old format), which ends the file's checks. */
  checkRaw?: (file: SourceFile, data: unknown, locate: (path: readonly PropertyKey[]) => number | undefined) => Problem | undefined;
  schema: S;
}

/** A dated file that passed the shared steps. */
export interface LoadedEntry<T> {
  file: SourceFile;
  match: RegExpExecArray;
  /** The day in its name, e.g. `2026-11-03`. */
  date: string;
  /** Its frontmatter and body as parsed; `data` is the raw frontmatter, for what a schema turns into another type. */
  parsed: Exclude<ReturnType<typeof readEntry>, undefined>;
  /** Its frontmatter through the kind's schema. */
  data: T;
}

/**
 * Runs the shared steps over every file of one kind, in order, adding each
 * problem as it is found; yields the files that passed, one at a time, so a
 * kind's own checks of one file come before the next file's problems.
 */
export function* loadEntries<S extends z.ZodType>(files: readonly SourceFile[], kind: EntryKind<S>, problems: Problem[], cache?: ParseCache): Generator<LoadedEntry<z.output<S>>> {
  for (const file of files) {
    const match = kind.pattern.exec(file.path);
    if (!match) {
      problems.push({ file: file.path, message: kind.misnamed });
      continue;
    }
    const date = kind.dateOf(match);
    if (!isCalendarDate(date)) {
      problems.push(notADay(file.path, date));
      continue;
    }
    if (kind.checkName && !kind.checkName(file, match, problems)) continue;
    const parsed = readEntry(file, problems, cache);
    if (!parsed) continue;
    const raw = kind.checkRaw?.(file, parsed.data, parsed.locate);
    if (raw) {
      problems.push(raw);
      continue;
    }
    const data = validate(kind.schema, file.path, parsed.data, parsed.locate, problems);
    if (data === undefined) continue;
    yield { file, match, date, parsed, data };
  }
}

/**
 * What every timeline update (of an incident or a maintenance window) has:
 * its id for feeds, the slug plus the update's instant (so editing the text
 * keeps it), its time and status, and its message as written and as HTML.
 */
export function updateFields<S>(slug: string, u: { at: Date; status: S; message: string }) {
  return { id: `${slug}/${u.at.toISOString()}`, at: u.at, status: u.status, markdown: u.message, html: renderMarkdown(u.message) };
}
