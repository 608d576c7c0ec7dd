import { describe, expect, test } from 'vitest';
import { isReleaseId, recordLive, releaseId, releasesToPrune, rollbackTarget, shouldPrecompress, sortReleases } from './releases.ts';

const a = '20261121T110000Z-100';
const b = '20261121T120000Z-200';
const c = '20261121T120100Z-300';
const d = '20261121T120200Z-400';

describe('release ids', () => {
  test('a release id is the UTC time and a unique suffix, and sorts by time', () => {
    expect(releaseId(new Date('2026-11-21T12:00:00.999Z'), 4821)).toBe('20261121T120000Z-4821');
    expect(sortReleases([c, a, b])).toEqual([a, b, c]);
  });

  test('leftover folders and other names are not releases', () => {
    // A build killed mid-way leaves `<id>.tmp-<pid>`; the lock and state files sit beside releases.
    expect(sortReleases([`${b}.tmp-77`, 'publish.lock', '.DS_Store', b, 'current'])).toEqual([b]);
    expect(isReleaseId('20261121T120000Z-')).toBe(false);
  });
});

describe('which releases are kept', () => {
  test('the most recently live few are kept and older ones pruned', () => {
    expect(releasesToPrune([d, a, c, b], d, 2, [a, b, c, d])).toEqual([a, b]);
  });

  test('the live release is never pruned, even when it is old (after a rollback)', () => {
    expect(releasesToPrune([a, b, c, d], a, 2, [a])).toEqual([b, c, d]);
    expect(releasesToPrune([a, b, c, d], a, 2, [a, b, c, a])).toEqual([b, d]);
  });

  test('a folder that was never live (a failed or killed publish) is pruned', () => {
    expect(releasesToPrune([a, b, c], b, 5, [a, b])).toEqual([c]);
  });

  test('at least one release is always kept', () => {
    expect(releasesToPrune([a, b], undefined, 0, [a, b])).toEqual([a]);
  });
});

describe('rollback goes to the release that was live before, by the recorded history', () => {
  test('back one step, then another', () => {
    const first = rollbackTarget([a, b, c, d], [a, b, c, d], d);
    expect(first).toEqual({ to: c, history: [a, b, c] });
    expect(rollbackTarget(first!.history, [a, b, c, d], c)).toEqual({ to: b, history: [a, b] });
  });

  test('never to a release that was not live (a killed publish left d behind), whatever its name says', () => {
    // Issue 22, defect 5: by folder name, d looked like the newest release.
    expect(rollbackTarget([a, b, c], [a, b, c, d], c)).toEqual({ to: b, history: [a, b] });
  });

  test('after the clock stepped back, the previous live release is found although its name is "newer"', () => {
    // c went live first, then the clock stepped back and a went live.
    expect(rollbackTarget([c, a], [a, c], a)).toEqual({ to: c, history: [c] });
  });

  test('skips releases pruned from disk, and has nowhere to go from the first one', () => {
    expect(rollbackTarget([a, b, c], [a, c], c)).toEqual({ to: a, history: [a] });
    expect(rollbackTarget([a], [a], a)).toBeUndefined();
    expect(rollbackTarget([], [a, b], undefined)).toBeUndefined();
  });

  test('recording the same release twice keeps one entry', () => {
    expect(recordLive(recordLive([a], b), b)).toEqual([a, b]);
  });
});

describe('precompression', () => {
  test.each([
    ['index.html', 5000, true],
    ['feeds/all.atom', 5000, true],
    ['feeds/all.xml', 5000, true],
    ['maintenance.ics', 5000, true],
    ['api/v2/summary.json', 5000, true],
    ['badges/status.svg', 1000, true],
    ['_astro/Base.BJfLOIdi.css', 9000, true],
    // Too small to gain a packet.
    ['api/outage.json', 2, false],
    // Already compressed formats.
    ['_astro/logo.png', 9000, false],
    ['fonts/x.woff2', 9000, false],
  ])('%s of %i bytes: %s', (path, bytes, expected) => {
    expect(shouldPrecompress(path, bytes)).toBe(expected);
  });
});
