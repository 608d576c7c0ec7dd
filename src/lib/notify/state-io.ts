/**
 * The delivery journal on disk (see delivery-state.ts for the format).
 *
 * - Each record batch is one `write` on an O_APPEND descriptor followed by
 *   `fdatasync`, so once `record` returns the send is remembered even if the
 *   process or the machine dies next; a crash before it leaves at most one
 *   torn line, which the next run drops (and resends that entry, same id).
 * - A torn tail is cut by rewriting the file to a temporary name and
 *   renaming it over the old one (atomic on POSIX), never in place.
 * - A lock file holding the pid keeps two runs (an overlapping publish loop)
 *   from sending the same entry twice; a lock left by a dead process is taken over.
 */
import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { tryLock } from '../shared/file-lock-io.ts';
import { writeFileAtomic as writeAtomic } from '../shared/atomic-write-io.ts';
import { applyRecords, parseState, serializeRecords, type DeliveryState, type StateRecord } from './delivery-state.ts';

export interface Journal {
  state: DeliveryState;
  /** Lines dropped when reading (torn by a crash). */
  skipped: number;
  record(records: StateRecord[]): void;
  close(): void;
}

export class JournalLockedError extends Error {}

function takeLock(lock: string): () => void {
  // The shared protocol takes a stale lock over atomically (issue 22, defect 6).
  const taken = tryLock(lock, new Date());
  if (taken.ok) return taken.release;
  if (taken.holder) throw new JournalLockedError(`another notify run (pid ${taken.holder.pid}) is using ${lock}; wait for it to finish`);
  throw new JournalLockedError(`cannot take the lock ${lock}`);
}

/** Writes `text` to `path` atomically (shared/atomic-write-io.ts); a new file only its owner may read. */
export function writeFileAtomic(path: string, text: string): void {
  writeAtomic(path, text, { mode: 0o600 });
}

/** @param path e.g. `/srv/status/notify-state/delivered.jsonl` */
export function openJournal(path: string, options: { readOnly?: boolean } = {}): Journal {
  mkdirSync(dirname(path), { recursive: true });
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const parsed = parseState(text);
  if (options.readOnly) return { state: parsed.state, skipped: parsed.skipped, record: () => undefined, close: () => undefined };

  const lock = `${path}.lock`;
  const releaseLock = takeLock(lock);
  if (parsed.tornTail) writeFileAtomic(path, text.slice(0, text.lastIndexOf('\n') + 1));
  else if (!text) writeFileSync(path, '', { mode: 0o600 });
  const fd = openSync(path, 'a');
  return {
    state: parsed.state,
    skipped: parsed.skipped,
    record(records) {
      if (records.length === 0) return;
      writeSync(fd, serializeRecords(records));
      fdatasyncSync(fd);
      // Keep the in-memory view in step for anything planned later in this run.
      applyRecords(parsed.state, records);
    },
    close() {
      closeSync(fd);
      releaseLock();
    },
  };
}
