/**
 * Probe records with the sentence readers see beside their problems (issue
 * 24): version 3 records carry typed `problems`; these tests were written
 * against the sentence (`error`), which is the problems' texts joined, as
 * every page and the probe's table show it. Assertions on the words stay as
 * they were; the kinds are tested in src/lib/schemas/legacy-probe-formats.test.ts
 * and src/lib/xmpp/cert-verdict.test.ts.
 */
import { problemText, type ProbeRecord } from '../../src/lib/schemas.ts';

export type RecordWithText = ProbeRecord & { error?: string };

/** The record with `error`: its problems' texts joined with "; ", absent when it has none. */
export function withText(record: ProbeRecord): RecordWithText {
  const error = problemText(record.problems);
  return { ...record, ...(error === undefined ? {} : { error }) };
}
