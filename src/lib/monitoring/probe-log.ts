/**
 * The probe's JSON Lines log: one record per line in
 * `DIR/<vantage>/<YYYY-MM-DD>.jsonl`. Readers never fail on a bad line: a
 * torn last line (a probe killed mid-write) or an unknown format version is
 * skipped and reported, so one bad write cannot hide a month of data.
 */
import type { Problem } from '../content/problems.ts';
import { PROBE_RECORD_VERSION, ProbeRecordSchema, type ProbeRecord } from '../schemas.ts';
import { failure, type Result } from '../shared/result.ts';

/** Why a line of a log was skipped, e.g. `{ field: 'check', message: 'is not a valid probe record (…); skipped' }`. */
export interface SkippedLine {
  field?: string;
  message: string;
}

/** One record as a line of the log, newline included. */
export function serializeRecord(record: ProbeRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** The log file for a record: UTC date of its start, e.g. `ams/2026-11-21.jsonl`. */
export function logFileName(vantage: string, at: Date): string {
  return `${vantage}/${at.toISOString().slice(0, 10)}.jsonl`;
}

/**
 * Parses one line of a log: a record, or why it was skipped.
 * @param torn the line is the file's last and has no newline
 */
export function parseRecordLine(line: string, torn: boolean): Result<{ record: ProbeRecord }, SkippedLine> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return failure({
      message: torn
        ? 'torn last line (the probe was interrupted while writing); skipped'
        : 'is not valid JSON (probably a write cut short by a crash); skipped',
    });
  }
  const version = (json as { v?: unknown } | null)?.v;
  // Versions 1 (before issue 21) and 2 (before issue 24) are still read; the schema turns them into version 3.
  if (version !== 1 && version !== 2 && version !== PROBE_RECORD_VERSION)
    return failure({
      message: `has format version ${JSON.stringify(version)?.slice(0, 40)}; this build reads versions 1, 2 and ${PROBE_RECORD_VERSION}. Skipped`,
    });
  const parsed = ProbeRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return failure({ field: issue.path.join('.') || undefined, message: `is not a valid probe record (${issue.message}); skipped` });
  }
  return { ok: true, record: parsed.data };
}

export interface ParsedLog {
  records: ProbeRecord[];
  /** Lines that were skipped, with why. */
  problems: Problem[];
}

/**
 * Parses a log's text.
 * @param file path for messages, e.g. `probe-data/ams/2026-11-21.jsonl`
 */
export function parseProbeLog(file: string, text: string): ParsedLog {
  const records: ProbeRecord[] = [];
  const problems: Problem[] = [];
  const lines = text.split('\n');
  // A complete file ends with "\n", so the final element is "" and the last
  // real line is complete; otherwise the last line was cut off mid-write.
  const lastComplete = text.endsWith('\n') ? lines.length - 1 : lines.length - 2;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = parseRecordLine(line, i > lastComplete);
    if (parsed.ok) records.push(parsed.record);
    else for (const p of parsed.problems) problems.push({ file, line: i + 1, ...(p.field ? { field: p.field } : {}), message: p.message });
  });
  return { records, problems };
}
