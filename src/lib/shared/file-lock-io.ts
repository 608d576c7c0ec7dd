/**
 * One lock protocol for every lock file (`dist.lock`, `publish.lock`, the
 * notifier's journal lock, the authoring commands' locks; issue 22, defect 6).
 *
 * The old pattern (open with O_EXCL; if the holder is dead, delete the file
 * and try again) was not atomic: two processes that both judged the same
 * lock stale could each delete it, so the second deleted the first's fresh
 * lock, and with six processes started at once 1 to 5 held it. Here:
 *
 * 1. A lock appears whole: its content (`<pid> <since> <nonce>`) is written
 *    to a private file first and hard-linked into place, which fails with
 *    EEXIST when the lock exists. A reader never sees a half-written lock.
 * 2. A stale lock (its process is gone) is removed only by the one process
 *    that wins `<lock>.takeover-<nonce>`, another exclusive link named after
 *    that lock's unique nonce; the winner removes the lock only if it still
 *    holds the same nonce. Nobody else may remove a lock with that nonce, and
 *    a nonce never comes back, so "still the same" cannot change between the
 *    check and the removal. Then everyone races for step 1 again, which
 *    exactly one wins.
 *
 * proper-lockfile (the npm library) was not used: its stale takeover is
 * "remove, then mkdir again", the same race. Locks are judged per host (the
 * pid is checked with signal 0), as every caller here runs on one machine.
 * If a process dies in the microseconds between winning a takeover and
 * removing the stale lock, the lock stays until an admin deletes it: the
 * holder message says so.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface LockHolder {
  pid: number;
  /** When it was taken, as written in the lock, e.g. `2026-11-21T06:00:00.000Z`; `undefined` in an old lock without it. */
  since: string | undefined;
}

export type LockResult = { ok: true; release: () => void } | { ok: false; holder: LockHolder | undefined };

/** Whether a process id belongs to a running process (signal 0 only asks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): { raw: string; pid: number; since: string | undefined; nonce: string } | undefined {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return undefined; // gone meanwhile: try again
  }
  const [pidText, since, nonce] = raw.trim().split(' ');
  // Locks written before this protocol have no nonce: their whole text stands in for it.
  return { raw, pid: Number(pidText), since, nonce: nonce ?? Buffer.from(raw).toString('hex').slice(0, 64) };
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Takes the lock file `path`, taking over a stale one atomically.
 * @param now written into the lock, for the holder message
 */
export function tryLock(path: string, now: Date): LockResult {
  const nonce = randomBytes(12).toString('hex');
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}-${nonce}.tmp`);
  writeFileSync(tmp, `${process.pid} ${now.toISOString()} ${nonce}\n`, { flag: 'wx', mode: 0o600 });
  let last: LockHolder | undefined;
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        linkSync(tmp, path);
        removeOldClaims(path);
        return {
          ok: true,
          release: () => {
            // Only our own lock is removed (our nonce), never one taken over after us.
            if (readLock(path)?.nonce === nonce) unlinkSync(path);
          },
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const seen = readLock(path);
      if (!seen) continue;
      last = { pid: seen.pid, since: seen.since };
      if (Number.isInteger(seen.pid) && seen.pid > 0 && isAlive(seen.pid)) return { ok: false, holder: last };
      // Stale: only the winner of this nonce's claim may remove it.
      const claim = `${path}.takeover-${seen.nonce}`;
      try {
        linkSync(tmp, claim);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        pause(5 + Math.floor(Math.random() * 10)); // another process is taking it over; look again
        continue;
      }
      if (readLock(path)?.raw === seen.raw) {
        try {
          unlinkSync(path);
        } catch {
          // already removed by its owner, which was not dead after all
        }
      } else {
        // We were slow: the stale lock was taken over and the next holder
        // already removed the old claims, so ours was made afresh for a
        // nonce that is gone for good. Nobody else would remove it (seen
        // under load: a claim file left behind after the race).
        try {
          unlinkSync(claim);
        } catch {
          // removed by a holder meanwhile
        }
      }
    }
    return { ok: false, holder: last };
  } finally {
    unlinkSync(tmp);
  }
}

/** Takeover claims name nonces of locks that no longer exist: harmless, removed by the next holder. */
function removeOldClaims(path: string): void {
  const prefix = `${basename(path)}.takeover-`;
  let names: string[] = [];
  try {
    names = readdirSync(dirname(path)).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of names) {
    try {
      unlinkSync(join(dirname(path), name));
    } catch {
      // another holder removed it
    }
  }
}
