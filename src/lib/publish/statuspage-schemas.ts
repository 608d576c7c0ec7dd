/**
 * Published JSON: Statuspage v2-compatible API and XEP-0455, beside the code
 * that produces them (statuspage-api.ts, outage-status.ts; issue 24). Used by
 * the tests to check every built file; field names follow Statuspage's
 * public API.
 */
import { z } from 'astro/zod';
import { ImpactSchema } from '../schemas.ts';

const IsoOrNull = z.iso.datetime().nullable();

export const StatuspagePageSchema = z.strictObject({
  /** e.g. `status.jabber.org` */
  id: z.string(),
  name: z.string(),
  /** e.g. `https://status.jabber.org/` */
  url: z.url(),
  /** Always `Etc/UTC`: every time on this site is UTC. */
  time_zone: z.literal('Etc/UTC'),
  /** Newest content change, e.g. `2026-11-21T00:00:00Z`. */
  updated_at: z.iso.datetime(),
});

export const StatuspageComponentSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: z.enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  position: z.number().int(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z.string().nullable(),
  group_id: z.string().nullable(),
  page_id: z.string(),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
  /** Only on groups: ids of their components. */
  components: z.array(z.string()).optional(),
  /**
   * Our extension, on monitored components: what the probes say and how many
   * locations have fresh data, e.g. `{ verdict: 'unknown', locations_reporting: 0 }`.
   * Stale data never turns `status` into an outage; it shows here instead.
   */
  monitoring: z.strictObject({ verdict: z.enum(['up', 'down', 'unknown']), locations_reporting: z.number().int().min(0) }).optional(),
});

const AffectedComponentSchema = z.strictObject({ code: z.string(), name: z.string(), old_status: z.string(), new_status: z.string() });

const StatuspageIncidentUpdateSchema = z.strictObject({
  id: z.string(),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'scheduled', 'in_progress', 'verifying', 'completed']),
  /** The message as written (Markdown). */
  body: z.string(),
  incident_id: z.string(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  display_at: z.iso.datetime(),
  /** Only on updates that changed a component, with its true old and new status; null otherwise, as Statuspage writes it. */
  affected_components: z.array(AffectedComponentSchema).nullable(),
  /** Always true: every update was announced to subscribers. */
  deliver_notifications: z.boolean(),
});

export const StatuspageIncidentSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  monitoring_at: IsoOrNull,
  resolved_at: IsoOrNull,
  impact: ImpactSchema,
  shortlink: z.url(),
  started_at: z.iso.datetime(),
  page_id: z.string(),
  incident_updates: z.array(StatuspageIncidentUpdateSchema),
  components: z.array(StatuspageComponentSchema),
});

export const StatuspageMaintenanceSchema = StatuspageIncidentSchema.extend({
  status: z.enum(['scheduled', 'in_progress', 'verifying', 'completed']),
  /** Our extension: when the window was called off; such a window is listed as `completed` with this set. */
  cancelled_at: IsoOrNull,
  impact: z.literal('maintenance'),
  scheduled_for: z.iso.datetime(),
  scheduled_until: z.iso.datetime(),
});

export const StatuspageStatusSchema = z.strictObject({
  indicator: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  description: z.string(),
});

export const StatuspageSummarySchema = z.strictObject({
  page: StatuspagePageSchema,
  components: z.array(StatuspageComponentSchema),
  incidents: z.array(StatuspageIncidentSchema),
  scheduled_maintenances: z.array(StatuspageMaintenanceSchema),
  status: StatuspageStatusSchema,
});

/** XEP-0455 external status document; `{}` when nothing is wrong. */
export const ServiceOutageStatusSchema = z.union([
  z.strictObject({}),
  z.looseObject({
    planned: z.boolean(),
    beginning: z.iso.datetime(),
    expected_end: z.iso.datetime().optional(),
    message: z.looseObject({ default: z.string() }),
  }),
]);
