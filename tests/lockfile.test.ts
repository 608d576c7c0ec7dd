/**
 * The lockfile holds what every platform needs (issue 25). npm ci refuses a
 * lockfile that lacks an optional dependency some platform would install
 * ("Missing: @astrojs/compiler-binding-android-arm64@0.5.1 from lock file"),
 * and npm install on such a host rewrites package-lock.json, leaving a
 * production checkout dirty. npm records every platform's optional binding
 * when the lock is written on any host, so a missing entry means the lock was
 * edited or written by an older npm: this test names it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { missingOptionalEntries, type Lockfile } from './helpers/lockfile.ts';

describe('package-lock.json', () => {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lockfile;

  test('is lockfile version 3, which records every package under "packages"', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  test('has an entry for every optional dependency of every package, whatever platform it is for', () => {
    expect(missingOptionalEntries(lock)).toEqual([]);
  });

  test('the check names a missing platform binding (the lock of commit 8ff7daa lacked 16 such entries)', () => {
    const broken: Lockfile = {
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { astro: '^7' } },
        'node_modules/@astrojs/compiler': {
          version: '0.5.1',
          optionalDependencies: { '@astrojs/compiler-binding-linux-x64': '0.5.1', '@astrojs/compiler-binding-android-arm64': '0.5.1' },
        },
        'node_modules/@astrojs/compiler-binding-linux-x64': { version: '0.5.1', optional: true },
      },
    };
    expect(missingOptionalEntries(broken)).toEqual(['node_modules/@astrojs/compiler needs @astrojs/compiler-binding-android-arm64@0.5.1']);
  });
});
