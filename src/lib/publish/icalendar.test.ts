import { expect, test } from 'vitest';
import { escapeText, foldLine } from './icalendar.ts';

test('escapes commas, semicolons, backslashes and newlines in text values', () => {
  expect(escapeText('a, b; c\\d\ne')).toBe('a\\, b\\; c\\\\d\\ne');
});

test('folds lines at 75 octets without splitting a multi-byte character', () => {
  const line = `SUMMARY:${'ü'.repeat(60)}`;
  const folded = foldLine(line).split('\r\n');
  for (const part of folded) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
  expect(folded.slice(1).every((p) => p.startsWith(' '))).toBe(true);
  expect(folded.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
});
