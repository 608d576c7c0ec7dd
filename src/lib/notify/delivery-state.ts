/**
 * What each channel has delivered, as a journal of one JSON line per event:
 * `start` when a channel is first seen, `baseline` for history marked as
 * delivered without sending, `sent` after each successful send. Lines are
 * appended, never rewritten, so recording a send is one small write; a line
 * torn by a crash is ignored (that entry is sent again, with the same id).
 */

export interface StateRecord {
  v: 1;
  /** e.g. `pubsub:status`, `contact`, `room`, `email`, `webhook:ops` */
  channel: string;
  how: 'start' | 'baseline' | 'sent';
  /** The entry's permanent id; absent on `start`. */
  id?: string;
  /** When it was recorded, e.g. `2026-11-21T06:00:03.120Z`. */
  at: string;
}

export interface ChannelState {
  started: boolean;
  delivered: Set<string>;
}

export type DeliveryState = Map<string, ChannelState>;

export interface ParsedState {
  state: DeliveryState;
  /** Lines that were not a record (a torn last line after a crash); they are dropped. */
  skipped: number;
  /** True when the text does not end with a newline: the last line must be cut before appending. */
  tornTail: boolean;
}

function channelState(state: DeliveryState, channel: string): ChannelState {
  let s = state.get(channel);
  if (!s) state.set(channel, (s = { started: false, delivered: new Set() }));
  return s;
}

/** Applies records to the in-memory state. */
export function applyRecords(state: DeliveryState, records: readonly StateRecord[]): void {
  for (const r of records) {
    const s = channelState(state, r.channel);
    s.started = true;
    if (r.id !== undefined && r.how !== 'start') s.delivered.add(r.id);
  }
}

function isRecord(value: unknown): value is StateRecord {
  if (!value || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (
    r.v === 1 &&
    typeof r.channel === 'string' &&
    (r.how === 'start' || r.how === 'baseline' || r.how === 'sent') &&
    typeof r.at === 'string' &&
    (r.id === undefined || typeof r.id === 'string')
  );
}

/** Reads a journal; never throws, whatever the file holds. */
export function parseState(text: string): ParsedState {
  const state: DeliveryState = new Map();
  const lines = text.split('\n');
  const tornTail = text.length > 0 && !text.endsWith('\n');
  let skipped = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    if (isRecord(value)) applyRecords(state, [value]);
    else skipped++;
  }
  return { state, skipped, tornTail };
}

/** One line per record, each ending in a newline. */
export function serializeRecords(records: readonly StateRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/**
 * What a channel must do with `entries` (those it accepts, oldest first).
 * On its first run the existing history is marked as delivered, except the
 * newest `backfill` entries, which are sent; afterwards every entry it has
 * not delivered is sent, and an edited entry keeps its id, so it is not.
 * @param backfill e.g. `5`; ignored once the channel has run
 */
export function planChannel<T extends { id: string }>(
  state: DeliveryState,
  channel: string,
  entries: readonly T[],
  backfill = 0,
): { firstRun: boolean; baseline: string[]; pending: T[] } {
  const s = state.get(channel);
  if (s?.started) return { firstRun: false, baseline: [], pending: entries.filter((e) => !s.delivered.has(e.id)) };
  const keep = Math.max(0, entries.length - Math.max(0, backfill));
  return { firstRun: true, baseline: entries.slice(0, keep).map((e) => e.id), pending: entries.slice(keep) };
}
