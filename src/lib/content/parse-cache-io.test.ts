/**
 * The frontmatter parse cache (issue 16): a rebuild parses only the files
 * whose text changed, gives the same content as a cold parse, and still
 * reports every problem with its line.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildContent } from './content.ts';
import { loadContent, openParseCache, readSourceFiles } from './load-content-io.ts';

function sampleCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'parse-cache-'));
  cpSync('content', join(root, 'content'), { recursive: true });
  cpSync('incidents', join(root, 'incidents'), { recursive: true });
  return root;
}

test('a rebuild with one changed file parses that file only, and the content is the same as without a cache', () => {
  const root = sampleCopy();
  const file = join(root, 'cache', 'parse.bin');
  const cold = openParseCache(file);
  const first = buildContent(readSourceFiles(root), { parseCache: cold });
  cold.save();
  expect(cold.stats.hits).toBe(0);
  const parsedFiles = cold.stats.misses;
  expect(parsedFiles).toBeGreaterThan(20);

  const incident = join(root, 'incidents/2026/2026-11-13-chat-rooms-unavailable.md');
  writeFileSync(incident, readFileSync(incident, 'utf8').replace('title: Some chat rooms could not be joined', 'title: Some chat rooms could not be joined at all'));
  const warm = openParseCache(file);
  const second = buildContent(readSourceFiles(root), { parseCache: warm });
  warm.save();
  expect(warm.stats).toEqual({ hits: parsedFiles - 1, misses: 1 });
  expect(second).toEqual(buildContent(readSourceFiles(root)));
  expect(first.ok && second.ok && second.content.incidents.find((i) => i.slug === '2026-11-13-chat-rooms-unavailable')!.title).toBe('Some chat rooms could not be joined at all');
});

test('a cached file that now fails validation is still reported with its line', () => {
  const root = sampleCopy();
  const file = join(root, 'cache', 'parse.bin');
  // Cached while the config still knows "muc"; then the component is renamed.
  expect(loadContent(root, { parseCacheFile: file }).ok).toBe(true);
  const site = join(root, 'content/site.yaml');
  writeFileSync(site, readFileSync(site, 'utf8').replace('  - id: muc\n', '  - id: rooms\n').replace(/muc: \[/g, 'rooms: ['));
  const result = loadContent(root, { parseCacheFile: file });
  expect(result.ok).toBe(false);
  expect(!result.ok && result.problems.find((p) => p.file === 'incidents/2026/2026-11-13-chat-rooms-unavailable.md')).toMatchObject({ line: 5, field: 'affected[1].id' });
});

test('a damaged cache file is ignored, not trusted', () => {
  const root = sampleCopy();
  const file = join(root, 'parse.bin');
  writeFileSync(file, 'not a cache');
  const cache = openParseCache(file);
  expect(buildContent(readSourceFiles(root), { parseCache: cache }).ok).toBe(true);
  expect(cache.stats.hits).toBe(0);
});
