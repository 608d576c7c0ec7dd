/**
 * A service's state, derived, never typed (issue 17):
 * - `withdrawn` from the `withdrawn` date in its file;
 * - `testing` until monitoring data covers `testingDays` (the policy's
 *   one-month testing period), with the days left;
 * - `failing` when an item has failed for longer than `graceDays`, or
 *   failed when the testing period ended (a service is listed after it
 *   "if it has met all the requirements");
 * - `listed` otherwise; a failing service returns to listed as soon as its
 *   items pass again.
 * Pure: intervals and `now` in, the state and every change out, so the
 * feed has an entry for each change and tests can freeze the clock.
 */
import type { ServiceState } from '../schemas.ts';
import { IntervalIndex, type Interval } from '../monitoring/intervals.ts';
import type { PolicyItemId } from './policy.ts';

const DAY = 86_400_000;

export interface FailingItem {
  id: PolicyItemId;
  /** When it started failing, ms since 1970. */
  since: number;
}

export interface StateInput {
  /** The day the application was received, e.g. `2026-10-01`. */
  applied: string;
  /** e.g. `2027-03-01` */
  withdrawn?: string;
  testingDays: number;
  graceDays: number;
  /** Time some location had data (sorted, disjoint). */
  covered: readonly Interval[];
  /** Per item, when a quorum of locations saw its checks fail (sorted, disjoint): the history. */
  itemDown: ReadonlyMap<PolicyItemId, readonly Interval[]>;
  /** The items failing at `now` by the checklist, with since when: the present, more precise than the history. */
  failingNow: readonly FailingItem[];
  /**
   * Start of the data window (90 days before now): older data is gone, so
   * no change is reported before it, and a service that applied before
   * `windowFrom - testingDays` finished its testing period then.
   */
  windowFrom: number;
}

export interface StateChange {
  /** ms since 1970 */
  at: number;
  from: ServiceState | null;
  to: ServiceState;
  /** For `failing`: the items that fail, with since when. */
  failing: FailingItem[];
}

export interface ServiceStatus {
  state: ServiceState;
  /** When the service entered this state, ms since 1970. */
  since: number;
  /** While testing: whole days still needed, e.g. `12`. */
  testingDaysLeft?: number;
  /** When the testing period ended (ms), or null while testing. */
  testingEnded: number | null;
  /** For `failing`: the items that fail and since when; for `listed`, items failing within the grace period. */
  failing: FailingItem[];
  /** Every change, oldest first, the last one leading to `state`. */
  changes: StateChange[];
}

/** The instant covered time reaches `days` days, or null. */
export function testingEnd(covered: readonly Interval[], days: number): number | null {
  let need = days * DAY;
  for (const i of covered) {
    const length = i.end - i.start;
    if (length >= need) return i.start + need;
    need -= length;
  }
  return null;
}

function stateAt(
  t: number,
  input: StateInput,
  ended: number | null,
  coveredIndex: IntervalIndex,
  failing: readonly FailingItem[],
): { state: ServiceState; failing: FailingItem[]; daysLeft?: number } {
  if (input.withdrawn && t >= Date.parse(`${input.withdrawn}T00:00:00Z`)) return { state: 'withdrawn', failing: [] };
  if (ended === null || t < ended) {
    const have = coveredIndex.measure(-Infinity, t);
    return { state: 'testing', failing: [...failing], daysLeft: Math.max(1, Math.ceil((input.testingDays * DAY - have) / DAY)) };
  }
  const grace = input.graceDays * DAY;
  const over = failing.filter((f) => t - f.since >= grace || f.since <= ended);
  return { state: over.length ? 'failing' : 'listed', failing: over.length ? over : [...failing] };
}

/** The items failing at `t` by the history: those whose interval contains `t`, since its start. */
function historyAt(t: number, itemDown: StateInput['itemDown']): FailingItem[] {
  const out: FailingItem[] = [];
  for (const [id, list] of itemDown) {
    const hit = list.find((i) => i.start <= t && t < i.end);
    if (hit) out.push({ id, since: hit.start });
  }
  return out;
}

/**
 * @param now e.g. `Date.parse('2026-11-21T12:00:00Z')`
 */
export function deriveServiceState(input: StateInput, now: number): ServiceStatus {
  const applied = Date.parse(`${input.applied}T00:00:00Z`);
  // The window slides: a service older than it finished testing before it,
  // and the end of its testing period must not move with the window.
  const ended = applied + input.testingDays * DAY <= input.windowFrom ? applied + input.testingDays * DAY : testingEnd(input.covered, input.testingDays);
  const coveredIndex = new IntervalIndex(input.covered);
  const grace = input.graceDays * DAY;
  // Every instant the state can change at: application, end of testing,
  // withdrawal, and each item's failure start, start plus grace and end.
  const first = Math.max(applied, input.windowFrom);
  const candidates = new Set<number>([first]);
  if (ended !== null) candidates.add(ended);
  if (input.withdrawn) candidates.add(Date.parse(`${input.withdrawn}T00:00:00Z`));
  for (const list of input.itemDown.values()) for (const i of list) [i.start, i.start + grace, i.end].forEach((t) => candidates.add(t));
  const times = [...candidates].filter((t) => t >= first && t < now).sort((a, b) => a - b);
  const changes: StateChange[] = [];
  let previous: ServiceState | null = null;
  for (const t of times) {
    const s = stateAt(t, input, ended, coveredIndex, historyAt(t, input.itemDown));
    if (s.state !== previous) changes.push({ at: t, from: previous, to: s.state, failing: s.state === 'failing' ? s.failing : [] });
    previous = s.state;
  }
  const current = stateAt(now, input, ended, coveredIndex, input.failingNow);
  if (current.state !== previous) {
    // Stable instants, so a change keeps its feed id from build to build:
    // when the grace period ran out, or when the last failure ended.
    // A fold, not Math.max(...): every down interval in the history would go on the stack (issue 16).
    const lastEnd = [...input.itemDown.values()].reduce((m, list) => list.reduce((mm, i) => (i.end <= now && i.end > mm ? i.end : mm), m), first);
    // bounded: one entry per policy item failing now
    const at = current.state === 'failing' ? Math.min(...current.failing.map((f) => (ended !== null && f.since <= ended ? ended : f.since + grace))) : lastEnd;
    const when = Math.max(first, Math.min(at, now));
    // Changes the history saw at or after that instant are superseded by the present.
    let from = previous;
    while (changes.length && changes[changes.length - 1]!.at >= when) from = changes.pop()!.from;
    if (from !== current.state) changes.push({ at: when, from, to: current.state, failing: current.state === 'failing' ? current.failing : [] });
  }
  // The newest change names what fails now, by the checklist (the history
  // cannot tell a certificate problem from a refused connection).
  const last = changes[changes.length - 1];
  if (last && last.to === current.state && current.state === 'failing') last.failing = current.failing;
  return {
    state: current.state,
    since: changes[changes.length - 1]?.at ?? first,
    ...(current.daysLeft !== undefined ? { testingDaysLeft: current.daysLeft } : {}),
    testingEnded: ended !== null && ended <= now ? ended : null,
    failing: current.failing,
    changes,
  };
}
