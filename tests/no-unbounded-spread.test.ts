/**
 * Issue 16: no code path spreads an unbounded array into a call. The build
 * died at 50,000 incidents on `Math.max(...times)`; this keeps every such
 * call in src/ and scripts/ either rewritten as a loop or justified with a
 * `bounded:` comment (see tests/helpers/unbounded-spreads.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findSpreadCalls, findSpreadCallsInTree } from './helpers/unbounded-spreads.ts';

test('no call in src/ or scripts/ spreads an array without a bounded: note', () => {
  const { files, calls } = findSpreadCallsInTree(process.cwd(), ['src', 'scripts']);
  // Proves the walk saw the tree, .astro files included, rather than nothing.
  expect(files).toBeGreaterThan(50);
  expect(calls.map((c) => `${c.file}:${c.line}: ${c.code}`)).toEqual([]);
});

test('a call planted in a copy of the tree is found with its file and line', () => {
  const root = mkdtempSync(join(tmpdir(), 'spread-lint-'));
  try {
    mkdirSync(join(root, 'src/lib/status'), { recursive: true });
    mkdirSync(join(root, 'scripts'));
    writeFileSync(join(root, 'src/lib/status/last-change.ts'), 'export function lastChange(times: number[]) {\n  return Math.max(...times);\n}\n');
    writeFileSync(join(root, 'scripts/ok.ts'), 'export const all = [...[1], ...[2]];\n');
    expect(findSpreadCallsInTree(root, ['src', 'scripts']).calls).toEqual([{ file: 'src/lib/status/last-change.ts', line: 2, code: 'Math.max(...times)' }]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

describe('what counts as a spread into a call', () => {
  test.each([
    // The crash of issue 16.
    ['Math.max over a spread', 'const t = Math.max(...times);'],
    ['push of a spread', 'all.push(...records);'],
    ['String.fromCharCode of a spread', 'const s = String.fromCharCode(...codes);'],
    ['a spread after other arguments', 'const t = Math.max(0, ...spans.map((s) => s.weight));'],
    ['a constructor call', 'const d = new Date(...parts);'],
    ['apply with an array, the old way of spreading', 'const m = Math.max.apply(null, times);'],
    ['a bounded: note without a reason', 'const t = Math.max(...times); // bounded:'],
    ['a note two lines above the call, which belongs to something else', '// bounded: one per probe location\nconst a = 1;\nconst t = Math.max(...ds);'],
    ['a spread inside TypeScript generics and types', 'const f = <T,>(xs: T[]): number => Math.min(...(xs as number[]));'],
  ])('flags %s', (_, code) => {
    expect(findSpreadCalls(code, 'src/planted.ts')).toHaveLength(1);
  });

  test.each([
    ['array literals', 'const all = [...a, ...b];'],
    ['object spreads', 'const o = { ...a, b: 1 };'],
    ['a rest parameter', 'function f(...args: number[]) { return args; }'],
    ['a tuple type with a rest element', 'type T = [string, ...string[]];'],
    ['a justified call on the same line', 'const t = Math.max(...ds); // bounded: one per probe location'],
    ['a justified call on the line above', '// bounded: one per probe location\nconst t = Math.max(...ds);'],
    [
      'a call wrapped over lines with the note on its last line, as prettier leaves it',
      'const t = Math.max(\n  ...ds.map((d) => d.p95),\n); // bounded: one per probe location',
    ],
    ['apply with arguments one by one', 'f.apply(null, a, b);'],
  ])('accepts %s', (_, code) => {
    expect(findSpreadCalls(code, 'src/planted.ts')).toEqual([]);
  });

  test('finds spreads in an .astro template as well as its frontmatter, and not in JSX spread attributes', () => {
    const astro = '---\nconst top = Math.max(...scores);\n---\n<Card {...props} />\n<p>{Math.min(...scores)}</p>\n';
    expect(findSpreadCalls(astro, 'src/pages/planted.astro').map((c) => [c.line, c.code])).toEqual([
      [2, 'Math.max(...scores)'],
      [5, 'Math.min(...scores)'],
    ]);
  });

  test('a file that cannot be parsed fails the check instead of passing unseen', () => {
    expect(() => findSpreadCalls('const x = ;', 'src/broken.ts')).toThrow('src/broken.ts: cannot parse');
  });
});
