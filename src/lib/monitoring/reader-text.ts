/**
 * Text that reaches readers from outside this site (a probe's error, a
 * reason a source failed) passes through here, so the public page never
 * shows a filesystem path, credentials in a URL or a stack trace
 * (issue 10: a missing `path` once published `probe-data/ams/ams does not
 * exist …` on the home page). The build log keeps the details.
 */

/** Longest outside text shown on a page, in characters. */
export const MAX_READER_TEXT = 300;

/**
 * The part of `text` that is safe and useful for readers: its first line,
 * without stack frames, URL credentials or absolute file paths, at most
 * `MAX_READER_TEXT` characters.
 * @example
 * readerSafe('ENOENT: no such file, open \'/srv/probe/ams.json\'\n    at open (node:fs:1)')
 * // "ENOENT: no such file, open '[path]'"
 */
export function readerSafe(text: string): string {
  let out = text.split(/\r?\n|\r/, 1)[0] ?? '';
  // A stack frame that was flattened onto one line: " at fn (file:1:2)".
  out = out.replace(/\s+at\s+(?:async\s+)?\S*\s*\(?(?:file:|node:|\/|[A-Za-z]:\\)\S*\)?.*$/, '');
  // user:password@ (or a bare token@) in any URL.
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1');
  out = out.replace(/\bfile:\/\/\S*/gi, '[path]');
  // Absolute POSIX paths of two or more segments, home-relative paths and Windows paths.
  out = out.replace(/(^|[\s(='"`[,])(?:~|\.{1,2})?(?:\/[^\s/'"`),\]]+){2,}\/?/g, '$1[path]');
  out = out.replace(/(^|[\s(='"`[,])[A-Za-z]:\\[^\s'"`),\]]*/g, '$1[path]');
  out = out.trim();
  return out.length > MAX_READER_TEXT ? `${out.slice(0, MAX_READER_TEXT - 1)}…` : out;
}
