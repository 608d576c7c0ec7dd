import fc from 'fast-check';
import { expect, test } from 'vitest';
import { formatDuration, formatUtc, monthLabel, resolveBuildTime, toIsoUtc } from './time.ts';

test('formats instants in UTC whatever the offset they were written with', () => {
  const d = new Date('2026-11-11T14:10:00+01:00');
  expect(formatUtc(d)).toBe('2026-11-11 13:10 UTC');
  expect(toIsoUtc(d)).toBe('2026-11-11T13:10:00Z');
});

test.each([
  [0, 'under 1 min'],
  [59_999, 'under 1 min'],
  [60_000, '1 min'],
  [3_600_000, '1 h'],
  [8_100_000, '2 h 15 min'],
  [90_000_000, '1 d 1 h'],
  [86_400_000 * 3, '3 d'],
])('formatDuration(%i) is "%s"', (ms, text) => {
  expect(formatDuration(ms)).toBe(text);
});

test('names months in English without using the locale', () => {
  expect(monthLabel('2026-02')).toBe('February 2026');
});

test('uses SOURCE_DATE_EPOCH when set and the clock otherwise', () => {
  expect(resolveBuildTime({ SOURCE_DATE_EPOCH: '1795262400' }).toISOString()).toBe('2026-11-21T12:00:00.000Z');
  const fixed = new Date('2030-01-01T00:00:00Z');
  expect(resolveBuildTime({}, () => fixed)).toBe(fixed);
  expect(() => resolveBuildTime({ SOURCE_DATE_EPOCH: 'yesterday' })).toThrowErrorMatchingInlineSnapshot(
    `[Error: SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, e.g. 1763700000; got "yesterday"]`,
  );
});

test('toIsoUtc drops the milliseconds for every year a Date can hold, five- and six-digit years included', () => {
  fc.assert(
    fc.property(fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }), (d) => {
      expect(toIsoUtc(d)).toBe(d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    }),
    { seed: 16 },
  );
  expect(toIsoUtc(new Date('+012026-01-02T03:04:05.678Z'))).toBe('+012026-01-02T03:04:05Z');
});
