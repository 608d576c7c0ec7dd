/**
 * Every badge the site publishes, from the status snapshot:
 * `badges/status.svg` (overall), `badges/components/<id>.svg` (state) and
 * `badges/components/<id>-uptime.svg` (30-day uptime against the SLA: measured
 * by the probes when the component is monitored, else declared by incidents).
 *
 * Flat SVG badges (shields.io style): static, small, accessible (`role="img"`
 * with a `<title>` and `aria-label`), and legible without the colour.
 */
import type { SiteContent } from '../content/content.ts';
import { STATE_LABELS, type StatusSnapshot } from '../status/status.ts';
import { declaredUptime, formatUptime } from '../status/declared-uptime.ts';
import { escapeXml } from '../shared/xml.ts';

/** Approximate advance widths of Verdana 11px, the badge font, in px. */
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if ("iljI.,:;|!'1()[]".includes(ch)) width += 3.9;
    else if ('mwMW%@'.includes(ch)) width += 10.5;
    else if (ch === ' ') width += 3.9;
    else if (ch >= 'A' && ch <= 'Z') width += 7.6;
    else width += 6.8;
  }
  return Math.ceil(width);
}

/**
 * @param color background of the value part; white text must reach 4.5:1 on it, e.g. `#1a7f37`
 * @example renderBadge('c2s', 'operational', '#1a7f37')
 */
export function renderBadge(label: string, value: string, color: string): string {
  const lw = textWidth(label) + 12;
  const vw = textWidth(value) + 12;
  const w = lw + vw;
  const title = `${label}: ${value}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${escapeXml(title)}"><title>${escapeXml(title)}</title><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${color}"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="${lw / 2}" y="14">${escapeXml(label)}</text><text x="${lw + vw / 2}" y="14">${escapeXml(value)}</text></g></svg>\n`;
}

/**
 * Badge colours per state: the light-theme colours, each with at least 4.5:1
 * contrast for white text.
 */
export const STATE_BADGE_COLORS = {
  operational: '#1a7f37',
  'under-maintenance': '#0550ae',
  unknown: '#59636e',
  degraded: '#8a5a00',
  'partial-outage': '#a0430a',
  'major-outage': '#c11f2c',
} as const;

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
    badges.push({
      path: `components/${c.component.id}-uptime`,
      svg: renderBadge(`${c.component.id} uptime ${UPTIME_BADGE_DAYS}d`, formatUptime(uptime), color),
    });
  }
  return badges;
}
