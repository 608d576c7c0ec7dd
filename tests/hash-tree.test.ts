/**
 * The change key's tree hash (src/lib/release/publish-io.ts) with its cache
 * of file hashes by size, times and inode (issue 28): a file is read again
 * whenever it may have changed, and only then.
 */
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { hashTree } from '../src/lib/release/publish-io.ts';

function tree(): { root: string; cache: string; write: (rel: string, text: string, ageSeconds?: number) => void } {
  const root = mkdtempSync(join(tmpdir(), 'hash-tree-'));
  mkdirSync(join(root, 'content', 'updates'), { recursive: true });
  const write = (rel: string, text: string, ageSeconds = 60) => {
    writeFileSync(join(root, rel), text);
    const at = new Date(Date.now() - ageSeconds * 1000);
    utimesSync(join(root, rel), at, at);
  };
  return { root, cache: join(root, '.cache', 'content.json'), write };
}

test('with or without the cache, the same files give the same hash, and any changed byte a new one', () => {
  const { root, cache, write } = tree();
  write('content/site.yaml', 'name: a\n');
  write('content/updates/2026-11-21.md', 'one\n');
  const plain = hashTree(root, ['content']);
  expect(hashTree(root, ['content'], undefined, cache)).toBe(plain);
  expect(hashTree(root, ['content'], undefined, cache)).toBe(plain);
  write('content/updates/2026-11-21.md', 'two\n', 30);
  expect(hashTree(root, ['content'], undefined, cache)).not.toBe(plain);
  expect(hashTree(root, ['content'], undefined, cache)).toBe(hashTree(root, ['content']));
});

test('an unchanged file is not read again: its hash comes from the cache', () => {
  const { root, cache, write } = tree();
  write('content/site.yaml', 'name: a\n');
  const first = hashTree(root, ['content'], undefined, cache);
  // Plant another hash for the same stamp: the next run must take it from the cache.
  const entries = JSON.parse(readFileSync(cache, 'utf8')) as Record<string, [string, string]>;
  entries['content/site.yaml']![1] = '0'.repeat(64);
  writeFileSync(cache, JSON.stringify(entries));
  expect(hashTree(root, ['content'], undefined, cache)).not.toBe(first);
  // Touched (new times, same bytes): read again, so the planted hash is gone.
  const at = new Date(Date.now() - 10_000);
  utimesSync(join(root, 'content/site.yaml'), at, at);
  expect(hashTree(root, ['content'], undefined, cache)).toBe(first);
});

test('a file written within the last two seconds is always read, even when its stamp matches', () => {
  const { root, cache, write } = tree();
  write('content/site.yaml', 'name: a\n', 0);
  const first = hashTree(root, ['content'], undefined, cache);
  // Not kept: a second write within the clock's resolution would leave the same stamp.
  expect(JSON.parse(readFileSync(cache, 'utf8'))).toEqual({});
  write('content/site.yaml', 'name: b\n', 0);
  expect(hashTree(root, ['content'], undefined, cache)).not.toBe(first);
});
