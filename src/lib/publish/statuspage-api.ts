/**
 * JSON in the shape of Statuspage's public v2 API (`/api/v2/*.json`), so
 * existing aggregators, chat bots and widgets read this site unchanged.
 * Everything comes from `computeStatus`, like the pages.
 *
 * Vocabulary mapping (ours → theirs):
 * - component state: operational → operational, degraded → degraded_performance,
 *   partial-outage → partial_outage, major-outage → major_outage,
 *   under-maintenance → under_maintenance, unknown (no fresh monitoring
 *   data) → degraded_performance, since Statuspage has no "unknown";
 * - page indicator from the worst component: operational → none,
 *   under-maintenance → maintenance, degraded/unknown → minor,
 *   partial-outage → major, major-outage → critical;
 * - incident impact and status keep their names (we use Statuspage's words);
 * - maintenance: upcoming → scheduled, in progress → in_progress, past →
 *   completed; cancelled windows are left out (they stay on the site and in
 *   maintenance.ics as CANCELLED).
 */
import { z } from 'astro/zod';
import type { Incident, Maintenance, SiteContent } from '../content/content.ts';
import { absoluteUrl, incidentPath, maintenancePath } from './paths.ts';
import type { ComponentState, StatuspageComponentSchema, StatuspageIncidentSchema, StatuspageMaintenanceSchema, StatuspagePageSchema, StatuspageStatusSchema } from '../schemas.ts';
import { latestUpdate, updateDay } from '../status/history.ts';
import { maintenancePhase, worstState, type StatusSnapshot } from '../status/status.ts';
import { toCompactUtc as compact, toIsoUtc as iso } from '../shared/time.ts';

type Page = z.output<typeof StatuspagePageSchema>;
type Component = z.output<typeof StatuspageComponentSchema>;
type ApiIncident = z.output<typeof StatuspageIncidentSchema>;
type ApiMaintenance = z.output<typeof StatuspageMaintenanceSchema>;
type ApiStatus = z.output<typeof StatuspageStatusSchema>;

export const COMPONENT_STATUS: Record<ComponentState, Component['status']> = {
  operational: 'operational',
  'under-maintenance': 'under_maintenance',
  unknown: 'degraded_performance',
  degraded: 'degraded_performance',
  'partial-outage': 'partial_outage',
  'major-outage': 'major_outage',
};

const INDICATOR: Record<ComponentState, ApiStatus> = {
  operational: { indicator: 'none', description: 'All Systems Operational' },
  'under-maintenance': { indicator: 'maintenance', description: 'Service Under Maintenance' },
  unknown: { indicator: 'minor', description: 'Status Partly Unknown' },
  degraded: { indicator: 'minor', description: 'Minor Service Outage' },
  'partial-outage': { indicator: 'major', description: 'Partial System Outage' },
  'major-outage': { indicator: 'critical', description: 'Major Service Outage' },
};


/**
 * Newest content instant not after `now`: the page's `updated_at`, stable
 * across rebuilds. A running maximum, not `Math.max(...times)`: spreading
 * 170,603 timestamps overflowed the stack at 50,000 incidents (issue 16).
 */
export function lastChange(
  content: { incidents: readonly { updates: readonly { at: Date }[] }[]; maintenance: readonly { announced: Date }[]; updates: readonly { date: string }[] },
  now: Date,
): Date {
  const limit = now.getTime();
  let newest = 0;
  const consider = (t: number) => {
    if (t <= limit && t > newest) newest = t;
  };
  for (const incident of content.incidents) for (const update of incident.updates) consider(update.at.getTime());
  for (const window of content.maintenance) consider(window.announced.getTime());
  for (const update of content.updates) consider(updateDay(update).getTime());
  return new Date(newest);
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
  const updatedAt = iso(lastChange(content, status.now));
  const page: Page = { id: pageId, name: site.name, url: absoluteUrl(site.url, site.base, ''), time_zone: 'Etc/UTC', updated_at: updatedAt };
  const base = { created_at: updatedAt, updated_at: updatedAt, showcase: true, start_date: null, page_id: pageId, only_show_if_degraded: false };
  const components: Component[] = [
    ...status.components.map((c, position) => ({
      ...base,
      id: c.component.id,
      name: c.component.name,
      status: COMPONENT_STATUS[c.state],
      position: position + 1,
      description: c.component.description,
      group_id: c.component.group,
      group: false,
    })),
    ...site.groups.map((g, i) => ({
      ...base,
      id: g.id,
      name: g.name,
      status: COMPONENT_STATUS[worstState(status.components.filter((c) => c.component.group === g.id).map((c) => c.state))],
      position: status.components.length + i + 1,
      description: null,
      group_id: null,
      group: true,
      components: site.components.filter((c) => c.group === g.id).map((c) => c.id),
    })),
  ];
  const byId = new Map(components.map((c) => [c.id, c]));

  const incident = (i: Incident): ApiIncident => {
    const affected = i.affected.map((a) => ({ code: a.id, name: byId.get(a.id)?.name ?? a.id, old_status: 'operational', new_status: COMPONENT_STATUS[a.status] }));
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
        affected_components: affected,
      })),
      components: i.affected.map((a) => byId.get(a.id)!).filter(Boolean),
    };
  };

  const maintenance = (m: Maintenance): ApiMaintenance => {
    const phase = maintenancePhase(m, status.now);
    const apiStatus = phase === 'upcoming' ? 'scheduled' : phase === 'in-progress' ? 'in_progress' : 'completed';
    const affected = m.components.map((id) => ({ code: id, name: byId.get(id)?.name ?? id, old_status: 'operational', new_status: 'under_maintenance' }));
    return {
      id: m.slug,
      name: m.title,
      status: apiStatus,
      created_at: iso(m.announced),
      updated_at: iso(m.announced),
      monitoring_at: null,
      resolved_at: apiStatus === 'completed' ? iso(m.end) : null,
      impact: 'maintenance',
      shortlink: absoluteUrl(site.url, site.base, maintenancePath(m.slug)),
      started_at: iso(m.start),
      page_id: pageId,
      incident_updates: [
        { id: `${m.slug}-announced`, status: 'scheduled', body: m.markdown, incident_id: m.slug, created_at: iso(m.announced), updated_at: iso(m.announced), display_at: iso(m.announced), affected_components: affected },
      ],
      components: m.components.map((id) => byId.get(id)!).filter(Boolean),
      scheduled_for: iso(m.start),
      scheduled_until: iso(m.end),
    };
  };

  const scheduled = content.maintenance.filter((m) => m.status !== 'cancelled');
  return {
    page,
    components,
    status: INDICATOR[status.overall.state],
    // The 50 most recent, like Statuspage.
    incidents: content.incidents.filter((i) => i.startedAt.getTime() <= status.now.getTime()).slice(0, 50).map(incident),
    unresolved: status.activeIncidents.map(incident),
    maintenances: [...scheduled].sort((a, b) => b.start.getTime() - a.start.getTime()).slice(0, 50).map(maintenance),
    // The 50 soonest: nothing bounds how far ahead windows are announced.
    upcoming: status.upcomingMaintenance.slice(0, 50).map(maintenance),
    active: status.activeMaintenance.map(maintenance),
  };
}

/** The v2 documents by path under `api/v2/`. */
export function statuspageDocuments(api: StatuspageApi): Record<string, unknown> {
  const { page } = api;
  return {
    'summary.json': { page, components: api.components, incidents: api.unresolved, scheduled_maintenances: [...api.active, ...api.upcoming], status: api.status },
    'status.json': { page, status: api.status },
    'components.json': { page, components: api.components },
    'incidents.json': { page, incidents: api.incidents },
    'incidents/unresolved.json': { page, incidents: api.unresolved },
    'scheduled-maintenances.json': { page, scheduled_maintenances: api.maintenances },
    'scheduled-maintenances/upcoming.json': { page, scheduled_maintenances: api.upcoming },
    'scheduled-maintenances/active.json': { page, scheduled_maintenances: api.active },
  };
}
