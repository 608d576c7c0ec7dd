import { describe, expect, test } from 'vitest';
import { digestOf, EMPTY_MEMORY, formatDuration, IDLE, judgePoll, publishEnded, wantPublish, type SourceMemory } from './follow-plan.ts';

const at = (iso: string) => new Date(iso);
const WHERE = 'ams (https://probe-ams.jabber.org/summary.json)';
const FIVE_MIN = 300_000;
const etagA = { etag: '"6750c2a1-1c3b"', lastModified: 'Fri, 04 Dec 2026 15:00:05 GMT' };
const etagB = { etag: '"6750c2dd-1c3b"', lastModified: 'Fri, 04 Dec 2026 15:01:05 GMT' };
const seen: SourceMemory = { validators: etagA, digest: digestOf('summary A') };

describe('judging a poll', () => {
  test('the first summary seen counts as new, so the watcher publishes once at start', () => {
    const judged = judgePoll(WHERE, EMPTY_MEMORY, { kind: 'body', digest: digestOf('summary A'), validators: etagA }, at('2026-12-04T15:00:06Z'), FIVE_MIN);
    expect(judged).toEqual({ memory: seen, changed: true });
  });

  test('a 304 is never new', () => {
    expect(judgePoll(WHERE, seen, { kind: 'not-modified', validators: {} }, at('2026-12-04T15:00:09Z'), FIVE_MIN)).toEqual({ memory: seen, changed: false });
  });

  test('a body with other bytes is new, and its validators are sent next time', () => {
    const judged = judgePoll(WHERE, seen, { kind: 'body', digest: digestOf('summary B'), validators: etagB }, at('2026-12-04T15:01:06Z'), FIVE_MIN);
    expect(judged.changed).toBe(true);
    expect(judged.memory.validators).toEqual(etagB);
  });

  test('a body with the same bytes under a new ETag (the file rewritten unchanged) is not new', () => {
    const judged = judgePoll(WHERE, seen, { kind: 'body', digest: digestOf('summary A'), validators: etagB }, at('2026-12-04T15:01:06Z'), FIVE_MIN);
    expect(judged.changed).toBe(false);
    expect(judged.memory.validators).toEqual(etagB);
  });
});

describe('a source that does not answer', () => {
  const down = (memory: SourceMemory, iso: string) =>
    judgePoll(WHERE, memory, { kind: 'unreachable', problem: 'connect ECONNREFUSED 192.0.2.7:443' }, at(iso), FIVE_MIN);

  test('is said at once, as a sentence with what to check, and does not publish', () => {
    const first = down(seen, '2026-12-04T15:00:00Z');
    expect(first.changed).toBe(false);
    expect(first.say).toMatchInlineSnapshot(
      `"Could not poll ams (https://probe-ams.jabber.org/summary.json): connect ECONNREFUSED 192.0.2.7:443. The site keeps showing its last good copy until it is too old, then "unknown", and the admins get the stale-source alert. Check the probe host: its nginx and jabber-status-probe.timer (systemctl status jabber-status-probe.timer)."`,
    );
  });

  test('is not said again at every poll, only every repeat period, with how long it has lasted', () => {
    let memory = down(seen, '2026-12-04T15:00:00Z').memory;
    const quiet = down(memory, '2026-12-04T15:04:57Z');
    expect(quiet.say).toBeUndefined();
    memory = quiet.memory;
    const again = down(memory, '2026-12-04T15:05:00Z');
    expect(again.say).toContain('connect ECONNREFUSED 192.0.2.7:443. It has not answered for 5 min 0 s. The site keeps');
    expect(down(again.memory, '2026-12-04T15:05:03Z').say).toBeUndefined();
  });

  test('is said to answer again when it does, and the summary it sends is judged as usual', () => {
    const memory = down(down(seen, '2026-12-04T15:00:00Z').memory, '2026-12-04T15:01:00Z').memory;
    const back = judgePoll(WHERE, memory, { kind: 'body', digest: digestOf('summary B'), validators: etagB }, at('2026-12-04T15:03:12Z'), FIVE_MIN);
    expect(back.say).toBe('ams (https://probe-ams.jabber.org/summary.json) answers again after 3 min 12 s.');
    expect(back.changed).toBe(true);
    expect(back.memory).toEqual({ validators: etagB, digest: digestOf('summary B') });
    const back304 = judgePoll(WHERE, memory, { kind: 'not-modified', validators: {} }, at('2026-12-04T15:00:30Z'), FIVE_MIN);
    expect(back304).toEqual({ memory: seen, changed: false, say: 'ams (https://probe-ams.jabber.org/summary.json) answers again after 30 s.' });
  });
});

describe('running the publish command', () => {
  test('starts at once when none runs', () => {
    expect(wantPublish(IDLE, 'new summary from ams')).toEqual({
      state: { running: true, pending: [], retrying: false },
      start: { reasons: ['new summary from ams'], delayMs: 0 },
    });
  });

  test('never starts a second one while one runs; changes wait, each reason once', () => {
    let state = wantPublish(IDLE, 'new summary from ams').state;
    for (const reason of ['new summary from fra', 'new summary from ams', 'new summary from fra', 'new summary from nyc']) {
      const step = wantPublish(state, reason);
      expect(step.start).toBeUndefined();
      state = step.state;
    }
    expect(state.pending).toEqual(['new summary from fra', 'new summary from ams', 'new summary from nyc']);
  });

  test('a burst of changes during a run gives exactly one more run, then nothing', () => {
    let state = wantPublish(IDLE, 'new summary from ams').state;
    state = wantPublish(state, 'new summary from fra').state;
    state = wantPublish(state, 'new summary from nyc').state;
    const first = publishEnded(state, true, ['new summary from ams'], 5000);
    expect(first.start).toEqual({ reasons: ['new summary from fra', 'new summary from nyc'], delayMs: 0 });
    const second = publishEnded(first.state, true, first.start!.reasons, 5000);
    expect(second).toEqual({ state: IDLE });
  });

  test('a failed run is tried once more after a pause, and a second failure is left to the next change', () => {
    const state = wantPublish(IDLE, 'new summary from ams').state;
    const failed = publishEnded(state, false, ['new summary from ams'], 5000);
    expect(failed.start).toEqual({ reasons: ['retry after a failed publish', 'new summary from ams'], delayMs: 5000 });
    expect(publishEnded(failed.state, false, failed.start!.reasons, 5000)).toEqual({ state: IDLE });
    // After a success the retry is armed again.
    const ok = publishEnded(failed.state, true, failed.start!.reasons, 5000);
    expect(ok).toEqual({ state: IDLE });
    expect(publishEnded(wantPublish(ok.state, 'new summary from fra').state, false, ['new summary from fra'], 5000).start?.delayMs).toBe(5000);
  });

  test('changes that came during a failed run run at once, without the pause', () => {
    let state = wantPublish(IDLE, 'new summary from ams').state;
    state = wantPublish(state, 'new summary from fra').state;
    expect(publishEnded(state, false, ['new summary from ams'], 5000).start).toEqual({ reasons: ['new summary from fra'], delayMs: 0 });
  });
});

test.each([
  // under a minute
  [45_000, '45 s'],
  [59_499, '59 s'],
  // minutes and seconds
  [192_000, '3 min 12 s'],
  // hours and minutes
  [3_900_000, '1 h 5 min'],
])('%i ms reads "%s"', (ms, words) => {
  expect(formatDuration(ms)).toBe(words);
});
