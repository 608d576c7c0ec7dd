/**
 * What a timeline means, derived once when content is read: the state of
 * each component after every incident update, what changed at each update,
 * the instant each "next update" promise falls due, and a maintenance
 * window's schedule after every update. Pure, so every page, feed, the API
 * and the notifier read the same derived facts.
 */
import type { ComponentImpact, DeclaredState, IncidentStatus, MaintenanceStatus } from '../schemas.ts';

/** One component's move at one update, e.g. `{ id: 'c2s', from: 'major-outage', to: 'operational' }`. */
export interface StateChange {
  id: string;
  from: DeclaredState;
  to: DeclaredState;
}

export interface TimelineStates {
  /** Per update: every touched component's state after it. */
  states: Record<string, DeclaredState>[];
  /** Per update: what changed at it (the first update "changes" each declared component from operational). */
  changes: StateChange[][];
  /** Every component the incident ever touched, in order of first mention. */
  componentIds: string[];
}

/**
 * Walks an incident's timeline. The `affected` list is the state from the
 * first update; an update's `components` change states from then on; a
 * `resolved` update returns every component to operational unless it names
 * one.
 * @param affected e.g. `[{ id: 'c2s', status: 'major-outage' }]`
 * @param updates oldest first, e.g. `[{ status: 'investigating' }, { status: 'monitoring', components: { c2s: 'operational' } }]`
 */
export function incidentStates(
  affected: readonly { id: string; status: ComponentImpact }[],
  updates: readonly { status: IncidentStatus; components?: Partial<Record<string, DeclaredState>> }[],
): TimelineStates {
  const componentIds: string[] = [];
  const current: Record<string, DeclaredState> = {};
  const touch = (id: string) => {
    if (!(id in current)) {
      componentIds.push(id);
      current[id] = 'operational';
    }
  };
  const states: Record<string, DeclaredState>[] = [];
  const changes: StateChange[][] = [];
  updates.forEach((u, i) => {
    const before = { ...current };
    const next: Record<string, DeclaredState> = {};
    if (i === 0) for (const a of affected) next[a.id] = a.status;
    if (u.status === 'resolved') for (const id of componentIds) next[id] = 'operational';
    for (const [id, state] of Object.entries(u.components ?? {})) if (state) next[id] = state;
    const changed: StateChange[] = [];
    for (const [id, state] of Object.entries(next)) {
      touch(id);
      const from = before[id] ?? 'operational';
      current[id] = state;
      if (from !== state) changed.push({ id, from, to: state });
    }
    states.push({ ...current });
    changes.push(changed);
  });
  return { states, changes, componentIds };
}

/**
 * When a promise of a next update falls due.
 * @param next as parsed, e.g. `{ afterMs: 7_200_000 }` or `{ at: new Date('2026-11-09T08:00:00Z') }`
 * @param at the time of the update that made the promise
 */
export function promiseDue(next: { at: Date } | { afterMs: number } | undefined, at: Date): Date | null {
  if (!next) return null;
  return 'at' in next ? next.at : new Date(at.getTime() + next.afterMs);
}

export interface MaintenanceSchedule {
  start: Date;
  end: Date;
  /** True when this update moved the window. */
  rescheduled: boolean;
}

/**
 * A maintenance window's schedule after each update: the first update sets
 * it, a later `start`/`end` moves it (a reschedule).
 * @param updates oldest first; the first carries both `start` and `end`
 */
export function maintenanceSchedules(updates: readonly { status: MaintenanceStatus; start?: Date; end?: Date }[]): MaintenanceSchedule[] {
  let start = updates[0]?.start ?? new Date(Number.NaN);
  let end = updates[0]?.end ?? new Date(Number.NaN);
  return updates.map((u, i) => {
    const moved = i > 0 && ((u.start !== undefined && u.start.getTime() !== start.getTime()) || (u.end !== undefined && u.end.getTime() !== end.getTime()));
    start = u.start ?? start;
    end = u.end ?? end;
    return { start, end, rescheduled: moved };
  });
}
