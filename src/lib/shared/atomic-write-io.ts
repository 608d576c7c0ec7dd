/**
 * Replacing a file so that a reader (the build, a web server, the next run
 * after a crash or power cut) sees either the old contents or the new ones,
 * never half of them: every state file, cache, summary, history store and
 * content file this project rewrites goes through `writeFileAtomic`.
 *
 * The temporary file, its fsync, the rename and the clean-up when writing
 * fails (or the process is killed meanwhile) are npm's `write-file-atomic`
 * (the library npm itself writes package.json and its cache with): it also
 * keeps an existing file's mode and owner, follows a symbolic link to the
 * real file instead of replacing the link, and gives each write its own
 * temporary name, so two writers in one process never share one. What it
 * leaves out, fsyncing the folder after the rename so the new name itself
 * survives a power cut, is done here.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import writeFileAtomicLibrary from 'write-file-atomic';

export interface AtomicWriteOptions {
  /** Permissions of a new file, e.g. `0o600` for a journal only its owner may read; an existing file keeps its own. */
  mode?: number;
}

/**
 * Writes `data` to `path` atomically: a temporary file beside it, fsync,
 * rename over `path`, fsync of the folder. The folder must exist.
 * @param path e.g. `/var/lib/jabber-status/ams.json`
 * @throws the file system's error (`ENOSPC`, `EACCES`, …) with nothing left behind; callers turn it into a sentence
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const bytes = typeof data === 'string' || Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  writeFileAtomicLibrary.sync(path, bytes, { fsync: true, ...(options.mode !== undefined ? { mode: options.mode } : {}) });
  fsyncFolder(dirname(path));
}

/** Makes a rename in `folder` durable. Some platforms cannot open a folder for that (EISDIR, EPERM, EINVAL): there the rename is as durable as that system makes it. */
function fsyncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw err;
  } finally {
    closeSync(fd);
  }
}
