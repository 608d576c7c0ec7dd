/**
 * The one way the build and `npm run check` open a file they were pointed at
 * (content, probe sources, the directory's sources, summaries and their cache;
 * issue 22). Only regular files are read: a symbolic link is never followed
 * (O_NOFOLLOW), and a device or a FIFO is refused before any read
 * (`/dev/zero` named as a source grew the check by ~250 MB/s; a FIFO hung
 * it). At most `maxBytes + 1` bytes are read, whatever `stat` says, so a
 * file that grows while it is read cannot exhaust memory either.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { describeFileType } from './file-type.ts';

export type RegularFileFailure = {
  ok: false;
  /** `missing`: nothing there; `not-regular`: a link, folder, device, FIFO or socket; `too-large`: over `maxBytes`; `unreadable`: any other error. */
  reason: 'missing' | 'not-regular' | 'too-large' | 'unreadable';
  /** What is wrong, after the path, e.g. `is a device, not a file. Remove it`. */
  problem: string;
  /** For `too-large`: the size seen, in bytes. */
  size?: number;
};
export type RegularFileResult = { ok: true; bytes: Buffer } | RegularFileFailure;

/**
 * Opens `path` for reading if it is a regular file (not following a link,
 * never blocking on a FIFO), or says why not. The caller closes the fd.
 */
export function openRegularFile(path: string): { ok: true; fd: number; size: number } | RegularFileFailure {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer would otherwise wait for ever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', problem: 'does not exist' };
    if (code === 'ELOOP') return { ok: false, reason: 'not-regular', problem: describeFileType(lstatSync(path)) };
    return { ok: false, reason: 'unreadable', problem: `cannot be opened (${code ?? 'error'}). Check that it is a regular file you can read` };
  }
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    return { ok: false, reason: 'not-regular', problem: describeFileType(stat) };
  }
  return { ok: true, fd, size: stat.size };
}

/** e.g. `1.5 MiB` */
const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`);

/**
 * Reads a whole regular file of at most `maxBytes`.
 * @param buffer reused between calls when given (at least `maxBytes + 1` long); the result then views it
 */
export function readRegularFile(path: string, maxBytes: number, buffer?: Buffer): RegularFileResult {
  const opened = openRegularFile(path);
  if (!opened.ok) return opened;
  try {
    if (opened.size > maxBytes)
      return { ok: false, reason: 'too-large', size: opened.size, problem: `is ${formatBytes(opened.size)}, over the ${formatBytes(maxBytes)} cap; not read` };
    const into = buffer && buffer.length > maxBytes ? buffer : Buffer.allocUnsafe(Math.min(opened.size, maxBytes) + 1);
    // One byte more than expected is read, so growth past the size (or the cap) is seen.
    let length = 0;
    while (length < into.length) {
      const n = readSync(opened.fd, into, length, into.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes)
      return { ok: false, reason: 'too-large', size: length, problem: `grew past the ${formatBytes(maxBytes)} cap while it was read; not read` };
    if (length === into.length) return { ok: false, reason: 'unreadable', problem: 'changed while it was read. Run again once nothing writes to it' };
    return { ok: true, bytes: into.subarray(0, length) };
  } catch (err) {
    return { ok: false, reason: 'unreadable', problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    closeSync(opened.fd);
  }
}
