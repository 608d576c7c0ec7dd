/**
 * Appends probe records to `DIR/<vantage>/<YYYY-MM-DD>.jsonl` so that neither
 * a crash nor several probes writing at once can break a reader:
 * - each file's batch is one `write(2)` on a descriptor opened with O_APPEND,
 *   which Linux applies atomically for regular files, so concurrent runs
 *   interleave whole batches, never parts of lines;
 * - if the file does not end in a newline (an earlier run died mid-write),
 *   a newline is written first, so the torn line stays on its own and the
 *   reader skips just that line.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { logFileName, serializeRecord } from './probe-log.ts';
import type { ProbeRecord } from '../schemas.ts';

function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

/**
 * Appends records, grouped by their UTC date.
 * @returns the files written, relative to `dir`
 */
export function appendRecords(dir: string, records: readonly ProbeRecord[]): string[] {
  const byFile = new Map<string, string>();
  for (const r of records) {
    const name = logFileName(r.vantage, new Date(r.at));
    byFile.set(name, (byFile.get(name) ?? '') + serializeRecord(r));
  }
  for (const [name, text] of byFile) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'a+');
    try {
      const buffer = Buffer.from(endsWithNewline(fd) ? text : `\n${text}`);
      const written = writeSync(fd, buffer);
      if (written !== buffer.length) throw new Error(`short write to ${path}: ${written} of ${buffer.length} bytes (disk full?)`);
    } finally {
      closeSync(fd);
    }
  }
  return [...byFile.keys()];
}
