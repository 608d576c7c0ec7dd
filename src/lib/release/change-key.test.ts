import { describe, expect, test } from 'vitest';
import { changeKey, clockInputs, clockState, describeChanges, type ChangeParts } from './change-key.ts';

const at = (iso: string) => new Date(iso);
const parts: ChangeParts = { content: 'c1', code: 'k1', sources: 's1', clock: 'day=2026-11-21;passed=0;minute=-' };

describe('clock state', () => {
  const start = at('2026-11-21T14:00:00Z');
  const end = at('2026-11-21T16:00:00Z');
  const quiet = (iso: string) => clockState({ now: at(iso), boundaries: [start, end], ticking: false });

  test('stays the same within a day when nothing is ongoing and no boundary is passed', () => {
    expect(quiet('2026-11-21T12:00:00Z')).toBe(quiet('2026-11-21T13:59:59Z'));
  });

  test('changes when a maintenance window starts and when it ends', () => {
    // upcoming → in progress → completed: each is a different page.
    expect(quiet('2026-11-21T13:59:59Z')).not.toBe(quiet('2026-11-21T14:00:00Z'));
    expect(quiet('2026-11-21T15:59:59Z')).not.toBe(quiet('2026-11-21T16:00:00Z'));
    expect(quiet('2026-11-21T14:00:00Z')).toBe('day=2026-11-21;passed=1;minute=-');
  });

  test('changes at midnight UTC ("today\'s update", the calendar, the month)', () => {
    expect(quiet('2026-11-21T23:59:59Z')).not.toBe(quiet('2026-11-22T00:00:00Z'));
  });

  test('changes every minute, and only every minute, while something ticks', () => {
    const ticking = (iso: string) => clockState({ now: at(iso), boundaries: [], ticking: true });
    expect(ticking('2026-11-21T12:00:01Z')).toBe(ticking('2026-11-21T12:00:59Z'));
    expect(ticking('2026-11-21T12:00:59Z')).not.toBe(ticking('2026-11-21T12:01:00Z'));
  });
});

describe('change key', () => {
  test('is equal for equal inputs', () => {
    expect(changeKey(parts)).toBe(changeKey({ ...parts }));
  });

  test.each(['content', 'code', 'sources', 'clock'] as const)('differs when %s differs', (name) => {
    expect(changeKey({ ...parts, [name]: 'other' })).not.toBe(changeKey(parts));
  });

  test('cannot be fooled by moving text from one part to the next', () => {
    expect(changeKey({ ...parts, content: 'ab', code: 'c' })).not.toBe(changeKey({ ...parts, content: 'a', code: 'bc' }));
  });
});

describe('what changed, for the log', () => {
  test('names each changed part, and the new clock state', () => {
    expect(describeChanges(parts, { ...parts, content: 'c2', clock: 'day=2026-11-22;passed=0;minute=-' })).toEqual([
      'content',
      'clock (day=2026-11-22;passed=0;minute=-)',
    ]);
  });

  test('is empty when nothing changed', () => {
    expect(describeChanges(parts, { ...parts })).toEqual([]);
  });

  test('says so when there was no previous release', () => {
    expect(describeChanges(undefined, parts)).toEqual(['no previous release']);
  });
});

describe('clock inputs from the content and the sources', () => {
  const now = at('2026-11-21T12:00:00Z');
  const base = { now, windows: [], unresolved: 0, sourceTimes: [], intervalSeconds: 60 };

  test('nothing ongoing and fresh data: nothing ticks', () => {
    expect(clockInputs({ ...base, sourceTimes: [at('2026-11-21T11:59:30Z')] }).ticking).toBe(false);
  });

  test('an unresolved incident ticks (its duration is shown)', () => {
    expect(clockInputs({ ...base, unresolved: 1 }).ticking).toBe(true);
  });

  test('a window in progress ticks; an upcoming one only sets boundaries', () => {
    const upcoming = { start: at('2026-11-21T14:00:00Z'), end: at('2026-11-21T15:00:00Z') };
    const running = { start: at('2026-11-21T11:00:00Z'), end: at('2026-11-21T13:00:00Z') };
    expect(clockInputs({ ...base, windows: [upcoming] })).toEqual({ now, boundaries: [upcoming.start, upcoming.end], ticking: false });
    expect(clockInputs({ ...base, windows: [running] }).ticking).toBe(true);
  });

  test('an update posted ahead is a boundary: the key changes when its time comes, even with nothing ticking', () => {
    const posted = at('2026-11-21T12:07:00Z');
    const before = clockState(clockInputs({ ...base, now: at('2026-11-21T12:06:59Z'), posts: [posted] }));
    const after = clockState(clockInputs({ ...base, now: at('2026-11-21T12:07:00Z'), posts: [posted] }));
    expect(before).not.toBe(after);
  });

  test('a source whose data goes stale sets the moment it does, and ticks once stale', () => {
    const fresh = clockInputs({ ...base, sourceTimes: [at('2026-11-21T11:59:00Z')] });
    expect(fresh.boundaries).toEqual([at('2026-11-21T12:01:00Z')]);
    // Rebuilt with the same summary three minutes later, the key has moved on.
    const later = clockInputs({ ...base, now: at('2026-11-21T12:02:00Z'), sourceTimes: [at('2026-11-21T11:59:00Z')] });
    expect(later.ticking).toBe(true);
    expect(clockState(later)).not.toBe(clockState(fresh));
  });
});
