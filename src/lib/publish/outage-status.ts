/**
 * XEP-0455 (Service Outage Status) external status document. XMPP clients
 * that cannot connect fetch it to tell their users why. Derived from the same
 * snapshot as the page: unresolved incidents (unplanned) win over maintenance
 * in progress (planned); `{}` when all is well, as the XEP asks.
 *
 * The XMPP server advertises it in disco#info with a data form:
 *   FORM_TYPE = urn:xmpp:sos:0, external-status-addresses = <this file's URL>
 */
import type { StatusSnapshot } from '../status/status.ts';

export type OutageStatus =
  | Record<string, never>
  | { planned: boolean; beginning: string; expected_end?: string; message: { default: string; en: string } };

import { toIsoUtc as iso } from '../shared/time.ts';

export function serviceOutageStatus(status: StatusSnapshot, siteUrl: string): OutageStatus {
  const incidents = status.activeIncidents;
  if (incidents.length > 0) {
    // Folds, not Math.min(...): nothing bounds how many are open at once (issue 16).
    const beginning = new Date(incidents.reduce((t, i) => Math.min(t, i.startedAt.getTime()), Infinity));
    const text = `${incidents.map((i) => i.title).join('; ')}. Details: ${siteUrl}`;
    return { planned: false, beginning: iso(beginning), message: { default: text, en: text } };
  }
  const windows = status.activeMaintenance;
  if (windows.length > 0) {
    const beginning = new Date(windows.reduce((t, m) => Math.min(t, m.start.getTime()), Infinity));
    const end = new Date(windows.reduce((t, m) => Math.max(t, m.end.getTime()), -Infinity));
    const text = `Scheduled maintenance: ${windows.map((m) => m.title).join('; ')}. Details: ${siteUrl}`;
    return { planned: true, beginning: iso(beginning), expected_end: iso(end), message: { default: text, en: text } };
  }
  return {};
}
