/**
 * A bounded window of sends in flight: starts `start(item)` for items in
 * order while fewer than `size` are unconfirmed, and calls `confirmed(item)`
 * as each one resolves. This is what turns one round trip per entry into
 * one round trip per window (issue 23) while keeping the server's queue,
 * and what a failure can cost, bounded.
 *
 * On the first rejection no new item starts; the ones already in flight
 * settle (their confirmations are still reported, so nothing confirmed is
 * sent again), then the first error is thrown.
 * @example await inWindow(entries, 64, (e) => publish(e), (e) => journal(e))
 */
export async function inWindow<T>(items: readonly T[], size: number, start: (item: T) => Promise<unknown>, confirmed: (item: T) => void): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for (const item of items) {
    if (failure) break;
    const p: Promise<void> = start(item).then(
      () => confirmed(item),
      (error: unknown) => {
        failure ??= { error };
      },
    );
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= Math.max(1, size)) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
}
