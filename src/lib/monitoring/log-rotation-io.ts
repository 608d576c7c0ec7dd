/**
 * Carries out a rotation plan (log-rotation.ts) in one vantage folder: each
 * file is gzipped and written atomically (temporary file, fsync, rename) before
 * the original is removed, so a crash leaves the plain file (read again
 * next time), never half a compressed one. A full disk stops the rotation
 * with a sentence (`RotationError`), never a stack trace.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeFileAtomic } from '../shared/atomic-write-io.ts';
import { planRotation, type RotationPlan } from './log-rotation.ts';

export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationError';
  }
}

/**
 * @param folder e.g. `/var/lib/jabber-status/probe-data/ams`
 * @returns what was done
 * @throws RotationError when the disk is full or a file cannot be written
 */
export async function rotateLogs(folder: string, now: Date, retentionDays?: number): Promise<RotationPlan> {
  const plan = planRotation(readdirSync(folder), now, retentionDays);
  for (const name of plan.compress) {
    const from = join(folder, name);
    const to = `${from}.gz`;
    try {
      // One day's log at a time, read whole, so it goes through the one atomic
      // write (shared/atomic-write-io.ts: temporary file, fsync, rename, folder fsync).
      // A .gz already there means an earlier run died between rename and
      // removal: it was made from this same complete day, so replacing it loses nothing.
      writeFileAtomic(to, gzipSync(readFileSync(from), { level: 9 }));
      rmSync(from);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT')
        throw new RotationError(
          `the disk holding ${folder} is full while compressing ${name}; nothing was lost (the plain file is kept). Free space there or lower --retention-days, then run again`,
        );
      throw new RotationError(`could not compress ${from} (${(err as Error).message}); the plain file is kept`);
    }
  }
  for (const name of plan.remove) rmSync(join(folder, name), { force: true });
  return plan;
}
