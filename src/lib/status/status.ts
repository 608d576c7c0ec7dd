/**
 * The one status function. The home page, component pages, feeds and the
 * JSON API all call `computeStatus`, so they can never disagree about what is
 * broken (cState copies its severity ladder into three templates).
 */
import type { Incident, Maintenance, SiteContent } from '../content/content.ts';
import type { ComponentMonitoring } from '../monitoring/merge-probes.ts';
import { COMPONENT_STATES, type Component, type ComponentState, type IncidentStatus } from '../schemas.ts';

/** Words for each state, shown next to (never instead of) its colour. */
export const STATE_LABELS: Record<ComponentState, string> = {
  operational: 'Operational',
  'under-maintenance': 'Under maintenance',
  unknown: 'Unknown',
  degraded: 'Degraded performance',
  'partial-outage': 'Partial outage',
  'major-outage': 'Major outage',
};

/** Words for each incident status, as pages and feeds show them. */
export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/** The headline for the whole service, by its worst component. */
export const OVERALL_HEADLINES: Record<ComponentState, string> = {
  operational: 'All systems operational',
  'under-maintenance': 'Scheduled maintenance in progress',
  unknown: 'Status partly unknown',
  degraded: 'Degraded performance',
  'partial-outage': 'Partial outage',
  'major-outage': 'Major outage',
};

/** Position in the ladder from best (0) to worst. */
export function stateRank(state: ComponentState): number {
  return COMPONENT_STATES.indexOf(state);
}

/** The worst of some states; `operational` for none. */
export function worstState(states: Iterable<ComponentState>): ComponentState {
  let worst: ComponentState = 'operational';
  for (const s of states) if (stateRank(s) > stateRank(worst)) worst = s;
  return worst;
}

/** True when the incident has begun and is not resolved as of `now`. */
export function isIncidentActive(incident: Incident, now: Date): boolean {
  if (incident.startedAt.getTime() > now.getTime()) return false;
  return incident.resolvedAt === null || incident.resolvedAt.getTime() > now.getTime();
}

/** The newest update posted by `now`, or undefined before the first. */
function latestAsOf<T extends { at: Date }>(updates: readonly T[], now: Date): T | undefined {
  let found: T | undefined;
  for (const u of updates) if (u.at.getTime() <= now.getTime()) found = u;
  return found;
}

/**
 * What an incident says about one component at `now`: the state set by its
 * latest update so far (so "Monitoring: logins work again" can give a
 * component back before the incident is resolved).
 */
export function incidentStateAt(incident: Incident, componentId: string, now: Date): ComponentState {
  return latestAsOf(incident.updates, now)?.states[componentId] ?? 'operational';
}

/**
 * When an incident's latest update promised the next one, and whether that
 * time has passed; undefined when it promised nothing or is resolved.
 */
export function nextIncidentUpdate(incident: Incident, now: Date): { due: Date; overdue: boolean } | undefined {
  const latest = latestAsOf(incident.updates, now);
  if (!latest?.next || latest.status === 'resolved') return undefined;
  return { due: latest.next, overdue: latest.next.getTime() < now.getTime() };
}

export type MaintenancePhase = 'upcoming' | 'in-progress' | 'verifying' | 'completed' | 'cancelled';

/** Words for each maintenance phase, as pages and feeds show them. */
export const MAINTENANCE_PHASE_LABELS: Record<MaintenancePhase, string> = {
  upcoming: 'Upcoming',
  'in-progress': 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

/**
 * Where a maintenance window stands at `now`. The timeline decides first:
 * `cancelled` and `completed` end it, `in-progress` and `verifying` hold it
 * open (also past the planned end: the work overran). Otherwise the clock
 * moves it from upcoming to in progress at `start` and to completed at
 * `end` (the end instant counts as completed), as Statuspage's automatic
 * transitions do.
 */
export function maintenancePhase(window: Maintenance, now: Date): MaintenancePhase {
  const latest = latestAsOf(window.updates, now);
  const status = latest?.status ?? 'scheduled';
  if (status === 'cancelled' || status === 'completed' || status === 'in-progress' || status === 'verifying') return status;
  const start = (latest ?? window).start.getTime();
  const end = (latest ?? window).end.getTime();
  const t = now.getTime();
  if (t < start) return 'upcoming';
  if (t < end) return 'in-progress';
  return 'completed';
}

/** True while the work holds its components "under maintenance". */
export const isMaintenanceActive = (window: Maintenance, now: Date) => ['in-progress', 'verifying'].includes(maintenancePhase(window, now));

export interface ComponentStatus {
  component: Component;
  state: ComponentState;
  /** Unresolved incidents touching this component, newest first. */
  incidents: Incident[];
  /** Maintenance windows in progress on this component. */
  maintenance: Maintenance[];
  /** What decided the state, for "why is this red?" on the page. */
  decidedBy: 'incident' | 'maintenance' | 'monitoring' | 'none';
  /** Merged probe results, when checks are mapped to this component. */
  monitoring?: ComponentMonitoring;
}

/** What monitoring alone says about a component. */
export const MONITORING_STATES: Record<ComponentMonitoring['verdict'], ComponentState> = {
  up: 'operational',
  down: 'major-outage',
  unknown: 'unknown',
};

export interface StatusSnapshot {
  now: Date;
  overall: { state: ComponentState; headline: string };
  components: ComponentStatus[];
  activeIncidents: Incident[];
  activeMaintenance: Maintenance[];
  upcomingMaintenance: Maintenance[];
}

/**
 * Computes every component's state and the overall state at `now`.
 *
 * Precedence, the one place it is written (README, "Status"):
 * 1. a declared incident beats everything: the state its latest update
 *    gives the component (the worst, when several incidents are open);
 * 2. otherwise a component inside a maintenance window in progress is
 *    `under-maintenance`, even when probes fail (the work is expected to
 *    break things);
 * 3. otherwise monitoring decides: `major-outage` when a quorum of
 *    locations sees it down, `operational` when up, and `unknown` when no
 *    location has fresh data. `unknown` is shown to readers; the API reports
 *    the declared state instead and says how fresh the data is.
 * `decidedBy` says which rule applied.
 * @param now the build time, e.g. `new Date('2026-11-21T06:00:00Z')`
 * @param monitoring merged probe results by component id (see merge-probes.ts)
 */
export function computeStatus(content: SiteContent, now: Date, monitoring?: ReadonlyMap<string, ComponentMonitoring>): StatusSnapshot {
  const activeIncidents = content.incidents.filter((i) => isIncidentActive(i, now));
  const activeMaintenance = content.maintenance.filter((m) => isMaintenanceActive(m, now));
  const upcomingMaintenance = content.maintenance.filter((m) => maintenancePhase(m, now) === 'upcoming');

  const components = content.site.components.map((component): ComponentStatus => {
    const incidents = activeIncidents.filter((i) => i.componentIds.includes(component.id));
    const maintenance = activeMaintenance.filter((m) => m.components.includes(component.id));
    const declared = worstState(incidents.map((i) => incidentStateAt(i, component.id, now)));
    const measured = monitoring?.get(component.id);
    const decidedBy: ComponentStatus['decidedBy'] =
      declared !== 'operational' ? 'incident' : maintenance.length > 0 ? 'maintenance' : measured && measured.verdict !== 'up' ? 'monitoring' : 'none';
    const state: ComponentState =
      decidedBy === 'incident'
        ? declared
        : decidedBy === 'maintenance'
          ? 'under-maintenance'
          : decidedBy === 'monitoring'
            ? MONITORING_STATES[measured!.verdict]
            : 'operational';
    return { component, state, incidents, maintenance, decidedBy, ...(measured ? { monitoring: measured } : {}) };
  });

  const overallState = worstState(components.map((c) => c.state));
  return {
    now,
    overall: { state: overallState, headline: OVERALL_HEADLINES[overallState] },
    components,
    activeIncidents,
    activeMaintenance,
    upcomingMaintenance,
  };
}
