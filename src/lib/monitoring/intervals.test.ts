import { describe, expect, test } from 'vitest';
import { currentRunStart, mergeIntervals } from './intervals.ts';

const I = (start: number, end: number) => ({ start, end });

describe('mergeIntervals with slack joins the pieces of one failure', () => {
  test('without slack only overlapping or touching intervals join', () => {
    expect(mergeIntervals([I(5, 6), I(0, 2), I(2, 3)])).toEqual([I(0, 3), I(5, 6)]);
  });
  test('with slack, pieces at most that far apart join (a failure cut at midnight stays one)', () => {
    expect(mergeIntervals([I(0, 10), I(12, 20), I(23, 30)], 2)).toEqual([I(0, 20), I(23, 30)]);
  });
});

describe('currentRunStart: since when the failure going on now has lasted', () => {
  const runs = [I(0, 10), I(30, 40), I(41, 50), I(52, 60)];
  test('walks back over pieces less than the slack apart', () => {
    expect(currentRunStart(runs, 61, 2)).toBe(30);
  });
  test('a run that ended more than the slack before now is not going on', () => {
    expect(currentRunStart(runs, 70, 2)).toBeUndefined();
  });
  test('nothing failing gives undefined', () => {
    expect(currentRunStart([], 70, 2)).toBeUndefined();
  });
});
