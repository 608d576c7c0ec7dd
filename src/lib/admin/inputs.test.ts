import { expect, test } from 'vitest';
import { parseDuration, parsePairs, parseTimeInput, slugify } from './inputs.ts';

const NOW = new Date('2026-11-21T12:00:30Z');

test.each([
  ['now', '2026-11-21T12:00:30Z'],
  ['2h', '2026-11-21T14:00:30Z'],
  ['+1h30m', '2026-11-21T13:30:30Z'],
  ['-15m', '2026-11-21T11:45:30Z'],
  ['1d', '2026-11-22T12:00:30Z'],
  // a timestamp is kept as typed, offset included
  ['2026-11-25T05:00:00+01:00', '2026-11-25T05:00:00+01:00'],
])('the time %s means %s', (input, iso) => {
  expect(parseTimeInput(input, NOW)).toEqual({ iso });
});

test.each(['tomorrow', '2026-11-25 04:00', '2026-02-30T04:00:00Z', ''])('"%s" is refused with the forms that work', (input) => {
  expect(parseTimeInput(input, NOW)).toEqual({
    error: `"${input}" is not a time. Use now, a duration from now such as 2h or 30m, or a time with an offset such as 2026-11-25T04:00:00Z`,
  });
});

test('durations without digits are not durations', () => {
  expect(parseDuration('h')).toBeUndefined();
  expect(parseDuration('90m')).toBe(5_400_000);
});

test.each([
  ['Login failures after the move to M-Link', 'login-failures-after-the-move-to-m-link'],
  ['Grün: Räume (MUC) fallen aus!', 'grun-raume-muc-fallen-aus'],
  ['A very long title that keeps going on and on about federation with other servers', 'a-very-long-title-that-keeps-going-on-and-on-about'],
  ['!!!', 'incident'],
])('the title %j is filed as %s', (title, slug) => {
  expect(slugify(title)).toBe(slug);
});

test('component states are ID=STATE pairs, comma or space separated', () => {
  expect(parsePairs(['c2s=operational,s2s=degraded', 'muc=major-outage'])).toEqual({ c2s: 'operational', s2s: 'degraded', muc: 'major-outage' });
  expect(parsePairs(['c2s'])).toEqual({ error: '"c2s" is not ID=STATE, e.g. c2s=operational' });
});
