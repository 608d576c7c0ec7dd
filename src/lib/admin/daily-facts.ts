/**
 * The facts of the last 24 hours for a new daily update, from the same
 * state the pages show: each component's uptime (measured where monitoring
 * has data, declared otherwise), incidents opened, updated and resolved,
 * maintenance done or coming, and certificates close to expiry.
 */
import type { SiteState } from '../status/site-state.ts';
import { declaredUptime, formatUptime } from '../status/declared-uptime.ts';
import { INCIDENT_STATUS_LABELS, maintenancePhase } from '../status/status.ts';
import { formatUtc } from '../shared/time.ts';

const DAY = 86_400_000;
/** Certificates expiring within this many days are named. */
const CERT_DAYS = 30;

/**
 * Lines for the update's body, and the incidents it should list, e.g. `{ facts: ['Client connections: 100% uptime (measured)'], incidents: [] }`.
 * @param unread probe sources that could not be read, e.g. `['ams: could not fetch … (timed out)']`:
 *   a monitored component then gets a visible TODO line instead of made-up figures
 *   ("now unknown", "100% uptime (declared)"; issue 22)
 */
export function dailyFacts(state: SiteState, unread: readonly string[] = []): { facts: string[]; incidents: string[] } {
  const { now, content, status } = state;
  const since = now.getTime() - DAY;
  const facts: string[] = [];
  for (const c of status.components) {
    const measured = c.monitoring?.uptime['24h'];
    if (measured == null && unread.length > 0 && content.site.probes.components[c.component.id]) {
      facts.push(
        `TODO ${c.component.name}: uptime and state not known, the monitoring data could not be read (${unread.join('; ')}). Fill in the figures or remove this line`,
      );
      continue;
    }
    const uptime = measured ?? declaredUptime(content.incidents, c.component.id, now, 1);
    facts.push(`${c.component.name}: ${formatUptime(uptime)} uptime (${measured == null ? 'declared' : 'measured'}), now ${c.state.replace(/-/g, ' ')}`);
  }
  const incidents: string[] = [];
  for (const i of content.incidents) {
    const recent = i.updates.filter((u) => u.at.getTime() > since && u.at.getTime() <= now.getTime());
    if (recent.length === 0) continue;
    incidents.push(i.slug);
    const opened = i.startedAt.getTime() > since;
    const last = recent[recent.length - 1]!;
    facts.push(`${opened ? 'Opened' : 'Updated'}: ${i.title} (${INCIDENT_STATUS_LABELS[last.status].toLowerCase()} since ${formatUtc(last.at)})`);
  }
  for (const m of content.maintenance) {
    const phase = maintenancePhase(m, now);
    if (phase === 'upcoming' && m.start.getTime() < now.getTime() + 7 * DAY)
      facts.push(`Maintenance coming: ${m.title}, ${formatUtc(m.start)} to ${formatUtc(m.end)}`);
    else if (m.end.getTime() > since && m.end.getTime() <= now.getTime() && phase === 'completed') facts.push(`Maintenance done: ${m.title}`);
  }
  for (const c of status.components) {
    const cert = c.monitoring?.cert;
    if (cert?.daysLeft != null && cert.daysLeft < CERT_DAYS)
      facts.push(`Certificate for ${c.component.name} expires in ${cert.daysLeft} days (${cert.validTo?.slice(0, 10)})`);
  }
  return { facts, incidents };
}
