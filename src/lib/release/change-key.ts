/**
 * Whether the published site would differ from a fresh build, decided
 * without building (issue 14). The site rebuilds every minute from a timer,
 * but a build takes seconds of CPU on a shared host, so `npm run publish`
 * first compares a key made of everything a page depends on:
 *
 * - `content`: the bytes of every content file (site config, incidents,
 *   maintenance, daily updates);
 * - `code`: the bytes of the site's code and build configuration;
 * - `sources`: the monitoring summaries as the build would read them now;
 * - `clock`: the parts of "now" that the pages show, bucketed so that the
 *   key changes exactly when a page would (see `clockState`).
 *
 * Pure: the caller gathers the hashes and the instants.
 */
import { createHash } from 'node:crypto';
import { toUtcDate } from '../shared/time.ts';

/** The inputs of a build, each already reduced to a hash or a short label. */
export interface ChangeParts {
  /** e.g. a sha256 of every content file's path and bytes. */
  content: string;
  code: string;
  sources: string;
  /** From `clockState`, e.g. `day=2026-11-21;passed=3;minute=-`. */
  clock: string;
}

export interface ClockInputs {
  now: Date;
  /**
   * Instants at which a page changes by itself: a maintenance window's start
   * and end (upcoming → in progress → completed), the moment a monitoring
   * source's data becomes stale (operational → unknown).
   */
  boundaries: readonly Date[];
  /**
   * True while a page shows a running duration: an unresolved incident
   * ("Ongoing for 2 h 5 min"), a maintenance window in progress, or a stale
   * source ("data from ams is 7 min old"). Then every minute counts.
   */
  ticking: boolean;
}

/**
 * The clock-dependent state of the site at `now`, as a label that changes
 * exactly when a page's text would: at each UTC day (today's update, the
 * calendar, monthly SLA), each boundary passed, and each minute while
 * something is ticking.
 * @example clockState({ now: new Date('2026-11-21T12:00:30Z'), boundaries: [], ticking: false }) // 'day=2026-11-21;passed=0;minute=-'
 */
export function clockState({ now, boundaries, ticking }: ClockInputs): string {
  const t = now.getTime();
  let passed = 0;
  for (const b of boundaries) if (b.getTime() <= t) passed++;
  const minute = ticking ? String(Math.floor(t / 60_000)) : '-';
  return `day=${toUtcDate(now)};passed=${passed};minute=${minute}`;
}

/** One key for all parts: equal keys mean an identical site. */
export function changeKey(parts: ChangeParts): string {
  const hash = createHash('sha256');
  for (const name of ['content', 'code', 'sources', 'clock'] as const) hash.update(`${name}\0${parts[name]}\0`);
  return hash.digest('hex');
}

/**
 * Which parts differ between the last published build and now, in words for
 * the log, e.g. `['content', 'clock (day=2026-11-22;passed=3;minute=-)']`.
 * Everything counts as changed when there is no previous build.
 */
export function describeChanges(previous: ChangeParts | undefined, current: ChangeParts): string[] {
  if (!previous) return ['no previous release'];
  const changed: string[] = [];
  for (const name of ['content', 'code', 'sources'] as const) if (previous[name] !== current[name]) changed.push(name);
  if (previous.clock !== current.clock) changed.push(`clock (${current.clock})`);
  return changed;
}

/** What `clockInputs` needs from the content and the monitoring sources. */
export interface ClockFacts {
  now: Date;
  /** Maintenance windows that are not cancelled. */
  windows: readonly { start: Date; end: Date }[];
  /** How many incidents are unresolved. */
  unresolved: number;
  /** Each monitoring source's `generatedAt`, when it has data. */
  sourceTimes: readonly Date[];
  /** `probes.intervalSeconds`: data older than twice this is stale. */
  intervalSeconds: number;
  /**
   * When each incident and maintenance update is posted (an entry timed
   * ahead appears then): without them, an announcement timed for 12:07
   * waited for the next other change to be built. Optional: none by default.
   */
  posts?: readonly Date[];
}

/** The boundaries and ticking flag for `clockState`, from what the pages show. */
export function clockInputs(facts: ClockFacts): ClockInputs {
  const t = facts.now.getTime();
  const staleAfterMs = 2 * facts.intervalSeconds * 1000;
  const boundaries: Date[] = [];
  let ticking = facts.unresolved > 0;
  for (const w of facts.windows) {
    boundaries.push(w.start, w.end);
    if (w.start.getTime() <= t && t < w.end.getTime()) ticking = true;
  }
  for (const at of facts.posts ?? []) boundaries.push(at);
  for (const at of facts.sourceTimes) {
    const stale = at.getTime() + staleAfterMs;
    boundaries.push(new Date(stale));
    // Matches describeFreshness: "older than twice the interval" is named with its age.
    if (t - at.getTime() > staleAfterMs) ticking = true;
  }
  return { now: facts.now, boundaries, ticking };
}
