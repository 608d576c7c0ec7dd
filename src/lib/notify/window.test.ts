import { describe, expect, test } from 'vitest';
import { inWindow } from './window.ts';

/** A send whose confirmation the test releases by hand. */
function manual() {
  const pending = new Map<number, { resolve(): void; reject(e: Error): void }>();
  const started: number[] = [];
  const start = (n: number) =>
    new Promise<void>((resolve, reject) => {
      started.push(n);
      pending.set(n, { resolve, reject });
    });
  return { pending, started, start };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('inWindow', () => {
  test('keeps at most the window size unconfirmed and starts the next one as soon as one confirms', async () => {
    const m = manual();
    const confirmed: number[] = [];
    const done = inWindow([1, 2, 3, 4, 5], 2, m.start, (n) => confirmed.push(n));
    await tick();
    expect(m.started).toEqual([1, 2]);
    m.pending.get(2)!.resolve();
    await tick();
    expect(m.started).toEqual([1, 2, 3]);
    for (const n of [1, 3, 4, 5]) {
      await tick();
      m.pending.get(n)!.resolve();
    }
    await done;
    expect(confirmed).toEqual([2, 1, 3, 4, 5]);
  });

  test('after a failure it starts nothing new, still reports what was confirmed in flight, and throws the failure', async () => {
    const m = manual();
    const confirmed: number[] = [];
    const done = inWindow([1, 2, 3, 4], 2, m.start, (n) => confirmed.push(n));
    await tick();
    m.pending.get(1)!.reject(new Error('refused 1'));
    await tick();
    m.pending.get(2)!.resolve();
    await expect(done).rejects.toThrow('refused 1');
    expect(m.started).toEqual([1, 2]);
    expect(confirmed).toEqual([2]);
  });
});
