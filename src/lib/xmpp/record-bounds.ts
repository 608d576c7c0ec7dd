/**
 * Makes a probe record that always fits `ProbeRecordSchema` and stays under
 * 4 KiB (README, "Limits"), whatever a server or a directory entry supplied
 * (issue 22: a 600+-character website URL made the schema throw inside
 * `Promise.all` and stopped the whole directory run; server-supplied
 * redirect URLs made 15 KB records). Fields are trimmed where the record is
 * made; a record that still does not fit becomes a failed record that says
 * why, so one bad service is one failed record, never a crashed run.
 */
import { MAX_PROBLEMS, PROBE_RECORD_VERSION, ProbeNotRunSchema, ProbeRecordSchema, type ProbeProblem, type ProbeRecord } from '../schemas.ts';

/** Largest record written, as JSON: the README's promise. */
export const MAX_RECORD_BYTES = 4096;
/** Longest `target` the schema takes. */
const MAX_TARGET = 600;
/** Longest problem text the schema takes. */
const MAX_ERROR = 1000;
/** Longest string kept anywhere in `detail` (a certificate name, a URL). */
const MAX_DETAIL_STRING = 300;
/** Most items kept of any list in `detail` (certificate names are capped at 100 by the schema). */
const MAX_DETAIL_ITEMS = 100;

/** Cuts `text` to `max` characters, marking the cut with `…`. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Every string in `value` clipped, every list shortened, nesting kept to four levels. */
function boundValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return clip(value, MAX_DETAIL_STRING);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 4) return undefined;
  if (Array.isArray(value)) return value.slice(0, MAX_DETAIL_ITEMS).map((v) => boundValue(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [clip(k, 60), boundValue(v, depth + 1)]));
}

const bytes = (record: unknown) => Buffer.byteLength(JSON.stringify(record));

/**
 * The record for one check, trimmed to the schema's bounds; never throws for
 * what a server or a content file supplied.
 * @param raw the fields as the check produced them, e.g. `{ v: 3, at, vantage, domain, check, target, ok, ms, attempts, problems, detail }`
 */
export function boundRecord(raw: Record<string, unknown> & { detail: Record<string, unknown>; target: string; domain: string }): ProbeRecord {
  const trimmed: Record<string, unknown> = {
    ...raw,
    domain: clip(raw.domain, 253),
    target: clip(raw.target || raw.domain || '?', MAX_TARGET),
    ...(Array.isArray(raw.problems)
      ? { problems: (raw.problems as ProbeProblem[]).slice(0, MAX_PROBLEMS).map((p) => ({ kind: p.kind, text: clip(p.text, MAX_ERROR) })) }
      : {}),
    detail: boundValue(raw.detail, 0),
  };
  // Still too big (a detail with many long fields): drop the largest detail fields first, and say so.
  const detail = trimmed.detail as Record<string, unknown>;
  while (bytes(trimmed) > MAX_RECORD_BYTES && Object.keys(detail).length > 0) {
    const largest = Object.keys(detail).sort((a, b) => bytes(detail[b] ?? null) - bytes(detail[a] ?? null))[0]!;
    delete detail[largest];
    detail.trimmed = true;
  }
  const parsed = ProbeRecordSchema.safeParse(trimmed);
  if (parsed.success && bytes(parsed.data) <= MAX_RECORD_BYTES) return parsed.data;
  // What the check learned does not fit: the check is recorded as failed
  // (or, when it did not run, as not run: a review found that kind lost
  // here), with the reason, instead of throwing.
  const notRun = ProbeNotRunSchema.safeParse(trimmed.notRun);
  const why = parsed.success
    ? `over ${MAX_RECORD_BYTES} bytes`
    : parsed.error.issues
        .slice(0, 2)
        .map((i) => `${i.path.join('.') || 'record'}: ${i.message}`)
        .join('; ');
  return ProbeRecordSchema.parse({
    v: PROBE_RECORD_VERSION,
    at: trimmed.at,
    vantage: trimmed.vantage,
    domain: trimmed.domain,
    check: trimmed.check,
    target: trimmed.target,
    ...(notRun.success ? { ok: null, notRun: notRun.data } : { ok: false }),
    ms: typeof trimmed.ms === 'number' && trimmed.ms >= 0 ? trimmed.ms : 0,
    attempts: trimmed.attempts === 2 ? 2 : 1,
    problems: [{ kind: notRun.success ? 'not-run' : 'probe-error', text: clip(`probe error: the result did not fit a record (${why})`, MAX_ERROR) }],
    detail: {},
  });
}
