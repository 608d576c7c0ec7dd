/**
 * XEP-0455 (Service Outage Status) external status document. XMPP clients
 * that cannot connect fetch it to tell their users why, so it speaks only of
 * the XMPP service they connect to, and only of what stops or degrades
 * messaging:
 * - components marked `xmpp: true` in content/site.yaml (for jabber.org:
 *   client connections, direct TLS, federation, registration, chat rooms,
 *   file transfer proxy; not the website);
 * - unplanned: an open incident with impact other than `none` whose latest
 *   update holds such a component degraded, in partial or in major outage;
 * - planned: maintenance in progress on such a component.
 * Unplanned wins over planned; `{}` when all is well, as the XEP asks.
 *
 * The XMPP server advertises it in disco#info with a data form:
 *   FORM_TYPE = urn:xmpp:sos:0, external-status-addresses = <this file's URL>
 */
import { incidentStateAt, type StatusSnapshot } from '../status/status.ts';
import { toIsoUtc as iso } from '../shared/time.ts';

export type OutageStatus = Record<string, never> | { planned: boolean; beginning: string; expected_end?: string; message: { default: string; en: string } };

export function serviceOutageStatus(status: StatusSnapshot, siteUrl: string): OutageStatus {
  const xmpp = status.components.filter((c) => c.component.xmpp).map((c) => c.component.id);
  const incidents = status.activeIncidents.filter((i) => i.impact !== 'none' && xmpp.some((id) => incidentStateAt(i, id, status.now) !== 'operational'));
  if (incidents.length > 0) {
    // Folds, not Math.min(...): nothing bounds how many are open at once (issue 16).
    const beginning = new Date(incidents.reduce((t, i) => Math.min(t, i.startedAt.getTime()), Infinity));
    const text = `${incidents.map((i) => i.title).join('; ')}. Details: ${siteUrl}`;
    return { planned: false, beginning: iso(beginning), message: { default: text, en: text } };
  }
  const windows = status.activeMaintenance.filter((m) => m.components.some((id) => xmpp.includes(id)));
  if (windows.length > 0) {
    const beginning = new Date(windows.reduce((t, m) => Math.min(t, m.start.getTime()), Infinity));
    const end = new Date(windows.reduce((t, m) => Math.max(t, m.end.getTime()), -Infinity));
    const text = `Scheduled maintenance: ${windows.map((m) => m.title).join('; ')}. Details: ${siteUrl}`;
    return { planned: true, beginning: iso(beginning), expected_end: iso(end), message: { default: text, en: text } };
  }
  return {};
}
