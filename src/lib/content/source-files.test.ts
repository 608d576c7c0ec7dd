import fc from 'fast-check';
import { expect, test } from 'vitest';
import { classifyContentName, decodeSourceText, firstInvalidUtf8 } from './source-files.ts';

test.each([
  ['2026-11-09-login-failures.md', 'content'],
  // author templates and drafts, READMEs and .gitkeep are documented exceptions
  ['_template.md', 'ignored'],
  ['_draft-outage.md', 'ignored'],
  ['README.md', 'ignored'],
  ['.gitkeep', 'ignored'],
])('%s is %s', (name, kind) => {
  expect(classifyContentName(name)).toBe(kind);
});

test.each([
  ['2026-11-09-outage.MD', 'is not read: content files end in lower-case ".md". Rename it to "2026-11-09-outage.md"'],
  ['2026-11-09-outage.markdown', 'is not read: content files end in lower-case ".md". Rename it to "2026-11-09-outage.md"'],
  ['2026-11-09-outage.md.txt', 'is not read: content files end in lower-case ".md". Rename it to "2026-11-09-outage.md"'],
  ['notes.txt', 'is not a content file and would be ignored. Only .md files belong here: move it out of the content folders or delete it'],
  ['.2026-11-09-outage.md.swp', 'is not a content file and would be ignored. Only .md files belong here: move it out of the content folders or delete it'],
])('%s is a problem that says how to fix it', (name, problem) => {
  expect(classifyContentName(name)).toEqual({ problem });
});

test('agrees with the platform decoder on which byte strings are UTF-8', () => {
  const strict = new TextDecoder('utf-8', { fatal: true });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      let valid = true;
      try {
        strict.decode(bytes);
      } catch {
        valid = false;
      }
      expect(firstInvalidUtf8(bytes) === -1).toBe(valid);
    }),
    { numRuns: 5000 },
  );
});

test('Latin-1 text is a problem with its line, not text with U+FFFD in it', () => {
  const bytes = Buffer.concat([Buffer.from('---\ntitle: Wartung\n'), Buffer.from([0x47, 0x72, 0xfc, 0x6e]), Buffer.from('\n---\n')]);
  expect(decodeSourceText('content/updates/2026-11-20.md', bytes)).toEqual({
    problem: { file: 'content/updates/2026-11-20.md', line: 3, message: 'is not valid UTF-8 (byte 0xfc at offset 21). Save the file as UTF-8 in your editor' },
  });
});

test('a byte-order mark is dropped and valid UTF-8 is kept exactly', () => {
  expect(decodeSourceText('x.md', Buffer.from('\uFEFF---\ntitle: Grün ✓\n'))).toEqual({ text: '---\ntitle: Grün ✓\n' });
});
