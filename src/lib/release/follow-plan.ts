/**
 * What the watcher (`npm run publish:follow`, follow-io.ts, issue 28) does
 * next, decided without I/O: whether a poll of a monitoring source found a
 * new summary, what to say in the log about a source that stopped or
 * started answering, and when to run the publish command. The build host
 * used to publish at a fixed second each minute, so a new summary waited up
 * to a minute for it; the watcher polls every few seconds with conditional
 * requests and publishes as soon as one changed.
 *
 * The publish rule: never two publishes at once; a change that arrives
 * while one runs is remembered, and all such changes together cause exactly
 * one more run when it ends. A run that failed (another publish held the
 * lock, say the safety-net timer's) is tried once more after a pause.
 *
 * Pure: the caller passes `now` and the poll results.
 */
import { createHash } from 'node:crypto';

/** The validators a server sent with a summary, e.g. `{ etag: '"6750c2a1-1c3b"' }`. */
export interface SourceValidators {
  /** e.g. `"6750c2a1-1c3b"` (nginx: the file's modification time and size, in hex) */
  etag?: string;
  /** e.g. `Wed, 04 Dec 2026 15:00:05 GMT` */
  lastModified?: string;
}

/** What one poll of one source found. */
export type PollResult =
  /** The server answered 304: nothing newer than the validators sent. */
  | { kind: 'not-modified'; validators: SourceValidators }
  /** A body (HTTP 200, or a file read from disk), with a digest of its bytes. */
  | { kind: 'body'; digest: string; validators: SourceValidators }
  /** No usable answer, e.g. `connect ECONNREFUSED 192.0.2.7:443` or `HTTP 503`. */
  | { kind: 'unreachable'; problem: string };

/** What the watcher remembers of one source between polls. */
export interface SourceMemory {
  /** The validators of the last body, sent with the next request. */
  validators: SourceValidators;
  /** Digest of the last body seen; undefined before the first. */
  digest?: string;
  /** Since when the source has not answered, while it does not. */
  unreachableSince?: Date;
  /** When the log last said so, to repeat it every `repeatMs` and no more often. */
  lastSaid?: Date;
}

/** A fresh memory: nothing seen yet, so the first body counts as new. */
export const EMPTY_MEMORY: SourceMemory = { validators: {} };

/** A digest of a summary's bytes, e.g. `sha256:3f1c…`. */
export function digestOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export interface Judged {
  memory: SourceMemory;
  /** True when the poll found a summary that differs from the last one seen (or the first one). */
  changed: boolean;
  /** A sentence for the log, when there is something to say. */
  say?: string;
}

/** A duration in the words of the log, e.g. `3 min 12 s`, `45 s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * Compares a poll's result with what was seen before.
 *
 * A body counts as new when its bytes differ from the last body's, not
 * when only its validators do: nginx's ETag is the file's modification
 * time and size, which change whenever the probe rewrites the file, and a
 * rewrite with the same bytes changes nothing on the page. A 304 never
 * counts as new.
 *
 * A source that stops answering is said once, then again every `repeatMs`
 * while it lasts, and once more when it answers again. It does not start a
 * publish: the build keeps the last good copy, and the page and the admins'
 * stale-source alert say when it gets old.
 * @param where the source as the log names it, e.g. `ams (https://probe-ams.jabber.org/summary.json)`
 * @param repeatMs e.g. 300_000 (5 minutes)
 */
export function judgePoll(where: string, memory: SourceMemory, result: PollResult, now: Date, repeatMs: number): Judged {
  if (result.kind === 'unreachable') {
    const since = memory.unreachableSince ?? now;
    const first = memory.unreachableSince === undefined;
    const due = first || memory.lastSaid === undefined || now.getTime() - memory.lastSaid.getTime() >= repeatMs;
    const next: SourceMemory = { ...memory, unreachableSince: since, ...(due ? { lastSaid: now } : {}) };
    if (!due) return { memory: next, changed: false };
    const lasting = first ? '' : ` It has not answered for ${formatDuration(now.getTime() - since.getTime())}.`;
    return {
      memory: next,
      changed: false,
      say:
        `Could not poll ${where}: ${result.problem}.${lasting} The site keeps showing its last good copy until it is too old, ` +
        `then "unknown", and the admins get the stale-source alert. Check the probe host: its nginx and jabber-status-probe.timer (systemctl status jabber-status-probe.timer).`,
    };
  }
  const back = memory.unreachableSince ? `${where} answers again after ${formatDuration(now.getTime() - memory.unreachableSince.getTime())}.` : undefined;
  const { unreachableSince: _gone, lastSaid: _said, ...rest } = memory;
  if (result.kind === 'not-modified') {
    // Some servers send fresh validators with a 304; keep them for the next request.
    return { memory: { ...rest, validators: { ...rest.validators, ...result.validators } }, changed: false, ...(back ? { say: back } : {}) };
  }
  const changed = result.digest !== memory.digest;
  return { memory: { validators: result.validators, digest: result.digest }, changed, ...(back ? { say: back } : {}) };
}

/** The publish runner's state: whether a run is under way, and what waits for the next one. */
export interface RunnerState {
  running: boolean;
  /** Reasons that arrived since the running publish started, e.g. `['new summary from ams']`; they cause one more run. */
  pending: string[];
  /** True when the last run failed and has not been retried yet. */
  retrying: boolean;
}

export const IDLE: RunnerState = { running: false, pending: [], retrying: false };

/** What the runner does now: nothing, or start a publish for these reasons (after `delayMs`). */
export interface RunnerStep {
  state: RunnerState;
  start?: { reasons: string[]; delayMs: number };
}

function dedupe(reasons: readonly string[]): string[] {
  return [...new Set(reasons)];
}

/**
 * A reason to publish arrived (a new summary, the every-minute tick).
 * Starts a run when none is under way; otherwise it waits for the next.
 * @example wantPublish(IDLE, 'new summary from ams') // starts a run at once
 */
export function wantPublish(state: RunnerState, reason: string): RunnerStep {
  if (state.running) return { state: { ...state, pending: dedupe([...state.pending, reason]) } };
  return { state: { running: true, pending: [], retrying: false }, start: { reasons: [reason], delayMs: 0 } };
}

/**
 * The running publish ended. Every reason that arrived meanwhile gives one
 * more run, at once. A failed run with nothing pending is tried once more
 * after `retryMs` (the lock may have been another publish's); a second
 * failure in a row is left to the next change or tick.
 * @param ok the publish command's exit code was 0
 * @param reasons what the run that ended was for, retried on failure
 */
export function publishEnded(state: RunnerState, ok: boolean, reasons: readonly string[], retryMs: number): RunnerStep {
  if (state.pending.length > 0) return { state: { running: true, pending: [], retrying: false }, start: { reasons: state.pending, delayMs: 0 } };
  if (!ok && !state.retrying)
    return {
      state: { running: true, pending: [], retrying: true },
      start: { reasons: dedupe(['retry after a failed publish', ...reasons]), delayMs: retryMs },
    };
  return { state: { running: false, pending: [], retrying: false } };
}
