/**
 * Reads `content/certificates.yaml`, the admins' announcements of planned
 * certificate changes (issue 30). Optional: without the file there are none.
 * Problems come back in the shape every content problem has (file, line,
 * field, message with its fix), so `npm run check` and the build print them
 * the same way.
 */
import { join } from 'node:path';
import { readRegularFile } from '../shared/regular-file-io.ts';
import { parseYaml } from '../content/frontmatter.ts';
import type { Problem } from '../content/problems.ts';
import { CertAnnouncementsFileSchema, type CertAnnouncement } from '../schemas.ts';
import type { Result } from '../shared/result.ts';

export const ANNOUNCEMENTS_FILE = 'content/certificates.yaml';
/** Largest announcements file read. */
export const MAX_ANNOUNCEMENTS_BYTES = 1024 * 1024;

/** Dotted field path as problems name it, e.g. `announcements[1].from`. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k + 1}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

/** Parses the file's text; exported for tests of the exact messages. */
export function parseAnnouncements(text: string, file = ANNOUNCEMENTS_FILE): Result<{ announcements: CertAnnouncement[] }, Problem> {
  const parsed = parseYaml(file, text);
  if ('problems' in parsed) return { ok: false, problems: parsed.problems };
  const result = CertAnnouncementsFileSchema.safeParse(parsed.data ?? {});
  if (result.success) return { ok: true, announcements: result.data.announcements };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const line = parsed.locate(issue.path);
      const unknown =
        issue.code === 'unrecognized_keys'
          ? `has an unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}. Use domain, checks, from, until, fingerprint256, spki256 and note`
          : undefined;
      return { file, ...(line ? { line } : {}), ...(issue.path.length ? { field: fieldName(issue.path) } : {}), message: unknown ?? issue.message };
    }),
  };
}

/** Reads the file under `root`; no file means no announcements. */
export function loadAnnouncements(root: string): Result<{ announcements: CertAnnouncement[] }, Problem> {
  // Like every content file: only a regular file, at most 1 MiB (issue 22).
  const read = readRegularFile(join(root, ANNOUNCEMENTS_FILE), MAX_ANNOUNCEMENTS_BYTES);
  if (!read.ok)
    return read.reason === 'missing' ? { ok: true, announcements: [] } : { ok: false, problems: [{ file: ANNOUNCEMENTS_FILE, message: read.problem }] };
  return parseAnnouncements(read.bytes.toString('utf8'));
}
