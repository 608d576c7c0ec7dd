/**
 * What the boxes at the top of the home page say (issue 12, the five-second
 * test; issue 27, in the reader's words). One box per open event, so a
 * running maintenance never hides behind a minor incident:
 * - each open incident: its own title, the reader names it affects, since
 *   when, the next update it promised and its advice;
 * - each maintenance window in progress: the same, plus "until" its end;
 * - what monitoring alone sees down (no one declared it yet);
 * - when nothing is declared and monitoring is stale: the one stale sentence;
 * - otherwise one "all systems operational" box.
 * Worst first. Pure: pages pass the snapshot computed once by src/lib/status.
 */
import type { ComponentState } from '../schemas.ts';
import {
  INCIDENT_STATUS_LABELS,
  OVERALL_HEADLINES,
  STATE_LABELS,
  incidentStateAt,
  maintenancePhase,
  nextIncidentUpdate,
  stateRank,
  worstState,
  type StatusSnapshot,
} from '../status/status.ts';
import { isStale, lastMonitoringReport, listNames, readerName, staleSentence } from '../status/reader-words.ts';

export { listNames, shortName } from '../status/reader-words.ts';

export interface BannerBox {
  kind: 'incident' | 'maintenance' | 'monitoring' | 'stale' | 'operational';
  /** The colour and symbol of the box, e.g. `major-outage`. */
  state: ComponentState;
  /** The headline: the incident's or window's own title, e.g. `Login failures after the move to M-Link`. */
  title: string;
  /** The incident or window it links to, e.g. `{ kind: 'incident', slug: '2026-11-09-login-failures' }`. */
  link?: { kind: 'incident' | 'maintenance'; slug: string };
  /** One line of what is affected, in readers' words, e.g. `Major outage: Logging in and Creating an account`. */
  affected?: string;
  /** Where the work stands, e.g. `Identified` or `In progress`. */
  status?: string;
  since?: Date;
  /** A maintenance window's expected end; `overdue` once it has passed and the work still runs. */
  until?: { at: Date; overdue: boolean };
  /** The soonest "next update by" the incident promised. */
  next?: { due: Date; overdue: boolean };
  /** What readers can do, e.g. `Your password is fine; do not create a new account.` */
  advice?: string;
  /** A sentence instead of facts (stale monitoring). */
  text?: string;
}

export interface Banner {
  /** The worst state on the page, e.g. `major-outage`. */
  state: ComponentState;
  /** Worst first; never empty. */
  boxes: BannerBox[];
}

/**
 * The affected line: states grouped, worst first, each with the reader
 * names in it, e.g. `Major outage: Logging in; partial outage: Creating an account`.
 */
function affectedLine(byComponent: readonly { name: string; state: ComponentState }[]): string {
  const states = [...new Set(byComponent.map((c) => c.state))].sort((a, b) => stateRank(b) - stateRank(a));
  return states
    .map((s, i) => {
      const label = STATE_LABELS[s];
      return `${i === 0 ? label : label.toLowerCase()}: ${listNames(byComponent.filter((c) => c.state === s).map((c) => c.name))}`;
    })
    .join('; ');
}

/** The boxes for a snapshot at `now`. */
export function statusBanner(status: StatusSnapshot, now: Date): Banner {
  const byId = new Map(status.components.map((c) => [c.component.id, c]));
  const name = (id: string) => {
    const c = byId.get(id);
    return c ? readerName(c.component) : id;
  };
  const boxes: BannerBox[] = [];
  /** How many components each box takes away from readers, for the order. */
  const reach = new Map<BannerBox, number>();

  for (const incident of status.activeIncidents) {
    const states = incident.componentIds.map((id) => ({ name: name(id), state: incidentStateAt(incident, id, now) })).filter((c) => c.state !== 'operational');
    const latest = incident.updates.filter((u) => u.at.getTime() <= now.getTime()).at(-1);
    const next = nextIncidentUpdate(incident, now);
    const box: BannerBox = {
      kind: 'incident',
      state: worstState(states.map((c) => c.state)),
      title: incident.title,
      link: { kind: 'incident', slug: incident.slug },
      // "Monitoring" with every component given back: say so rather than list nothing.
      affected: states.length > 0 ? affectedLine(states) : 'Working again; we are watching it',
      ...(latest ? { status: INCIDENT_STATUS_LABELS[latest.status] } : {}),
      since: incident.startedAt,
      ...(next ? { next } : {}),
      ...(incident.advice ? { advice: incident.advice } : {}),
    };
    boxes.push(box);
    reach.set(box, states.length);
  }

  for (const window of status.activeMaintenance) {
    const box: BannerBox = {
      kind: 'maintenance',
      state: 'under-maintenance',
      title: window.title,
      link: { kind: 'maintenance', slug: window.slug },
      affected: `Under maintenance: ${listNames(window.components.map(name))}`,
      status: maintenancePhase(window, now) === 'verifying' ? 'Verifying' : 'In progress',
      since: window.start,
      until: { at: window.end, overdue: window.end.getTime() <= now.getTime() },
      ...(window.advice ? { advice: window.advice } : {}),
    };
    boxes.push(box);
    reach.set(box, window.components.length);
  }

  // Down by monitoring alone: nobody has declared it yet, but readers should know.
  const measured = status.components.filter((c) => c.decidedBy === 'monitoring' && c.state !== 'unknown' && c.state !== 'operational');
  if (measured.length > 0) {
    boxes.push({
      kind: 'monitoring',
      state: worstState(measured.map((c) => c.state)),
      title: 'Our monitoring sees a problem',
      affected: affectedLine(measured.map((c) => ({ name: readerName(c.component), state: c.state }))),
    });
  }

  if (boxes.length === 0 && isStale(status)) {
    boxes.push({ kind: 'stale', state: 'unknown', title: OVERALL_HEADLINES.unknown, text: staleSentence(lastMonitoringReport(status), now) });
  }
  if (boxes.length === 0) boxes.push({ kind: 'operational', state: 'operational', title: OVERALL_HEADLINES.operational });

  // Outages first; then the event that takes more away from readers (issue
  // 27: a window disconnecting everyone went under "Degraded: Federation");
  // then the worse state. The sort is stable: incidents before maintenance.
  const outage = (b: BannerBox) => (stateRank(b.state) >= stateRank('partial-outage') ? 1 : 0);
  boxes.sort((a, b) => outage(b) - outage(a) || (reach.get(b) ?? 0) - (reach.get(a) ?? 0) || stateRank(b.state) - stateRank(a.state));
  return { state: status.overall.state, boxes };
}
