import fc from 'fast-check';
import { expect, test } from 'vitest';
import { quoteShort, stripControlChars, stripControlCharsDeep } from './text.ts';

test.each([
  // NUL, ESC and DEL from YAML escapes
  ['a\u0000b\u001bc\u007fd', 'abcd'],
  // CRLF and a lone CR become a line feed
  ['one\r\ntwo\rthree', 'one\ntwo\nthree'],
  // tab and line feed stay
  ['a\tb\nc', 'a\tb\nc'],
  // C1 controls and other Unicode stay: only C0 and DEL are stripped
  ['über \u0085 ✓', 'über \u0085 ✓'],
])('stripControlChars(%j) is %j', (input, expected) => {
  expect(stripControlChars(input)).toBe(expected);
});

test('no C0 control other than tab and line feed, and no DEL, survives stripping', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      expect(stripControlChars(s)).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
    }),
  );
});

test('deep stripping cleans strings inside lists and groups and leaves other values alone', () => {
  const when = new Date(0);
  expect(stripControlCharsDeep({ 'ti\u0000tle': 'a\u001b', list: ['x\u007f', 3, true, null], when })).toEqual({
    title: 'a',
    list: ['x', 3, true, null],
    when,
  });
});

test('quoteShort never quotes more than its limit', () => {
  expect(quoteShort('root:x:0:0:root:/root:/bin/bash\n'.repeat(20), 20)).toBe('"root:x:0:0:root:/roo…" (640 characters)');
  expect(quoteShort('short')).toBe('"short"');
});

test("deep stripping keeps a __proto__ key as an own field and never changes an object's prototype", () => {
  const parsed = JSON.parse('{"__proto__": {"title": "x"}, "a": 1}') as unknown;
  const out = stripControlCharsDeep(parsed) as Record<string, unknown>;
  expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  expect(Object.keys(out)).toEqual(['__proto__', 'a']);
  expect('title' in out).toBe(false);
});
