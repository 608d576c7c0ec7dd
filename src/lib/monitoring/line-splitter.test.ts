import fc from 'fast-check';
import { expect, test } from 'vitest';
import { LineSplitter, type SplitLine } from './line-splitter.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

/** Feeds `input` in the given chunk sizes (cycled) and collects every line. */
function split(input: Uint8Array, maxBytes: number, sizes: number[]): SplitLine[] {
  const splitter = new LineSplitter(maxBytes);
  const out: SplitLine[] = [];
  let at = 0;
  for (let k = 0; at < input.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length]!);
    out.push(...splitter.push(input.subarray(at, at + size)));
    at += size;
  }
  out.push(...splitter.end());
  return out;
}

test('keeps lines up to the cap, reports longer ones with their size, and goes on after them', () => {
  expect(split(bytes('short\n' + 'x'.repeat(11) + '\nafter\ntorn'), 10, [4])).toEqual([
    { text: 'short', torn: false },
    { tooLong: true, bytes: 11 },
    { text: 'after', torn: false },
    { text: 'torn', torn: true },
  ]);
});

test('a line without a newline that never ends is one over-long line, however it arrives', () => {
  const endless = new Uint8Array(3 * 1024 * 1024).fill(0x61);
  expect(split(endless, 64 * 1024, [64 * 1024])).toEqual([{ tooLong: true, bytes: 3 * 1024 * 1024 }]);
});

test('multi-byte characters split across chunks are decoded whole', () => {
  expect(split(bytes('jabber.org ✓ ok\n'), 100, [1])).toEqual([{ text: 'jabber.org ✓ ok', torn: false }]);
});

test('for any text and any chunking: short lines come out exactly, long ones as markers', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/\n/g, '')),
        { maxLength: 20 },
      ),
      fc.integer({ min: 1, max: 30 }),
      fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 5 }),
      fc.boolean(),
      (lines, cap, sizes, finalNewline) => {
        const text = lines.join('\n') + (finalNewline && lines.length ? '\n' : '');
        const expected: SplitLine[] = [];
        const parts = text === '' ? [] : text.split('\n');
        if (finalNewline && lines.length) parts.pop();
        parts.forEach((line, i) => {
          const size = bytes(line).length;
          const torn = i === parts.length - 1 && !(finalNewline && lines.length);
          if (size > cap) expected.push({ tooLong: true, bytes: size });
          else if (!(torn && size === 0)) expected.push({ text: line, torn });
        });
        expect(split(bytes(text), cap, sizes)).toEqual(expected);
      },
    ),
    { numRuns: 300 },
  );
});
