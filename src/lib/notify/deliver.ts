/**
 * Sends every pending entry to every channel, at least once and in order:
 * a send is recorded (by `record`, an atomic append) only after the channel
 * confirmed it, so a crash in between resends that one entry with the same
 * id. Channels run side by side; one that fails is retried with backoff and
 * then given up until the next run, and never holds up the others.
 * Time, sleeping and storage are passed in, so this module does no I/O.
 */
import type { DeliveryState, StateRecord } from './delivery-state.ts';
import { planChannel } from './delivery-state.ts';

export interface Channel<E extends { id: string; title: string }> {
  /** e.g. `pubsub:status`, `contact`, `room`, `email`, `webhook:ops` */
  key: string;
  /** Where it goes, for logs, e.g. `pubsub.jabber.org node "status"`. */
  target: string;
  /** Whether this channel carries the entry (per-component nodes carry only theirs). */
  accepts(entry: E): boolean;
  /** Connects; called before the first send and again after a failure. */
  open(): Promise<void>;
  /** Resolves only once the receiver has the entry (an IQ result, an SMTP 250, an HTTP 2xx). */
  send(entry: E): Promise<void>;
  /**
   * Optional pipelined form of `send`: sends `entries` in order with several
   * in flight and calls `confirmed(entry)` as each one's confirmation
   * arrives, so one round trip is not paid per entry. Rejects on the first
   * failure, after the confirmations still in flight have settled; the
   * entries it did not confirm are retried.
   */
  sendAll?(entries: readonly E[], confirmed: (entry: E) => void): Promise<void>;
  close(): Promise<void>;
}

export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Pause before retry `n` (1-based): doubling from the first delay, capped. */
export function backoffMs(policy: RetryPolicy, n: number): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (n - 1));
}

export interface ChannelReport {
  channel: string;
  target: string;
  firstRun: boolean;
  /** Entries marked delivered without sending (first run). */
  baseline: number;
  sent: number;
  /** Retries that later succeeded. */
  retried: number;
  /** Entries still pending after this run. */
  pending: number;
  /** Set when the channel gave up: on which entry, after how many tries, and why. */
  failure?: { entryId: string | null; attempts: number; reason: string };
  /** Milliseconds from the channel's first send to its last confirmation. */
  ms: number;
}

export interface DeliverOptions<E extends { id: string; title: string }> {
  /** All entries, oldest first. */
  entries: readonly E[];
  channels: readonly Channel<E>[];
  state: DeliveryState;
  /** Stores records durably (one atomic append); called after each confirmed send. */
  record(records: StateRecord[]): void;
  /** Newest entries each channel sends on its first run, e.g. `0`. */
  backfill?: number;
  retry: RetryPolicy;
  now(): Date;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
  /** Called between a confirmed send and its record (tests stop the process here). */
  afterSend?(channel: string, entry: E): void;
}

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 300);

async function runChannel<E extends { id: string; title: string }>(channel: Channel<E>, o: DeliverOptions<E>): Promise<ChannelReport> {
  const accepted = o.entries.filter((e) => channel.accepts(e));
  const plan = planChannel(o.state, channel.key, accepted, o.backfill ?? 0);
  const report: ChannelReport = {
    channel: channel.key,
    target: channel.target,
    firstRun: plan.firstRun,
    baseline: plan.baseline.length,
    sent: 0,
    retried: 0,
    pending: plan.pending.length,
    ms: 0,
  };
  if (plan.firstRun) {
    const at = o.now().toISOString();
    o.record([
      { v: 1, channel: channel.key, how: 'start', at },
      ...plan.baseline.map((id) => ({ v: 1 as const, channel: channel.key, how: 'baseline' as const, id, at })),
    ]);
    if (plan.baseline.length) o.log(`${channel.key}: first run, ${plan.baseline.length} earlier entries marked as delivered without sending`);
  }
  // A first run opens the channel even with nothing to send: it creates the
  // node or room people subscribe to, and a wrong setting shows up at once.
  if (plan.pending.length === 0 && !plan.firstRun) return report;

  let open = false;
  const started = o.now().getTime();
  try {
    if (plan.pending.length === 0) {
      for (let attempt = 1; !open; attempt++) {
        try {
          await channel.open();
          open = true;
        } catch (err) {
          await channel.close().catch(() => undefined);
          if (attempt >= o.retry.attempts) {
            report.failure = { entryId: null, attempts: attempt, reason: reasonOf(err) };
            o.log(`${channel.key}: FAILED to set up after ${attempt} tries: ${report.failure.reason}`);
            return report;
          }
          await o.sleep(backoffMs(o.retry, attempt));
        }
      }
    }
    const recordSent = (entry: E) => {
      o.afterSend?.(channel.key, entry);
      o.record([{ v: 1, channel: channel.key, how: 'sent', id: entry.id, at: o.now().toISOString() }]);
      report.sent++;
      report.pending--;
    };
    let left = [...plan.pending];
    for (let attempt = 1; left.length > 0; attempt++) {
      const done = new Set<string>();
      try {
        if (!open) {
          await channel.open();
          open = true;
        }
        if (channel.sendAll) {
          await channel.sendAll(left, (entry) => {
            done.add(entry.id);
            recordSent(entry);
          });
        } else {
          for (const entry of left) {
            await channel.send(entry);
            done.add(entry.id);
            recordSent(entry);
          }
        }
        left = [];
      } catch (err) {
        const reason = reasonOf(err);
        const failed = left.find((e) => !done.has(e.id))!;
        left = left.filter((e) => !done.has(e.id));
        // Progress resets the count: the retry budget is per entry, as before.
        if (done.size > 0) attempt = 1;
        open = false;
        await channel.close().catch(() => undefined);
        if (attempt >= o.retry.attempts) {
          report.failure = { entryId: failed.id, attempts: attempt, reason };
          o.log(`${channel.key}: FAILED after ${attempt} tries on ${failed.id}: ${reason}; ${report.pending} entries left for the next run`);
          return report;
        }
        const pause = backoffMs(o.retry, attempt);
        o.log(`${channel.key}: try ${attempt} of ${o.retry.attempts} failed on ${failed.id}: ${reason}; retrying in ${pause} ms`);
        report.retried++;
        await o.sleep(pause);
      }
    }
  } finally {
    report.ms = o.now().getTime() - started;
    if (open) await channel.close().catch(() => undefined);
  }
  return report;
}

/** Runs every channel to completion (or to giving up); never rejects. */
export async function deliver<E extends { id: string; title: string }>(o: DeliverOptions<E>): Promise<ChannelReport[]> {
  return Promise.all(
    o.channels.map((c) =>
      runChannel(c, o).catch((err: unknown) => {
        // Only a failing `record` (the disk) lands here: stop that channel, say why.
        const reason = reasonOf(err);
        o.log(`${c.key}: FAILED: ${reason}`);
        return {
          channel: c.key,
          target: c.target,
          firstRun: false,
          baseline: 0,
          sent: 0,
          retried: 0,
          pending: 0,
          failure: { entryId: null, attempts: 1, reason },
          ms: 0,
        } satisfies ChannelReport;
      }),
    ),
  );
}

/** What a dry run prints: per channel, what would be marked and sent. */
export function describePlan<E extends { id: string; title: string }>(
  entries: readonly E[],
  channels: readonly Pick<Channel<E>, 'key' | 'target' | 'accepts'>[],
  state: DeliveryState,
  backfill = 0,
): string {
  const lines: string[] = [];
  for (const c of channels) {
    const plan = planChannel(
      state,
      c.key,
      entries.filter((e) => c.accepts(e)),
      backfill,
    );
    lines.push(
      `${c.key} → ${c.target}: ${plan.pending.length} to send${plan.firstRun ? `, first run: ${plan.baseline.length} earlier entries would be marked as delivered` : ''}`,
    );
    for (const e of plan.pending) lines.push(`  would send ${e.id}  ${e.title}`);
  }
  return lines.join('\n');
}
