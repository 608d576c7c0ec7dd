import { describe, expect, test } from 'vitest';
import { isoDay, parseInstant } from './instant.ts';

describe('parseInstant reads every instant exactly as Date.parse does', () => {
  test.each([
    // the summary's own forms, read by the fast path
    '2026-11-21T06:35:00Z',
    '2026-11-21T06:35:00.123Z',
    // fields out of range: Date.parse says NaN, and so must the fast path (month 13 used to roll over into next January)
    '2026-13-01T00:00:00Z',
    '2026-11-21T23:60:00Z',
    '2026-11-21T23:00:60Z',
    '2026-11-21T25:00:00Z',
    '2026-00-10T00:00:00Z',
    // what Date.parse accepts beyond the calendar, left to it
    '2026-02-30T00:00:00Z',
    '2026-11-21T24:00:00Z',
    // years below 100 and other forms
    '0099-01-01T00:00:00Z',
    '2026-11-21',
    'not a date',
  ])('%s', (iso) => {
    expect(Object.is(parseInstant(iso), Date.parse(iso))).toBe(true);
  });
});

test('isoDay is the UTC calendar day of an instant, whatever the time zone', () => {
  expect([isoDay(Date.UTC(2026, 10, 21, 23, 59, 59)), isoDay(Date.UTC(2026, 10, 22))]).toEqual(['2026-11-21', '2026-11-22']);
});
