import { describe, expect, test } from 'vitest';
import { backoffMs, deliver, type Channel } from './deliver.ts';
import { applyRecords, parseState, planChannel, serializeRecords, type DeliveryState, type StateRecord } from './delivery-state.ts';

const entries = ['a', 'b', 'c', 'd'].map((id) => ({ id, title: `Entry ${id}` }));
type E = (typeof entries)[number];

function fakeChannel(key: string, failures: Record<string, number> = {}): Channel<E> & { sent: string[]; opens: number } {
  const left = { ...failures };
  const c = {
    key,
    target: key,
    sent: [] as string[],
    opens: 0,
    accepts: () => true,
    async open() {
      c.opens++;
    },
    async send(e: E) {
      if ((left[e.id] ?? 0) > 0) {
        left[e.id]!--;
        throw new Error(`refused ${e.id}`);
      }
      c.sent.push(e.id);
    },
    async close() {},
  };
  return c;
}

function run(channels: Channel<E>[], state: DeliveryState, backfill?: number) {
  const records: StateRecord[] = [];
  const log: string[] = [];
  const pauses: number[] = [];
  const done = deliver({
    entries,
    channels,
    state,
    record: (r) => {
      records.push(...r);
      applyRecords(state, r);
    },
    ...(backfill !== undefined ? { backfill } : {}),
    retry: { attempts: 3, firstDelayMs: 100, maxDelayMs: 150 },
    now: () => new Date('2026-11-21T06:00:00Z'),
    sleep: async (ms) => void pauses.push(ms),
    log: (l) => log.push(l),
  });
  return done.then((reports) => ({ reports, records, log, pauses }));
}

describe('deliver', () => {
  test('a first run marks history as delivered and sends only the newest --backfill entries', async () => {
    const state: DeliveryState = new Map();
    const c = fakeChannel('email');
    const { reports } = await run([c], state, 1);
    expect(c.sent).toEqual(['d']);
    expect(reports[0]).toMatchObject({ firstRun: true, baseline: 3, sent: 1, pending: 0 });
    const again = fakeChannel('email');
    await run([again], state);
    expect(again.sent).toEqual([]);
    expect(again.opens).toBe(0);
  });

  test('a failing channel is retried with backoff, then given up without holding up the others', async () => {
    const state = parseState(
      serializeRecords([
        { v: 1, channel: 'room', how: 'start', at: 'x' },
        { v: 1, channel: 'email', how: 'start', at: 'x' },
      ]),
    ).state;
    const room = fakeChannel('room', { b: 5 });
    const email = fakeChannel('email', { c: 1 });
    const { reports, log, pauses } = await run([room, email], state);
    expect(room.sent).toEqual(['a']);
    expect(reports[0]!.failure).toEqual({ entryId: 'b', attempts: 3, reason: 'refused b' });
    expect(reports[0]!.pending).toBe(3);
    expect(email.sent).toEqual(['a', 'b', 'c', 'd']);
    expect(reports[1]).toMatchObject({ sent: 4, retried: 1 });
    expect(pauses.sort()).toEqual([100, 100, 150]);
    expect(log.find((l) => l.startsWith('room: FAILED'))).toBe('room: FAILED after 3 tries on b: refused b; 3 entries left for the next run');
    // The next run starts where the failure stopped.
    const retry = fakeChannel('room');
    await run([retry], state);
    expect(retry.sent).toEqual(['b', 'c', 'd']);
  });

  test('a send is recorded only after it is confirmed', async () => {
    const state = parseState('{"v":1,"channel":"email","how":"start","at":"x"}\n').state;
    const c = fakeChannel('email', { a: 3 });
    const { records } = await run([c], state);
    expect(records.filter((r) => r.how === 'sent')).toEqual([]);
  });

  test('backoff doubles from the first delay up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs({ attempts: 5, firstDelayMs: 2000, maxDelayMs: 5000 }, n))).toEqual([2000, 4000, 5000, 5000]);
  });
});

describe('the journal', () => {
  test('a torn last line (a crash mid-write) is dropped and flagged, and its entry counts as not delivered', () => {
    const text =
      serializeRecords([
        { v: 1, channel: 'email', how: 'start', at: 'x' },
        { v: 1, channel: 'email', how: 'sent', id: 'a', at: 'x' },
      ]) + '{"v":1,"channel":"email","how":"sent","id":"b"';
    const parsed = parseState(text);
    expect(parsed.tornTail).toBe(true);
    expect(parsed.skipped).toBe(1);
    expect(planChannel(parsed.state, 'email', entries).pending.map((e) => e.id)).toEqual(['b', 'c', 'd']);
  });
});

describe('deliver with a pipelined channel', () => {
  test('records each entry the channel confirmed, and after a failure resends only the unconfirmed ones', async () => {
    const state: DeliveryState = new Map([['room', { started: true, delivered: new Set<string>() }]]);
    const calls: string[][] = [];
    let failOnce = true;
    const channel: Channel<E> = {
      key: 'room',
      target: 'room',
      accepts: () => true,
      async open() {},
      async send() {
        throw new Error('sendAll is used instead');
      },
      async sendAll(list, confirmed) {
        calls.push(list.map((e) => e.id));
        for (const e of list) {
          // The first attempt confirms a and c, then loses b's confirmation (d never goes out).
          if (failOnce && e.id === 'b') continue;
          if (failOnce && e.id === 'd') {
            failOnce = false;
            throw new Error('no reflection of b within 15 s');
          }
          confirmed(e);
        }
      },
      async close() {},
    };
    const { reports, records, log } = await run([channel], state);
    expect(calls).toEqual([
      ['a', 'b', 'c', 'd'],
      ['b', 'd'],
    ]);
    expect(records.filter((r) => r.how === 'sent').map((r) => r.id)).toEqual(['a', 'c', 'b', 'd']);
    expect(reports[0]).toMatchObject({ sent: 4, retried: 1, pending: 0 });
    expect(log).toEqual(['room: try 1 of 3 failed on b: no reflection of b within 15 s; retrying in 100 ms']);
  });
});
