/**
 * Reads and writes the certificate history (`.history/certificates.json`,
 * cert-history.ts) beside the monitoring history. Small (a few kilobytes:
 * one entry per certificate seen), so plain JSON; written atomically
 * (shared/atomic-write-io.ts) with the previous copy kept as `.prev`. Never
 * throws into the build: a damaged or unwritable file is a `problem`
 * sentence with its fix, and the build goes on with what the summaries show.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write-io.ts';
import { CertHistoryFileSchema, type CertHistoryFile, type ProbeCheck, type ProbeSummary } from '../schemas.ts';
import { appendCertSummaries, emptyCertHistory } from './cert-history.ts';

/** Largest file read: 8 MiB (20,000 series of a few certificates each). */
export const MAX_CERT_HISTORY_BYTES = 8 * 1024 * 1024;

function parse(path: string): CertHistoryFile {
  const bytes = readFileSync(path);
  if (bytes.length > MAX_CERT_HISTORY_BYTES) throw new Error(`${path} is over ${MAX_CERT_HISTORY_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${path} is not valid JSON`);
  }
  const parsed = CertHistoryFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.') || 'top level'} ${issue.message}`);
  }
  return parsed.data;
}

/** The store, its `.prev` copy when the file is damaged, or an empty one; `problem` says which and why. */
export function readCertHistory(path: string): { store: CertHistoryFile; problem?: string } {
  if (!existsSync(path)) return { store: emptyCertHistory() };
  try {
    return { store: parse(path) };
  } catch (err) {
    const why = (err as Error).message;
    try {
      return {
        store: parse(`${path}.prev`),
        problem: `${why}; using ${basename(path)}.prev instead. Delete the damaged file to start from the previous copy for good`,
      };
    } catch {
      return {
        store: emptyCertHistory(),
        problem: `${why}; starting an empty certificate history (past changes are forgotten, new ones are found again). Delete or restore the file to silence this`,
      };
    }
  }
}

/** Writes the store atomically; a failure is returned as a sentence. */
export function writeCertHistory(path: string, store: CertHistoryFile): string | undefined {
  try {
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) copyFileSync(path, `${path}.prev`);
    // The project's one atomic write (temporary file, fsync, rename).
    writeFileAtomic(path, `${JSON.stringify(store)}\n`);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return `could not write ${path} (${code}); certificate changes seen by this build may be announced again by the next. Make ${dirname(path)} writable, or set STATUS_HISTORY_DIR to a folder that is`;
  }
}

/** What a build does: read, append the summaries, write back when anything changed. */
export function updateCertHistory(
  path: string,
  summaries: readonly ProbeSummary[],
  keep: (domain: string, check: ProbeCheck) => boolean,
): { store: CertHistoryFile; problem?: string } {
  const read = readCertHistory(path);
  const store = appendCertSummaries(read.store, summaries, keep);
  if (JSON.stringify(store) === JSON.stringify(read.store)) return read;
  const failed = writeCertHistory(path, store);
  const problem = [read.problem, failed].filter(Boolean).join('; ');
  return { store, ...(problem ? { problem } : {}) };
}
