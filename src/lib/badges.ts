/**
 * Every badge the site publishes, from the status snapshot:
 * `badges/status.svg` (overall), `badges/components/<id>.svg` (state) and
 * `badges/components/<id>-uptime.svg` (30-day uptime against the SLA: measured
 * by the probes when the component is monitored, else declared by incidents).
 */
import type { SiteContent } from './content.ts';
import { renderBadge, STATE_BADGE_COLORS } from './badge.ts';
import { STATE_LABELS, type StatusSnapshot } from './status.ts';
import { declaredUptime, formatUptime } from './uptime.ts';

export const UPTIME_BADGE_DAYS = 30;

export function buildBadges(content: SiteContent, status: StatusSnapshot): { path: string; svg: string }[] {
  const { site } = content;
  const badges = [{ path: 'status', svg: renderBadge(site.service, status.overall.headline.toLowerCase(), STATE_BADGE_COLORS[status.overall.state]) }];
  for (const c of status.components) {
    badges.push({ path: `components/${c.component.id}`, svg: renderBadge(c.component.id, STATE_LABELS[c.state].toLowerCase(), STATE_BADGE_COLORS[c.state]) });
    // Measured uptime when probes cover the component; otherwise what incidents declare.
    const measured = c.monitoring?.uptime['30d'];
    const uptime = measured ?? declaredUptime(content.incidents, c.component.id, status.now, UPTIME_BADGE_DAYS);
    const color = uptime >= site.slaTarget ? STATE_BADGE_COLORS.operational : uptime >= 99 ? STATE_BADGE_COLORS.degraded : STATE_BADGE_COLORS['major-outage'];
    badges.push({ path: `components/${c.component.id}-uptime`, svg: renderBadge(`${c.component.id} uptime ${UPTIME_BADGE_DAYS}d`, formatUptime(uptime), color) });
  }
  return badges;
}
