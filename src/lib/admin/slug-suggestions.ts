/**
 * "Did you mean" for the update commands (issue 22): a mistyped slug used to
 * get no suggestion, and an example slug that does not exist on a real site.
 * Suggestions come from the files that exist, matched by the name after the
 * date, so a maintenance window is found by its name whatever start date it
 * has (not by today's date), plus the list of the open ones.
 */

export interface SlugCandidate {
  /** File name without `.md`, e.g. `2026-11-28-kernel-update`. */
  slug: string;
  /** Still open: an unresolved incident, a window neither completed nor cancelled. */
  open: boolean;
}

/** The slug without its leading date, e.g. `kernel-update`. */
const nameOf = (slug: string) => slug.replace(/^\d{4}-\d{2}-\d{2}-?/, '');

/** Edit distance (Levenshtein), bounded work: both strings are slugs of at most a few dozen characters. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * Up to `max` existing slugs close to `wanted`: the same name with another
 * date first, then names within a few typing mistakes, newest first.
 * @example suggestSlugs('2026-12-04-kernel-update', [{ slug: '2026-11-28-kernel-update', open: true }]) // ['2026-11-28-kernel-update']
 */
export function suggestSlugs(wanted: string, candidates: readonly SlugCandidate[], max = 3): string[] {
  const name = nameOf(wanted.toLowerCase());
  const scored = candidates.flatMap((c) => {
    const other = nameOf(c.slug);
    if (other === name) return [{ slug: c.slug, score: 0 }];
    const d = distance(name.slice(0, 80), other.slice(0, 80));
    const near = d <= Math.max(2, Math.floor(Math.min(name.length, other.length) / 3)) || (name.length >= 4 && (other.includes(name) || name.includes(other)));
    return near ? [{ slug: c.slug, score: 1 + d }] : [];
  });
  return scored
    .sort((a, b) => a.score - b.score || (a.slug < b.slug ? 1 : -1))
    .slice(0, max)
    .map((s) => s.slug);
}

/**
 * What the admin reads when `wanted` does not exist.
 * @param kind e.g. `incident` or `maintenance window`
 * @param path where it was looked for, e.g. `incidents/2026/2026-11-21-login-fail.md`
 */
export function slugNotFound(kind: string, wanted: string, path: string, candidates: readonly SlugCandidate[]): string {
  const lines = [`There is no ${kind} ${wanted} (looked for ${path}).`];
  const near = suggestSlugs(wanted, candidates);
  if (near.length) lines.push(`Did you mean ${near.join(' or ')}?`);
  const open = candidates
    .filter((c) => c.open)
    .map((c) => c.slug)
    .sort()
    .reverse();
  lines.push(
    open.length ? `Open ${kind}s: ${open.slice(0, 10).join(', ')}${open.length > 10 ? `, and ${open.length - 10} more` : ''}.` : `No ${kind} is open.`,
  );
  lines.push('Give the file name without ".md".');
  return lines.join('\n');
}
