/**
 * JSON in the shape of Statuspage's public v2 API (`/api/v2/*.json`), so
 * existing aggregators, chat bots and widgets read this site unchanged.
 * Everything comes from `computeStatus` over the published content, like the pages.
 *
 * Vocabulary mapping (ours → theirs):
 * - component state: operational → operational, degraded → degraded_performance,
 *   partial-outage → partial_outage, major-outage → major_outage,
 *   under-maintenance → under_maintenance. `unknown` (no fresh monitoring
 *   data) is never reported to machines as an outage: Statuspage has no
 *   "unknown", so `status` keeps the declared state (operational: no
 *   incident or maintenance says otherwise) and our `monitoring` field says
 *   what the probes know, e.g. `{ verdict: 'unknown', locations_reporting: 0 }`;
 * - page indicator (and a group's status) from the worst component as
 *   published, so `unknown` counts as operational and never hides a
 *   maintenance in progress: operational → none, under-maintenance →
 *   maintenance, degraded → minor, partial-outage → major, major-outage →
 *   critical;
 *   when no problem is known but monitoring is stale, the indicator is
 *   `none` and the description the page's stale sentence (issue 27);
 * - incident impact and status keep their names (we use Statuspage's words);
 *   `affected_components` is set only on updates that changed a component,
 *   with its true old and new status (null otherwise);
 * - maintenance timeline: scheduled → scheduled, in-progress → in_progress,
 *   verifying → verifying, completed → completed. Statuspage has no
 *   cancellation: a cancelled window stays in `scheduled-maintenances.json`
 *   as `completed` with our `cancelled_at` set and its last update's body
 *   saying so; it is left out of `upcoming` and `active`;
 * - components are listed group first, then the group's components.
 */
import { z } from 'astro/zod';
import type { Incident, Maintenance, SiteContent } from '../content/content.ts';
import { absoluteUrl, incidentPath, maintenancePath } from './paths.ts';
import type { ComponentState, MaintenanceStatus } from '../schemas.ts';
import type {
  StatuspageComponentSchema,
  StatuspageIncidentSchema,
  StatuspageMaintenanceSchema,
  StatuspagePageSchema,
  StatuspageStatusSchema,
} from './statuspage-schemas.ts';
import { lastContentChange, latestUpdate } from '../status/history.ts';
import { maintenancePhase, worstState, type StatusSnapshot } from '../status/status.ts';
import { isStale, lastMonitoringReport, staleSentence } from '../status/reader-words.ts';
import { toCompactUtc as compact, toIsoUtc as iso } from '../shared/time.ts';

type Page = z.output<typeof StatuspagePageSchema>;
type Component = z.output<typeof StatuspageComponentSchema>;
type ApiIncident = z.output<typeof StatuspageIncidentSchema>;
type ApiMaintenance = z.output<typeof StatuspageMaintenanceSchema>;
type ApiStatus = z.output<typeof StatuspageStatusSchema>;

export const COMPONENT_STATUS: Record<ComponentState, Component['status']> = {
  operational: 'operational',
  'under-maintenance': 'under_maintenance',
  unknown: 'operational',
  degraded: 'degraded_performance',
  'partial-outage': 'partial_outage',
  'major-outage': 'major_outage',
};

const INDICATOR: Record<ComponentState, ApiStatus> = {
  operational: { indicator: 'none', description: 'All Systems Operational' },
  'under-maintenance': { indicator: 'maintenance', description: 'Service Under Maintenance' },
  unknown: { indicator: 'none', description: 'All Systems Operational' },
  degraded: { indicator: 'minor', description: 'Minor Service Outage' },
  'partial-outage': { indicator: 'major', description: 'Partial System Outage' },
  'major-outage': { indicator: 'critical', description: 'Major Service Outage' },
};

/**
 * A state as machines are told it: `unknown` is `operational` (see the
 * header), before any rollup, so that a group or the page indicator never
 * says less than the components it is made of, e.g. maintenance on c2s
 * while the probes are silent is `maintenance`, not `none`.
 */
const published = (state: ComponentState): ComponentState => (state === 'unknown' ? 'operational' : state);

const MAINTENANCE_STATUS: Record<MaintenanceStatus, ApiMaintenance['status']> = {
  scheduled: 'scheduled',
  'in-progress': 'in_progress',
  verifying: 'verifying',
  completed: 'completed',
  cancelled: 'completed',
};

/**
 * When each component last changed: the newest incident update that moved
 * it, or maintenance update of a window on it, not after `now`.
 * @returns by component id; components never touched are absent
 */
export function componentChanges(content: SiteContent, now: Date): Map<string, Date> {
  const out = new Map<string, Date>();
  const consider = (id: string, at: Date) => {
    if (at.getTime() > now.getTime()) return;
    const seen = out.get(id);
    if (!seen || at.getTime() > seen.getTime()) out.set(id, at);
  };
  for (const incident of content.incidents) for (const u of incident.updates) for (const c of u.changes) consider(c.id, u.at);
  for (const window of content.maintenance) for (const u of window.updates) for (const id of window.components) consider(id, u.at);
  return out;
}

/** The oldest entry's time: when the page started, for things that never changed since. */
function firstContentChange(content: SiteContent): Date {
  let oldest = Number.POSITIVE_INFINITY;
  for (const i of content.incidents) oldest = Math.min(oldest, i.startedAt.getTime());
  for (const m of content.maintenance) oldest = Math.min(oldest, m.announced.getTime());
  for (const u of content.updates) oldest = Math.min(oldest, Date.parse(`${u.date}T00:00:00Z`));
  return new Date(Number.isFinite(oldest) ? oldest : 0);
}

/**
 * The updates Statuspage writes by itself when the clock moves a window
 * (issue 27: its API gains an `in_progress` update at the start and a
 * `completed` one at the end; ours had only what the admin wrote). Only
 * what the timeline does not already say, and only what has happened by
 * the phase the clock gives: a window the admin started, verified or ended
 * keeps the admin's updates alone.
 * @param phase the window's phase at the build's now
 */
export function automaticUpdates(
  m: Maintenance,
  phase: ReturnType<typeof maintenancePhase>,
): (Pick<Maintenance['updates'][number], 'at' | 'status' | 'markdown'> & { automatic: true })[] {
  const said = new Set(m.updates.map((u) => u.status));
  if (said.has('cancelled')) return [];
  const out: (Pick<Maintenance['updates'][number], 'at' | 'status' | 'markdown'> & { automatic: true })[] = [];
  const started = phase === 'in-progress' || phase === 'verifying' || phase === 'completed';
  if (started && !said.has('in-progress') && !said.has('verifying') && !said.has('completed'))
    out.push({ at: m.start, status: 'in-progress', markdown: 'The maintenance window has started.', automatic: true });
  if (phase === 'completed' && !said.has('completed'))
    out.push({ at: m.end, status: 'completed', markdown: 'The maintenance window has ended.', automatic: true });
  return out;
}

export interface StatuspageApi {
  page: Page;
  components: Component[];
  status: ApiStatus;
  incidents: ApiIncident[];
  unresolved: ApiIncident[];
  maintenances: ApiMaintenance[];
  upcoming: ApiMaintenance[];
  active: ApiMaintenance[];
}

/** Builds every v2 document from the status snapshot. */
export function buildStatuspageApi(content: SiteContent, status: StatusSnapshot): StatuspageApi {
  const { site } = content;
  const pageId = new URL(site.url).hostname;
  const updatedAt = iso(lastContentChange(content, status.now));
  const createdAt = iso(firstContentChange(content));
  // Statuspage writes the page URL without a trailing slash.
  const page: Page = { id: pageId, name: site.name, url: absoluteUrl(site.url, site.base, '').replace(/\/$/, ''), time_zone: 'Etc/UTC', updated_at: updatedAt };
  const changed = componentChanges(content, status.now);
  const base = { created_at: createdAt, showcase: true, start_date: null, page_id: pageId, only_show_if_degraded: false };

  const components: Component[] = [];
  for (const g of site.groups) {
    const children = status.components.filter((c) => c.component.group === g.id);
    if (children.length === 0) continue;
    const groupChanged = children.map((c) => changed.get(c.component.id)?.getTime() ?? 0).reduce((a, b) => Math.max(a, b), 0);
    components.push({
      ...base,
      id: g.id,
      name: g.name,
      status: COMPONENT_STATUS[worstState(children.map((c) => published(c.state)))],
      updated_at: groupChanged ? iso(new Date(groupChanged)) : createdAt,
      position: components.length + 1,
      description: null,
      group_id: null,
      group: true,
      components: children.map((c) => c.component.id),
    });
    for (const c of children) {
      components.push({
        ...base,
        id: c.component.id,
        name: c.component.name,
        status: COMPONENT_STATUS[c.state],
        updated_at: iso(changed.get(c.component.id) ?? new Date(createdAt)),
        position: components.length + 1,
        description: c.component.description,
        group_id: g.id,
        group: false,
        ...(c.monitoring ? { monitoring: { verdict: c.monitoring.verdict, locations_reporting: c.monitoring.reporting } } : {}),
      });
    }
  }
  const byId = new Map(components.map((c) => [c.id, c]));
  const nameOf = (id: string) => byId.get(id)?.name ?? id;

  const incident = (i: Incident): ApiIncident => {
    const last = latestUpdate(i);
    const monitoring = i.updates.find((u) => u.status === 'monitoring');
    return {
      id: i.slug,
      name: i.title,
      status: last.status,
      created_at: iso(i.startedAt),
      updated_at: iso(last.at),
      monitoring_at: monitoring ? iso(monitoring.at) : null,
      resolved_at: i.resolvedAt ? iso(i.resolvedAt) : null,
      impact: i.impact,
      shortlink: absoluteUrl(site.url, site.base, incidentPath(i.slug)),
      started_at: iso(i.startedAt),
      page_id: pageId,
      // Newest first, as Statuspage lists them.
      incident_updates: [...i.updates].reverse().map((u) => ({
        id: `${i.slug}-${compact(u.at)}`,
        status: u.status,
        body: u.markdown,
        incident_id: i.slug,
        created_at: iso(u.at),
        updated_at: iso(u.at),
        display_at: iso(u.at),
        affected_components: u.changes.length
          ? u.changes.map((c) => ({ code: c.id, name: nameOf(c.id), old_status: COMPONENT_STATUS[c.from], new_status: COMPONENT_STATUS[c.to] }))
          : null,
        deliver_notifications: true,
      })),
      components: i.componentIds.flatMap((id) => byId.get(id) ?? []),
    };
  };

  const maintenance = (m: Maintenance): ApiMaintenance => {
    const phase = maintenancePhase(m, status.now);
    const apiStatus: ApiMaintenance['status'] = phase === 'upcoming' ? 'scheduled' : phase === 'cancelled' ? 'completed' : MAINTENANCE_STATUS[phase];
    const last = m.updates[m.updates.length - 1]!;
    const cancelled = last.status === 'cancelled' ? last.at : null;
    return {
      id: m.slug,
      name: m.title,
      status: apiStatus,
      created_at: iso(m.announced),
      updated_at: iso(new Date(automaticUpdates(m, phase).reduce((t, u) => Math.max(t, u.at.getTime()), last.at.getTime()))),
      monitoring_at: null,
      resolved_at: cancelled ? iso(cancelled) : apiStatus === 'completed' ? iso(last.status === 'completed' ? last.at : m.end) : null,
      impact: 'maintenance',
      shortlink: absoluteUrl(site.url, site.base, maintenancePath(m.slug)),
      started_at: iso(m.start),
      page_id: pageId,
      incident_updates: [...automaticUpdates(m, phase), ...[...m.updates].reverse()]
        .sort((a, b) => b.at.getTime() - a.at.getTime())
        .map((u) => {
          const first = u === m.updates[0];
          // The work moves components in and out of maintenance when it starts and ends.
          const moves =
            u.status === 'in-progress' ? ['operational', 'under_maintenance'] : u.status === 'completed' ? ['under_maintenance', 'operational'] : undefined;
          return {
            id: `${m.slug}-${compact(u.at)}${'automatic' in u ? '-auto' : ''}`,
            status: MAINTENANCE_STATUS[u.status],
            body:
              u.status === 'cancelled' && !/^cancel/i.test(u.markdown)
                ? `Cancelled: ${u.markdown}`
                : first && m.markdown
                  ? `${u.markdown}\n\n${m.markdown}`
                  : u.markdown,
            incident_id: m.slug,
            created_at: iso(u.at),
            updated_at: iso(u.at),
            display_at: iso(u.at),
            affected_components: moves ? m.components.map((id) => ({ code: id, name: nameOf(id), old_status: moves[0]!, new_status: moves[1]! })) : null,
            deliver_notifications: true,
          };
        }),
      components: m.components.flatMap((id) => byId.get(id) ?? []),
      scheduled_for: iso(m.start),
      scheduled_until: iso(m.end),
      cancelled_at: cancelled ? iso(cancelled) : null,
    };
  };

  return {
    page,
    components,
    // Stale monitoring with nothing declared: the indicator stays `none` (no
    // known problem), the description is the page's own sentence (issue 27).
    status: isStale(status)
      ? { indicator: 'none', description: staleSentence(lastMonitoringReport(status), status.now) }
      : INDICATOR[worstState(status.components.map((c) => published(c.state)))],
    // The 50 most recent, like Statuspage.
    incidents: content.incidents
      .filter((i) => i.startedAt.getTime() <= status.now.getTime())
      .slice(0, 50)
      .map(incident),
    unresolved: status.activeIncidents.map(incident),
    maintenances: [...content.maintenance]
      .sort((a, b) => b.start.getTime() - a.start.getTime())
      .slice(0, 50)
      .map(maintenance),
    // The 50 soonest: nothing bounds how far ahead windows are announced.
    upcoming: status.upcomingMaintenance.slice(0, 50).map(maintenance),
    active: status.activeMaintenance.map(maintenance),
  };
}

/** The v2 documents by path under `api/v2/`. */
export function statuspageDocuments(api: StatuspageApi): Record<string, unknown> {
  const { page } = api;
  return {
    'summary.json': {
      page,
      components: api.components,
      incidents: api.unresolved,
      scheduled_maintenances: [...api.active, ...api.upcoming],
      status: api.status,
    },
    'status.json': { page, status: api.status },
    'components.json': { page, components: api.components },
    'incidents.json': { page, incidents: api.incidents },
    'incidents/unresolved.json': { page, incidents: api.unresolved },
    'scheduled-maintenances.json': { page, scheduled_maintenances: api.maintenances },
    'scheduled-maintenances/upcoming.json': { page, scheduled_maintenances: api.upcoming },
    'scheduled-maintenances/active.json': { page, scheduled_maintenances: api.active },
  };
}
