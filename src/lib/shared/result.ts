/**
 * The one shape of a step that can fail (issue 24): `ok` says which, the
 * value's fields sit beside it under their own names, and a failure carries
 * every problem found (never only the first), so a command can list them
 * all and a caller narrows with `if (!r.ok)`.
 *
 * @example
 * type Loaded = Result<{ site: SiteConfig }, Problem>;
 * // { ok: true, site } | { ok: false, problems: [{ file: 'content/site.yaml', message: 'is missing. …' }] }
 *
 * A problem is whatever the domain needs to say: a `Problem` naming file,
 * line and field (content/problems.ts), a skipped line's `{ field, message }`,
 * a source's closed `reason` with its `problem` for the build log. What is
 * not a result keeps its own shape: a probe check's outcome (passed, failed
 * or not run, with what it learned either way) and a verdict that is never
 * an error (a ping's `{ ok, error }`, a lock's `{ ok, holder }`).
 */
export type Result<T extends object, P> = ({ ok: true } & T) | { ok: false; problems: P[] };

/** A failure with these problems, e.g. `failure({ file, message })`. */
export function failure<P>(...problems: P[]): { ok: false; problems: P[] } {
  return { ok: false, problems };
}
