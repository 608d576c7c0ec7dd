import { beforeEach, describe, expect, test, vi } from 'vitest';
import { parseDocument } from 'yaml';
import { parseMarkdownFileCached, parseYaml, type ParseCache, type StoredParse } from './frontmatter.ts';
import { buildContent } from './content.ts';
import { files, source } from '../../../tests/helpers/content-files.ts';

// Counts how often the `yaml` package parses a document; it behaves as the real one.
vi.mock('yaml', async (importOriginal) => {
  const real = await importOriginal<typeof import('yaml')>();
  return { ...real, parseDocument: vi.fn(real.parseDocument) };
});
const yamlParses = () => vi.mocked(parseDocument).mock.calls.length;

/** Frontmatter with `n` fields no schema knows, one per line from line 2. */
const unknownFields = (n: number) => Array.from({ length: n }, (_, i) => `unknown${i}: x`).join('\n');

describe('finding the line of a problem', () => {
  beforeEach(() => {
    vi.mocked(parseDocument).mockClear();
  });

  test('asks the yaml package for the document once, however many fields need a line', () => {
    const parsed = parseYaml('incidents/2026/x.md', `\n${unknownFields(3000)}\n`);
    if ('problems' in parsed) throw new Error('should parse');
    expect(yamlParses()).toBe(0);
    for (let i = 0; i < 3000; i += 1) expect(parsed.locate([`unknown${i}`])).toBe(i + 2);
    expect(yamlParses()).toBe(1);
  });

  test('a file read from the parse cache is parsed once for all its problem lines too', () => {
    const stored = new Map<string, StoredParse>();
    const cache: ParseCache = { get: (t) => stored.get(t), set: (t, v) => void stored.set(t, v) };
    const text = `---\n${unknownFields(500)}\n---\nBody.`;
    parseMarkdownFileCached('content/updates/2026-11-12.md', text, cache);
    const hit = parseMarkdownFileCached('content/updates/2026-11-12.md', text, cache);
    if ('problems' in hit) throw new Error('should parse');
    vi.mocked(parseDocument).mockClear();
    for (let i = 0; i < 500; i += 1) expect(hit.locate([`unknown${i}`])).toBe(i + 2);
    expect(yamlParses()).toBe(1);
  });

  test('a file with 3,000 unknown fields reports every one of them with its line', () => {
    const result = buildContent(files({ updates: [source('content/updates/2026-11-12.md', `---\nauthor: A\nsummary: Fine.\n${unknownFields(3000)}\n---\nText.`)] }));
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.filter((p) => p.message.includes('is not a known field'));
    expect(problems).toHaveLength(3000);
    expect(problems.map((p) => p.line)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 4));
  });
});
