import { expect, test } from 'vitest';
import { seededRandom } from './random.ts';

test('the same seed gives the same numbers, all in [0, 1)', () => {
  const a = seededRandom(1000);
  const b = seededRandom(1000);
  const xs = Array.from({ length: 1000 }, () => a());
  expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
  expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  expect(seededRandom(1001)()).not.toBe(xs[0]);
});
