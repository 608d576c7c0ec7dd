import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { writeFileAtomic } from './atomic-write-io.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'atomic-write-'));

describe('writeFileAtomic', () => {
  test('replaces a file whole and leaves no temporary file beside it', () => {
    const dir = folder();
    const file = join(dir, 'state.json');
    writeFileSync(file, 'old\n');
    writeFileAtomic(file, 'new\n');
    writeFileAtomic(file, new Uint8Array([104, 105, 10]));
    expect([readFileSync(file, 'utf8'), readdirSync(dir)]).toEqual(['hi\n', ['state.json']]);
  });

  test('a new file gets the mode asked for; an existing file keeps the mode an admin gave it', () => {
    const dir = folder();
    const fresh = join(dir, 'journal');
    writeFileAtomic(fresh, 'x', { mode: 0o600 });
    const kept = join(dir, 'kept');
    writeFileSync(kept, 'x');
    chmodSync(kept, 0o640);
    writeFileAtomic(kept, 'y');
    expect([statSync(fresh).mode & 0o777, statSync(kept).mode & 0o777]).toEqual([0o600, 0o640]);
  });

  test('a write that fails throws the file system error and leaves nothing behind', () => {
    const dir = folder();
    expect(() => writeFileAtomic(join(dir, 'missing', 'state.json'), 'x')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(readdirSync(dir)).toEqual([]);
  });
});
