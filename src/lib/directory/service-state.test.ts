import { describe, expect, test } from 'vitest';
import { deriveServiceState, testingEnd, type StateInput } from './service-state.ts';

const DAY = 86_400_000;
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
/** Continuous data from `from` to `to`. */
const data = (from: string, to: string) => [{ start: t(from), end: t(to) }];

function input(parts: Partial<StateInput> & { now: string }): [StateInput, number] {
  const now = t(parts.now);
  return [
    {
      applied: '2026-09-01',
      testingDays: 30,
      graceDays: 7,
      covered: data('2026-09-02T00:00:00Z', parts.now),
      itemDown: new Map(),
      failingNow: [],
      windowFrom: now - 90 * DAY,
      ...parts,
    },
    now,
  ];
}
const changes = (s: ReturnType<typeof deriveServiceState>) =>
  s.changes.map(
    (c) => `${iso(c.at)} ${c.from ?? '—'} → ${c.to}${c.failing.length ? ` (${c.failing.map((f) => `${f.id} since ${iso(f.since)}`).join(', ')})` : ''}`,
  );

describe('testing → listed after 30 days of data', () => {
  test('a new service is in testing with the days still needed', () => {
    const s = deriveServiceState(...input({ now: '2026-09-20T00:00:00Z' }));
    expect(s).toMatchObject({ state: 'testing', testingDaysLeft: 12, testingEnded: null });
  });

  test('the day its 30 days of data are complete it is listed, and the change is dated then', () => {
    const s = deriveServiceState(...input({ now: '2026-10-05T00:00:00Z' }));
    expect(s.state).toBe('listed');
    expect(changes(s)).toEqual(['2026-09-01T00:00:00.000Z — → testing', '2026-10-02T00:00:00.000Z testing → listed']);
  });

  test('a gap in the data does not count towards the testing period', () => {
    const covered = [
      { start: t('2026-09-02T00:00:00Z'), end: t('2026-09-12T00:00:00Z') },
      { start: t('2026-09-22T00:00:00Z'), end: t('2026-10-05T00:00:00Z') },
    ];
    expect(testingEnd(covered, 30)).toBeNull();
    expect(iso(testingEnd([covered[0]!, { start: t('2026-09-22T00:00:00Z'), end: t('2026-10-30T00:00:00Z') }], 30)!)).toBe('2026-10-12T00:00:00.000Z');
    expect(deriveServiceState(...input({ now: '2026-10-05T00:00:00Z', covered }))).toMatchObject({ state: 'testing', testingDaysLeft: 7 });
  });

  test('a service that still fails an item when testing ends is failing at once, without a grace period', () => {
    const s = deriveServiceState(...input({ now: '2026-10-05T00:00:00Z', failingNow: [{ id: 'c2s', since: t('2026-09-02T00:00:00Z') }] }));
    expect(s.state).toBe('failing');
    expect(changes(s)).toEqual(['2026-09-01T00:00:00.000Z — → testing', '2026-10-02T00:00:00.000Z testing → failing (c2s since 2026-09-02T00:00:00.000Z)']);
  });
});

describe('listed → failing after the grace period, and back', () => {
  const down = new Map([['s2s' as const, [{ start: t('2026-11-01T06:00:00Z'), end: t('2026-11-12T06:00:00Z') }]]]);

  test('a failure shorter than the grace period leaves the service listed, naming the item', () => {
    const s = deriveServiceState(...input({ now: '2026-11-05T00:00:00Z', itemDown: down, failingNow: [{ id: 's2s', since: t('2026-11-01T06:00:00Z') }] }));
    expect(s.state).toBe('listed');
    expect(s.failing).toEqual([{ id: 's2s', since: t('2026-11-01T06:00:00Z') }]);
  });

  test('past the grace period it is failing, since the moment the grace ran out', () => {
    const s = deriveServiceState(...input({ now: '2026-11-10T00:00:00Z', itemDown: down, failingNow: [{ id: 's2s', since: t('2026-11-01T06:00:00Z') }] }));
    expect(s.state).toBe('failing');
    expect(iso(s.since)).toBe('2026-11-08T06:00:00.000Z');
  });

  test('when the item passes again it returns to listed, and every change is kept for the feed', () => {
    const s = deriveServiceState(...input({ now: '2026-11-20T00:00:00Z', itemDown: down }));
    expect(s.state).toBe('listed');
    expect(changes(s)).toEqual([
      '2026-09-01T00:00:00.000Z — → testing',
      '2026-10-02T00:00:00.000Z testing → listed',
      '2026-11-08T06:00:00.000Z listed → failing (s2s since 2026-11-01T06:00:00.000Z)',
      '2026-11-12T06:00:00.000Z failing → listed',
    ]);
  });

  test('the same data gives the same change instants at a later now (feed ids stay stable)', () => {
    const a = deriveServiceState(...input({ now: '2026-11-20T00:00:00Z', itemDown: down }));
    const b = deriveServiceState(...input({ now: '2026-11-21T00:00:00Z', itemDown: down }));
    expect(b.changes.map((c) => c.at)).toEqual(a.changes.map((c) => c.at));
  });
});

describe('withdrawn', () => {
  test('a withdrawn date that has come overrides everything else', () => {
    const s = deriveServiceState(
      ...input({ now: '2026-11-20T00:00:00Z', withdrawn: '2026-11-15', failingNow: [{ id: 'tls', since: t('2026-10-01T00:00:00Z') }] }),
    );
    expect(s).toMatchObject({ state: 'withdrawn', since: t('2026-11-15T00:00:00Z') });
  });

  test('a withdrawn date still to come changes nothing yet', () => {
    expect(deriveServiceState(...input({ now: '2026-11-10T00:00:00Z', withdrawn: '2026-11-15' })).state).toBe('listed');
  });
});

test('a service older than the 90-day window finished its testing period long ago: the sliding window does not move it', () => {
  const [inp, now] = input({ now: '2026-11-21T12:00:00Z', applied: '2025-01-10', covered: data('2026-08-23T12:00:00Z', '2026-11-21T12:00:00Z') });
  const s = deriveServiceState(inp, now);
  expect(s.state).toBe('listed');
  expect(iso(s.testingEnded!)).toBe('2025-02-09T00:00:00.000Z');
  expect(changes(s)).toEqual([`${iso(inp.windowFrom)} — → listed`]);
});
