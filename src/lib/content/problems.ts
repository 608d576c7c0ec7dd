/**
 * One shape for everything wrong with the input: a content file, the site
 * config, probe data. Problems are collected, never thrown one at a time, so
 * an admin sees every mistake in one CI run instead of fixing them one by one.
 */
import type { z } from 'astro/zod';
import { quoteShort } from '../shared/text.ts';

export interface Problem {
  /** Path relative to the project root, e.g. `incidents/2026/2026-11-03-login-failures.md`. */
  file: string;
  /** 1-based line in the file when known, e.g. `12`. */
  line?: number;
  /** Dotted field path, e.g. `updates[2].at`; absent for whole-file problems. */
  field?: string;
  /** What is wrong and how to fix it, e.g. `"huge" is not allowed. Use one of: none, minor`. */
  message: string;
}

/**
 * Renders a field path the way it looks in YAML, counting list items from 1
 * because that is how people count lines in a list.
 * @param path e.g. `['updates', 2, 'at']` → `updates[3].at`
 */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    // A key is as long as whoever wrote the file made it: cap it.
    const key = String(part).length > 60 ? `${String(part).slice(0, 60)}…` : String(part);
    if (typeof part === 'number') out += `[${part + 1}]`;
    else out += out ? `.${key}` : key;
  }
  return out;
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a group of fields';
  return `${typeof value} ${typeof value === 'string' ? quoteShort(value) : JSON.stringify(value)}`;
}

const EXPECTED_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of fields',
};

/**
 * Turns one zod issue into words an admin can act on. zod's own messages
 * ("Invalid option: expected one of…") are written for programmers.
 */
export function describeZodIssue(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  const path = [...issue.path];
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) {
        const key = path[path.length - 1];
        return { path, message: typeof key === 'string' ? `is missing. Add a line "${key}: …"` : 'is missing' };
      }
      return { path, message: `must be ${EXPECTED_WORDS[issue.expected] ?? issue.expected}, not ${describeValue(input)}` };
    case 'invalid_value':
      return {
        path,
        message: `${typeof input === 'string' ? quoteShort(input) : JSON.stringify(input)} is not allowed. Use one of: ${issue.values.map(String).join(', ')}`,
      };
    case 'unrecognized_keys':
      // One issue per key so each gets its own line and line number.
      return { path, message: `${issue.keys.map((k) => `"${k}"`).join(', ')} is not a known field. Check the spelling` };
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return { path, message: 'must not be empty' };
      return { path, message: issue.message };
    default:
      return { path, message: issue.message };
  }
}

/**
 * Converts a failed parse into problems for one file.
 * @param locate optional lookup from a field path to a 1-based line
 */
export function problemsFromZod(
  file: string,
  error: z.ZodError,
  locate?: (path: readonly PropertyKey[]) => number | undefined,
): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        problems.push({
          file,
          line: locate?.(path),
          field: formatFieldPath(path),
          message: `is not a known field. Check the spelling or remove it`,
        });
      }
      continue;
    }
    const { path, message } = describeZodIssue(issue);
    problems.push({
      file,
      line: locate?.(path),
      field: path.length ? formatFieldPath(path) : undefined,
      message,
    });
  }
  return problems;
}

/** Sorts problems by file, then line, so output is stable across runs. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.field ?? '').localeCompare(b.field ?? ''),
  );
}

/**
 * The text an admin sees in CI, one problem per line in the
 * `file:line: field: message` form that editors and CI logs link up.
 * @example
 * formatProblems([{ file: 'incidents/2026/x.md', line: 3, field: 'impact', message: '"huge" is not allowed…' }])
 * // 'incidents/2026/x.md:3: impact: "huge" is not allowed…\n\n1 problem in 1 file.'
 */
export function formatProblems(problems: readonly Problem[], noun: 'problem' | 'warning' = 'problem'): string {
  const sorted = sortProblems(problems);
  const lines = sorted.map((p) => {
    const where = p.line ? `${p.file}:${p.line}` : p.file;
    return p.field ? `${where}: ${p.field}: ${p.message}` : `${where}: ${p.message}`;
  });
  const files = new Set(sorted.map((p) => p.file)).size;
  const summary = `${sorted.length} ${noun}${sorted.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}.`;
  return `${lines.join('\n')}\n\n${summary}`;
}

/** Thrown by the build when content is invalid; the message lists every problem. */
export class ContentError extends Error {
  readonly problems: Problem[];
  constructor(problems: readonly Problem[]) {
    super(`The content has problems; nothing was built.\n\n${formatProblems(problems)}`);
    this.name = 'ContentError';
    this.problems = sortProblems(problems);
  }
}
