/**
 * Vocabularies. Closed lists are enums so that a typo is an error, not a
 * silently wrong status (cState's "make sure to match the name" problem).
 */
import { z } from 'astro/zod';

/** How bad an incident is for users, in Statuspage's words. */
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export const ImpactSchema = z.enum(IMPACTS);
export type Impact = z.output<typeof ImpactSchema>;

/** Where an incident is in its life, one value per timeline update. */
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const IncidentStatusSchema = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.output<typeof IncidentStatusSchema>;

/** What an incident does to one component while it is unresolved. */
export const COMPONENT_IMPACTS = ['degraded', 'partial-outage', 'major-outage'] as const;
export const ComponentImpactSchema = z.enum(COMPONENT_IMPACTS);
export type ComponentImpact = z.output<typeof ComponentImpactSchema>;

/**
 * Every state a component can be shown in, from best to worst. `unknown` is
 * only ever set by monitoring data (stale or missing), never by an admin.
 */
export const COMPONENT_STATES = ['operational', 'under-maintenance', 'unknown', 'degraded', 'partial-outage', 'major-outage'] as const;
const ComponentStateSchema = z.enum(COMPONENT_STATES);
export type ComponentState = z.output<typeof ComponentStateSchema>;

/** Every check the probe runs; the first six need no account, `login` and the ones after it do. */
const PROBE_CHECKS = [
  'dns',
  'c2s-starttls',
  'c2s-directtls',
  's2s-starttls',
  'register',
  'website',
  // Issue 21: one record per run with an account: whether the probe account
  // logged in (and how: detail.login); the checks after it need that session.
  'login',
  'disco',
  'contact',
  'version',
  'ping',
  // Issue 17: one record per remote server pinged over federation (XEP-0199), `target` = that server.
  'federation',
] as const;
export const ProbeCheckSchema = z.enum(PROBE_CHECKS);
export type ProbeCheck = z.output<typeof ProbeCheckSchema>;

/**
 * Why a check did not run, recorded instead of a result so that readers see
 * "not run" rather than a gap:
 * - `no-account`: neither PROBE_JID nor PROBE_PASSWORD is set (logged-in checks);
 * - `no-password`: PROBE_JID is set without PROBE_PASSWORD;
 * - `account-elsewhere`: PROBE_JID is on another domain than the one probed;
 * - `no-client-target`: DNS gave no client connection to log in over;
 * - `not-offered`: an SRV record with the target "." says the service is
 *   decidedly not offered (RFC 2782, RFC 6120 §3.2.1); the policy decides
 *   whether that fails anything;
 * - `login-failed`: the probe account could not log in, so the checks that
 *   need its session (disco, contact, version, ping, federation) did not
 *   run; the one `login` record says why (src/lib/xmpp/login-failure.ts);
 * - `probe-account-refused`: on the `login` record, the server refused the
 *   probe's own credentials (SASL not-authorized): a problem with the
 *   probe, which the operator is alerted to, not an outage of the service.
 */
const PROBE_NOT_RUN_REASONS = [
  'no-account',
  'no-password',
  'account-elsewhere',
  'no-client-target',
  'not-offered',
  'login-failed',
  'probe-account-refused',
] as const;
export const ProbeNotRunSchema = z.enum(PROBE_NOT_RUN_REASONS);
export type ProbeNotRun = z.output<typeof ProbeNotRunSchema>;

/** A maintenance window is either planned or called off. */
/**
 * A maintenance window's timeline, Statuspage's words plus `cancelled`: each
 * update says where the work stands. A `scheduled` update after the first
 * (or any update carrying `start`/`end`) reschedules the window.
 */
export const MAINTENANCE_STATUSES = ['scheduled', 'in-progress', 'verifying', 'completed', 'cancelled'] as const;
export const MaintenanceStatusSchema = z.enum(MAINTENANCE_STATUSES);
export type MaintenanceStatus = z.output<typeof MaintenanceStatusSchema>;

/**
 * What an incident update may declare for a component from then on: one of
 * the impacts, or `operational` to give it back before the incident ends.
 */
export const DECLARED_STATES = ['operational', 'degraded', 'partial-outage', 'major-outage'] as const;
export const DeclaredStateSchema = z.enum(DECLARED_STATES);
export type DeclaredState = z.output<typeof DeclaredStateSchema>;
