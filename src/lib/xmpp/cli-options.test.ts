import { expect, test } from 'vitest';
import { resolverOption, wholeNumberOption } from './cli-options.ts';

test.each([
  // raw, allowZero → result
  [undefined, false, { value: 7 }],
  ['250', false, { value: 250 }],
  ['0', true, { value: 0 }],
  ['0', false, { error: '--timeout must be a whole number above 0, got "0"' }],
  ['soon', false, { error: '--timeout must be a whole number above 0, got "soon"' }],
  ['-1', true, { error: '--timeout must be a whole number of 0 or more, got "-1"' }],
] as const)('--timeout %s (zero allowed: %s) gives %j', (raw, allowZero, result) => {
  expect(wholeNumberOption('timeout', raw, 7, allowZero)).toEqual(result);
});

test('a resolver is HOST:PORT or [IPv6]:PORT', () => {
  expect(resolverOption(undefined)).toBeUndefined();
  expect(resolverOption('127.0.0.1:53')).toBeUndefined();
  expect(resolverOption('[::1]:5353')).toBeUndefined();
  expect(resolverOption('localhost')).toEqual({ error: '--resolver must be HOST:PORT, e.g. 127.0.0.1:53, got "localhost"' });
});
