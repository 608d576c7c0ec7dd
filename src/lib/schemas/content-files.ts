/**
 * Content files. These are factories because component ids are only known
 * once the site config is read: the enum makes an unknown id an error that
 * lists the ids that exist. Without a valid config (`undefined`), any
 * well-formed id passes so that the config's own problems are not drowned
 * in one "unknown component" line per incident.
 */
import { z } from 'astro/zod';
import { DateStringSchema, IdSchema, NextUpdateSchema, TimestampSchema } from './building-blocks.ts';
import { ComponentImpactSchema, DeclaredStateSchema, ImpactSchema, IncidentStatusSchema, MaintenanceStatusSchema } from './vocabularies.ts';

function componentIdSchema(componentIds: readonly string[] | undefined) {
  return componentIds && componentIds.length > 0 ? z.enum(componentIds as [string, ...string[]]) : IdSchema;
}

/**
 * Frontmatter of `incidents/YYYY/YYYY-MM-DD-slug.md`.
 * @param componentIds ids from the site config, e.g. `['c2s', 's2s']`
 */
export function createIncidentSchema(componentIds: readonly string[] | undefined) {
  const AffectedSchema = z.strictObject({
    /** Component id from content/site.yaml, e.g. `c2s`. */
    id: componentIdSchema(componentIds),
    /** What the incident does to it until resolved, e.g. `partial-outage`. */
    status: ComponentImpactSchema,
  });
  const UpdateSchema = z.strictObject({
    /** When this update was posted, with an offset, e.g. `2026-11-03T08:12:00Z`. */
    at: TimestampSchema,
    /** Incident status as of this update, e.g. `identified`. */
    status: IncidentStatusSchema,
    /** What readers are told, in Markdown, e.g. `Logins work again; we are watching.` */
    message: z.string().trim().min(1, { error: 'must not be empty: say what readers should know' }),
    /**
     * Component states from this update on, e.g. `{ c2s: degraded }`; a
     * component not named keeps its state, `operational` gives it back. A
     * `resolved` update returns every component to operational unless it
     * names one here.
     */
    components: z.partialRecord(componentIdSchema(componentIds), DeclaredStateSchema).optional(),
    /** When the next update is due: a time (`2026-11-09T08:00:00Z`) or a duration after this one (`2h`). */
    next: NextUpdateSchema.optional(),
  });
  // Checks that span list items sit on the lists, not on the whole object:
  // zod skips an object's refinements when any sibling field fails, and a
  // wrong "impact" must not hide an out-of-order timeline.
  const AffectedListSchema = z
    .array(AffectedSchema)
    .min(1, { error: 'must name at least one component' })
    .superRefine((affected, ctx) => {
      const seen = new Set<string>();
      affected.forEach((a, i) => {
        if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${a.id}" is listed twice. List each component once` });
        seen.add(a.id);
      });
    });
  const TimelineSchema = z
    .array(UpdateSchema)
    .min(1, { error: 'must have at least one update' })
    .superRefine((updates, ctx) => {
      // zod runs this even when some items failed; those keep their raw
      // input (e.g. `at` as text), and are already reported, so skip them.
      const parsed = (u: unknown): u is z.output<typeof UpdateSchema> => (u as { at?: unknown }).at instanceof Date;
      updates.forEach((u, i) => {
        if (parsed(u) && u.next) {
          if (u.status === 'resolved')
            ctx.addIssue({
              code: 'custom',
              path: [i, 'next'],
              message: 'promises another update on a resolved incident. Remove "next", or use "monitoring" if more is to come',
            });
          else if ('at' in u.next && u.next.at.getTime() <= u.at.getTime())
            ctx.addIssue({
              code: 'custom',
              path: [i, 'next'],
              message: `${u.next.at.toISOString()} is not after this update (${u.at.toISOString()}). Promise a later time, or a duration such as 2h`,
            });
        }
        const previous = updates[i - 1];
        if (!previous || !parsed(u) || !parsed(previous)) return;
        if (previous.status === 'resolved') {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'status'],
            message: 'comes after a "resolved" update. Only the last update may be "resolved"; to reopen, change the earlier one to "monitoring"',
          });
        }
        if (u.at.getTime() < previous.at.getTime()) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'at'],
            message: `${u.at.toISOString()} is earlier than the update before it (${previous.at.toISOString()}). List updates oldest first`,
          });
        }
      });
    });
  return z.strictObject({
    /** Headline, e.g. `Login failures after the M-Link migration`. */
    title: z.string().trim().min(1),
    /** Overall impact, e.g. `major`. */
    impact: ImpactSchema,
    /**
     * What readers can do meanwhile, in one or two plain sentences (issue 27),
     * shown in the banner, the card, feeds and notifications. Optional.
     * E.g. `Your password is fine; do not create a new account.`
     */
    advice: z.string().trim().min(1, { error: 'must not be empty: say what readers can do, or remove the line' }).optional(),
    /** Components hit by this incident, each with how badly. */
    affected: AffectedListSchema,
    /** Timeline, oldest first. The incident is resolved when the last update says `resolved`. */
    updates: TimelineSchema,
  });
}

/**
 * Frontmatter of `content/maintenance/YYYY-MM-DD-slug.md`: a window and its
 * timeline. The window is the `start`/`end` of the latest update that gives
 * them; the phase comes from the timeline and the clock.
 * @param componentIds ids from the site config, e.g. `['c2s', 's2s']`
 */
export function createMaintenanceSchema(componentIds: readonly string[] | undefined) {
  const UpdateSchema = z.strictObject({
    /** When this update was posted, with an offset, e.g. `2026-11-20T10:00:00Z`. */
    at: TimestampSchema,
    /** Where the work stands, e.g. `scheduled`, `in-progress`, `verifying`, `completed`, `cancelled`. */
    status: MaintenanceStatusSchema,
    /** When the work starts: required on the first update, and a reschedule on a later one, e.g. `2026-11-25T04:00:00Z`. */
    start: TimestampSchema.optional(),
    /** When the work is expected to end (required on the first update), e.g. `2026-11-25T05:00:00Z`. */
    end: TimestampSchema.optional(),
    /** What readers are told, in Markdown, e.g. `Moved by a day: the new release is not ready.` */
    message: z.string().trim().min(1, { error: 'must not be empty: say what readers should know' }),
  });
  const TimelineSchema = z
    .array(UpdateSchema)
    .min(1, { error: 'must have at least one update: the announcement, with status "scheduled", "start" and "end"' })
    .superRefine((updates, ctx) => {
      const parsed = (u: unknown): u is z.output<typeof UpdateSchema> => (u as { at?: unknown }).at instanceof Date;
      let start: Date | undefined;
      let end: Date | undefined;
      updates.forEach((u, i) => {
        if (!parsed(u)) return;
        if (i === 0) {
          if (u.status !== 'scheduled')
            ctx.addIssue({ code: 'custom', path: [i, 'status'], message: `is "${u.status}"; the first update announces the window. Use "scheduled"` });
          if (!u.start)
            ctx.addIssue({
              code: 'custom',
              path: [i],
              message: 'has no "start". The first update says when the work starts, e.g. start: 2026-11-25T04:00:00Z',
            });
          if (!u.end)
            ctx.addIssue({
              code: 'custom',
              path: [i],
              message: 'has no "end". The first update says when the work is expected to end, e.g. end: 2026-11-25T05:00:00Z',
            });
        }
        const previous = updates[i - 1];
        if (previous && parsed(previous)) {
          if (previous.status === 'completed' || previous.status === 'cancelled') {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'status'],
              message: `comes after a "${previous.status}" update. Nothing may follow it; announce new work in a new file`,
            });
          }
          if (u.at.getTime() < previous.at.getTime()) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'at'],
              message: `${u.at.toISOString()} is earlier than the update before it (${previous.at.toISOString()}). List updates oldest first`,
            });
          }
        }
        start = u.start && !Number.isNaN(u.start.getTime()) ? u.start : start;
        end = u.end && !Number.isNaN(u.end.getTime()) ? u.end : end;
        if ((u.start || u.end) && start && end && end.getTime() <= start.getTime()) {
          ctx.addIssue({
            code: 'custom',
            path: [i, u.end ? 'end' : 'start'],
            message: `the window would end at ${end.toISOString()}, not after its start (${start.toISOString()}). The window must end after it starts`,
          });
        }
      });
    });
  return z.strictObject({
    /** Headline, e.g. `M-Link upgrade to 19.4`. */
    title: z.string().trim().min(1),
    /**
     * What readers can do meanwhile, in one or two plain sentences (issue 27),
     * shown in the banner, the card, feeds and notifications. Optional.
     * E.g. `Your password is fine; do not create a new account.`
     */
    advice: z.string().trim().min(1, { error: 'must not be empty: say what readers can do, or remove the line' }).optional(),
    /** Components shown "under maintenance" during the window, e.g. `[c2s, s2s]`. */
    components: z.array(componentIdSchema(componentIds)).min(1, { error: 'must name at least one component' }),
    /** The timeline, oldest first: announcement, reschedules, start, verification, completion or cancellation. */
    updates: TimelineSchema,
  });
}

/**
 * Frontmatter of `content/updates/YYYY-MM-DD.md`, the daily status update.
 * @param incidentSlugs slugs of all incidents, e.g. `['2026-11-03-login-failures']`
 */
export function createDailyUpdateSchema(incidentSlugs: ReadonlySet<string>) {
  return z.strictObject({
    /** Optional; when given it must equal the file name's date, e.g. `2026-11-20`. */
    date: DateStringSchema.optional(),
    /** Who wrote it, e.g. `Peter Saint-Andre`. */
    author: z.string().trim().min(1),
    /** One line shown in lists and feeds, e.g. `Logins stable for 24 hours; federation queue drained.` */
    summary: z.string().trim().min(1).max(200, { error: 'must be one line of at most 200 characters' }),
    /** Incidents this update talks about, by slug, e.g. `[2026-11-03-login-failures]`. */
    incidents: z
      .array(
        z.string().refine((slug) => incidentSlugs.has(slug), {
          error: (issue) => `"${String(issue.input)}" is not an incident. Use the incident's file name without ".md", e.g. 2026-11-03-login-failures`,
        }),
      )
      .default([]),
  });
}
