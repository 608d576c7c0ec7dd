/**
 * What the status banner at the top of the home page says (issue 12, the
 * five-second test): the state, a headline that names what is affected
 * ("Major outage: Client connections"), the other components with
 * problems, since when, and when the next update is due. Pure: pages pass
 * the snapshot computed once by src/lib/status.
 */
import type { ComponentState } from '../schemas.ts';
import { incidentStateAt, nextIncidentUpdate, type StatusSnapshot } from '../status/status.ts';

export interface Banner {
  state: ComponentState;
  /** e.g. `Major outage: Client connections` or `All systems operational`. */
  headline: string;
  /** Components with a milder problem than the headline's, e.g. `[{ name: 'Federation with other servers', state: 'degraded' }]`. */
  others: { name: string; state: ComponentState }[];
  /** When the oldest incident behind the headline (or its maintenance in progress) began; undefined when none is open. */
  since?: Date;
  /** The soonest "next update by" the incidents behind the headline promised. */
  next?: { due: Date; overdue: boolean };
}

/** At most this many names in the headline; the rest are counted ("and 2 more"). */
const HEADLINE_NAMES = 3;

/**
 * A component's name without its trailing detail, for headlines.
 * @param name e.g. `Client connections (port 5222)` → `Client connections`
 */
export const shortName = (name: string) => name.replace(/\s*\([^()]*\)\s*$/, '') || name;

/**
 * Names as an English list, cut after `max`.
 * @example listNames(['A', 'B', 'C', 'D']) → 'A, B, C and 1 more'
 */
export function listNames(names: readonly string[], max = HEADLINE_NAMES): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length > max) return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The banner for a snapshot at `now`. */
export function statusBanner(status: StatusSnapshot, now: Date): Banner {
  const state = status.overall.state;
  if (state === 'operational') return { state, headline: status.overall.headline, others: [] };
  const worst = status.components.filter((c) => c.state === state).map((c) => shortName(c.component.name));
  const others = status.components
    .filter((c) => c.state !== state && c.state !== 'operational')
    .map((c) => ({ name: shortName(c.component.name), state: c.state }));
  // "Since" and "next update" belong to the headline: the incidents (or the
  // maintenance) behind the worst state; any open one when monitoring decided it.
  const worstIds = new Set(status.components.filter((c) => c.state === state).map((c) => c.component.id));
  const behind = status.activeIncidents.filter((i) => i.componentIds.some((id) => worstIds.has(id) && incidentStateAt(i, id, now) === state));
  const incidents = behind.length > 0 ? behind : status.activeIncidents;
  const windows = status.activeMaintenance.filter((m) => m.components.some((id) => worstIds.has(id)));
  const starts = [...(state === 'under-maintenance' ? windows.map((m) => m.start) : incidents.map((i) => i.startedAt))].map((d) => d.getTime());
  const promises = incidents.flatMap((i) => nextIncidentUpdate(i, now) ?? []).sort((a, b) => a.due.getTime() - b.due.getTime());
  return {
    state,
    headline: `${status.overall.headline}: ${listNames(worst)}`,
    others,
    ...(starts.length > 0 ? { since: new Date(starts.reduce((a, b) => Math.min(a, b))) } : {}),
    ...(promises[0] ? { next: promises[0] } : {}),
  };
}
