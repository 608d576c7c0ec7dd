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

export type MaintenancePhase = 'upcoming' | 'in-progress' | 'completed' | 'cancelled';

/** Where a maintenance window stands at `now`; the end instant counts as completed. */
export function maintenancePhase(window: Maintenance, now: Date): MaintenancePhase {
  if (window.status === 'cancelled') return 'cancelled';
  const t = now.getTime();
  if (t < window.start.getTime()) return 'upcoming';
  if (t < window.end.getTime()) return 'in-progress';
  return 'completed';
}

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
 * Computes every component's state and the overall state at `now` from
 * unresolved incidents, maintenance in progress and monitoring. An incident
 * sets each affected component to the status it declares; a window in
 * progress sets `under-maintenance`; monitoring sets `major-outage` when a
 * quorum of locations sees it down and `unknown` when no data is fresh. The
 * worst of these wins, and `decidedBy` says which.
 * @param now the build time, e.g. `new Date('2026-11-21T06:00:00Z')`
 * @param monitoring merged probe results by component id (see merge-probes.ts)
 */
export function computeStatus(content: SiteContent, now: Date, monitoring?: ReadonlyMap<string, ComponentMonitoring>): StatusSnapshot {
  const activeIncidents = content.incidents.filter((i) => isIncidentActive(i, now));
  const activeMaintenance = content.maintenance.filter((m) => maintenancePhase(m, now) === 'in-progress');
  const upcomingMaintenance = content.maintenance.filter((m) => maintenancePhase(m, now) === 'upcoming');

  const components = content.site.components.map((component): ComponentStatus => {
    const incidents = activeIncidents.filter((i) => i.affected.some((a) => a.id === component.id));
    const maintenance = activeMaintenance.filter((m) => m.components.includes(component.id));
    const fromIncidents = worstState(incidents.flatMap((i) => i.affected.filter((a) => a.id === component.id).map((a) => a.status)));
    const fromMaintenance: ComponentState = maintenance.length > 0 ? 'under-maintenance' : 'operational';
    const measured = monitoring?.get(component.id);
    const fromMonitoring: ComponentState = measured ? MONITORING_STATES[measured.verdict] : 'operational';
    const state = worstState([fromIncidents, fromMaintenance, fromMonitoring]);
    // An admin's words win a tie: they explain what the probes only measure.
    const decidedBy = state === 'operational' ? 'none' : state === fromIncidents ? 'incident' : state === fromMaintenance ? 'maintenance' : 'monitoring';
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
