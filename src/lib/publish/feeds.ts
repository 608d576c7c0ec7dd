/**
 * What the feeds say, independent of format: RSS (`@astrojs/rss`) and Atom
 * (`renderAtom` below) render the same entries.
 *
 * - Every incident *update* is its own entry, so a reader that remembers
 *   entries by id shows each new update, not just new incidents.
 * - Ids are tag URIs (RFC 4151) built from the slug and the update's instant:
 *   fixing a typo changes neither, so nothing is re-sent.
 * - A feed's `updated` is its newest entry's, never the build time, so it
 *   moves only when content does.
 */
import type { DailyUpdate, Incident, Maintenance, MaintenanceUpdate, SiteContent } from '../content/content.ts';
import type { DeclaredState } from '../schemas.ts';
import type { FeedEntry } from '../shared/feed-entry.ts';
import { absoluteUrl, componentPath, incidentPath, maintenancePath, updatePath } from './paths.ts';
import { INCIDENT_STATUS_LABELS, MAINTENANCE_PHASE_LABELS, STATE_LABELS } from '../status/status.ts';
import { lastContentChange, updateDay } from '../status/history.ts';
import { escapeHtml } from '../content/markdown.ts';
import { getRssString } from '@astrojs/rss';
import { escapeXml, stripInvalidXmlChars } from '../shared/xml.ts';
import { formatUtc, toCompactUtc as compact, toIsoUtc as isoSeconds } from '../shared/time.ts';

/** Entries per feed: enough for any reader's history, and feeds stay small at 10 years of content. */
export const FEED_LIMIT = 50;

export type { FeedEntry } from '../shared/feed-entry.ts';

export interface Feed {
  /** e.g. `all`, `incidents`, `components/c2s`; also the file name. */
  key: string;
  title: string;
  description: string;
  /** Site path of the HTML page this feed mirrors, e.g. `incidents/`. */
  pagePath: string;
  /** Newest first, at most FEED_LIMIT. */
  entries: FeedEntry[];
  /** Newest entry's `updated`; for an empty feed the site's newest change (see `emptyFeedDate`). */
  updated: Date;
}

function tag(siteUrl: string, date: Date, specific: string): string {
  return `tag:${new URL(siteUrl).hostname},${date.toISOString().slice(0, 10)}:${specific}`;
}

/** Anchor of one update on the incident page, e.g. `update-20261109T064000Z`. */
export const updateAnchor = (at: Date) => `update-${compact(at)}`;

/** Words for a component's state in a feed line, e.g. `major outage`. */
const stateWords = (s: DeclaredState) => STATE_LABELS[s].toLowerCase();

/**
 * Makes every link and image address in an entry's HTML absolute: feed
 * readers show entries away from the site, where `/maintenance/…` leads nowhere.
 * @param base the entry's own page, e.g. `https://status.jabber.org/incidents/x/`
 */
export function absolutizeLinks(html: string, base: string): string {
  return html.replace(/\b(href|src)="([^"]*)"/g, (whole, attr: string, value: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('#')) return whole;
    try {
      return `${attr}="${new URL(value.replace(/&amp;/g, '&'), base).href.replace(/&/g, '&amp;')}"`;
    } catch {
      return whole;
    }
  });
}

/** One entry per incident update, saying what each component's state was at that update. */
export function incidentEntries(content: SiteContent, incidents: readonly Incident[]): FeedEntry[] {
  const { site } = content;
  const names = new Map(site.components.map((c) => [c.id, c.name]));
  return incidents.flatMap((incident) => {
    const page = absoluteUrl(site.url, site.base, incidentPath(incident.slug));
    return incident.updates.map((u) => {
      const changed = new Map(u.changes.map((c) => [c.id, c.from]));
      const states = incident.componentIds
        .map(
          (id) =>
            `${escapeHtml(names.get(id) ?? id)}: ${stateWords(u.states[id] ?? 'operational')}${changed.has(id) && changed.get(id) !== 'operational' ? ` (was ${stateWords(changed.get(id)!)})` : ''}`,
        )
        .join('; ');
      const next = u.next ? `<p>Next update by ${formatUtc(u.next)}.</p>` : '';
      // What readers can do (issue 27), while there is something to do: not on the "resolved" entry.
      const advice = incident.advice && u.status !== 'resolved' ? `<p><strong>What you can do:</strong> ${escapeHtml(incident.advice)}</p>` : '';
      return {
        id: tag(site.url, incident.startedAt, `incident/${incident.slug}/${isoSeconds(u.at)}`),
        title: `${INCIDENT_STATUS_LABELS[u.status]}: ${incident.title}`,
        link: `${page}#${updateAnchor(u.at)}`,
        published: u.at,
        updated: u.at,
        html: absolutizeLinks(
          `<p><strong>${INCIDENT_STATUS_LABELS[u.status]}</strong> · ${formatUtc(u.at)} · impact ${incident.impact}</p><p>Components: ${states}</p>${u.html}${advice}${next}`,
          page,
        ),
        categories: ['incident', ...incident.componentIds],
      };
    });
  });
}

export function dailyUpdateEntries(content: SiteContent, updates: readonly DailyUpdate[]): FeedEntry[] {
  const { site } = content;
  return updates.map((u) => {
    const day = updateDay(u);
    const page = absoluteUrl(site.url, site.base, updatePath(u.date));
    return {
      id: tag(site.url, day, `update/${u.date}`),
      title: `Daily update ${u.date}: ${u.summary}`,
      link: page,
      published: day,
      updated: day,
      html: absolutizeLinks(`<p><strong>${escapeHtml(u.summary)}</strong> (${escapeHtml(u.author)})</p>${u.html}`, page),
      categories: ['daily-update'],
    };
  });
}

/** What a maintenance update did, for its feed title, e.g. `Rescheduled`. */
export function maintenanceUpdateLabel(u: Pick<MaintenanceUpdate, 'status' | 'rescheduled'>, first: boolean): string {
  if (u.status === 'scheduled') return first ? 'Scheduled' : u.rescheduled ? 'Rescheduled' : 'Update';
  return MAINTENANCE_PHASE_LABELS[u.status];
}

/**
 * One entry per maintenance update, each with its own permanent id, so a
 * reschedule or a cancellation reaches readers as a new entry instead of
 * an edit they never see.
 */
export function maintenanceEntries(content: SiteContent, windows: readonly Maintenance[]): FeedEntry[] {
  const { site } = content;
  const names = new Map(site.components.map((c) => [c.id, c.name]));
  return windows.flatMap((m) => {
    const page = absoluteUrl(site.url, site.base, maintenancePath(m.slug));
    const affects = m.components.map((id) => escapeHtml(names.get(id) ?? id)).join(', ');
    return m.updates.map((u, i) => {
      const label = maintenanceUpdateLabel(u, i === 0);
      const advice = m.advice && u.status !== 'completed' && u.status !== 'cancelled' ? `<p><strong>What you can do:</strong> ${escapeHtml(m.advice)}</p>` : '';
      return {
        id: tag(site.url, m.announced, `maintenance/${m.slug}/${isoSeconds(u.at)}`),
        title: `${label}: ${m.title}`,
        link: `${page}#${updateAnchor(u.at)}`,
        published: u.at,
        updated: u.at,
        html: absolutizeLinks(
          `<p><strong>${label}</strong> · ${formatUtc(u.at)}</p><p>Window: ${formatUtc(u.start)} to ${formatUtc(u.end)}</p><p>Affects: ${affects}</p>${u.html}${advice}${i === 0 ? m.html : ''}`,
          page,
        ),
        categories: ['maintenance', ...m.components],
      };
    });
  });
}

/**
 * An empty feed's `updated`: the newest change anywhere on the site, so it
 * is stable across rebuilds and never 1970; for a site with no content at
 * all, 1999-01-04, the day jabber.org opened.
 */
function emptyFeedDate(content: SiteContent): Date {
  const newest = lastContentChange(content);
  return newest.getTime() > 0 ? newest : new Date('1999-01-04T00:00:00Z');
}

function feed(content: SiteContent, key: string, title: string, description: string, pagePath: string, entries: FeedEntry[]): Feed {
  const sorted = [...entries].sort((a, b) => b.updated.getTime() - a.updated.getTime() || a.id.localeCompare(b.id)).slice(0, FEED_LIMIT);
  return { key, title, description, pagePath, entries: sorted, updated: sorted[0]?.updated ?? emptyFeedDate(content) };
}

/** Every feed the site publishes. */
/**
 * @param certificates certificate changes (issue 30, src/lib/certs/cert-feed.ts), already entries; categories name their components
 */
export function buildFeeds(content: SiteContent, certificates: readonly FeedEntry[] = []): Feed[] {
  const { site } = content;
  // Entries are written only for incidents that can reach a feed (issue 16:
  // at 50,000 incidents every update's HTML was built, then all but 50 cut).
  const incidents = incidentEntries(content, incidentsThatCanReachAFeed(content));
  const updates = dailyUpdateEntries(content, content.updates);
  const maintenance = maintenanceEntries(content, content.maintenance);
  return [
    feed(content, 'all', `${site.name}: everything`, `Incidents, maintenance and daily updates for ${site.service}.`, '', [
      ...incidents,
      ...updates,
      ...maintenance,
      ...certificates,
    ]),
    feed(content, 'incidents', `${site.name}: incidents`, `Every update on every ${site.service} incident.`, 'incidents/', incidents),
    feed(content, 'updates', `${site.name}: daily updates`, `The daily status update for ${site.service}.`, 'updates/', updates),
    feed(content, 'maintenance', `${site.name}: maintenance`, `Scheduled maintenance on ${site.service}.`, 'maintenance/', maintenance),
    feed(
      content,
      'certificates',
      `${site.name}: certificate changes`,
      `Every change of the certificates ${site.service} presents, expected or not.`,
      'certificates/',
      [...certificates],
    ),
    ...site.components.map((c) =>
      feed(
        content,
        `components/${c.id}`,
        `${site.name}: ${c.name}`,
        `Incidents and maintenance affecting ${c.name}.`,
        componentPath(c.id),
        [...incidents, ...maintenance, ...certificates].filter((e) => e.categories.includes(c.id)),
      ),
    ),
  ];
}

/**
 * The incidents with an update at or after the FEED_LIMIT-th newest update
 * time among all incidents or among those touching any one component: no
 * other incident's entries can be among a feed's FEED_LIMIT newest, because
 * that many newer incident entries are in the same feed. Ties at the limit
 * are kept, so the feeds are exactly what they are over every incident.
 * @example incidentsThatCanReachAFeed(content) → the 60 newest of 50,000 incidents, say, and any older one that is among the newest for its component
 */
export function incidentsThatCanReachAFeed(content: SiteContent): Incident[] {
  const scopes: Array<(i: Incident) => boolean> = [() => true, ...content.site.components.map((c) => (i: Incident) => i.componentIds.includes(c.id))];
  const limits = scopes.map((inScope) => {
    const times: number[] = [];
    for (const incident of content.incidents) if (inScope(incident)) for (const u of incident.updates) times.push(u.at.getTime());
    if (times.length <= FEED_LIMIT) return -Infinity;
    return Float64Array.from(times).sort()[times.length - FEED_LIMIT]!;
  });
  return content.incidents.filter((incident) => {
    // Updates are in time order, so the last one is the newest.
    const newest = incident.updates[incident.updates.length - 1]!.at.getTime();
    return scopes.some((inScope, i) => newest >= limits[i]! && inScope(incident));
  });
}

// ---------------------------------------------------------------------------
// Atom 1.0 (RFC 4287), written by hand because @astrojs/rss speaks RSS only.
// ---------------------------------------------------------------------------

/**
 * @param selfUrl the feed's own absolute URL, e.g. `https://status.jabber.org/feeds/all.atom`
 * @param pageUrl the HTML page it mirrors, e.g. `https://status.jabber.org/`
 */
export function renderAtom(feed: Feed, selfUrl: string, pageUrl: string, author: string): string {
  const entries = feed.entries.map(
    (e) => `  <entry>
    <id>${escapeXml(e.id)}</id>
    <title>${escapeXml(e.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(e.link)}"/>
    <published>${isoSeconds(e.published)}</published>
    <updated>${isoSeconds(e.updated)}</updated>
${e.categories.map((c) => `    <category term="${escapeXml(c)}"/>`).join('\n')}
    <content type="html">${escapeXml(e.html)}</content>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>${escapeXml(selfUrl)}</id>
  <title>${escapeXml(feed.title)}</title>
  <subtitle>${escapeXml(feed.description)}</subtitle>
  <link rel="alternate" type="text/html" href="${escapeXml(pageUrl)}"/>
  <link rel="self" type="application/atom+xml" href="${escapeXml(selfUrl)}"/>
  <updated>${isoSeconds(feed.updated)}</updated>
  <author><name>${escapeXml(author)}</name></author>
${entries.join('\n')}
</feed>
`;
}

// ---------------------------------------------------------------------------
// RSS 2.0 through @astrojs/rss, from the same entries as Atom. The entry id
// becomes a non-permalink <guid> so RSS and Atom readers agree on identity,
// and atom:link rel="self" is added as the W3C validator recommends.
// ---------------------------------------------------------------------------

/**
 * @param selfUrl e.g. `https://status.jabber.org/feeds/all.xml`
 * @param siteUrl the site root, e.g. `https://status.jabber.org/`
 */
export async function renderRss(feed: Feed, selfUrl: string, pageUrl: string): Promise<string> {
  return await getRssString({
    title: stripInvalidXmlChars(feed.title),
    description: stripInvalidXmlChars(feed.description),
    site: pageUrl,
    trailingSlash: true,
    xmlns: { atom: 'http://www.w3.org/2005/Atom' },
    customData: `<atom:link href="${escapeXml(selfUrl)}" rel="self" type="application/rss+xml"/><language>en</language>${
      feed.entries.length ? `<lastBuildDate>${feed.updated.toUTCString()}</lastBuildDate>` : ''
    }`,
    items: feed.entries.map((e) => ({
      title: stripInvalidXmlChars(e.title),
      link: e.link,
      pubDate: e.published,
      description: stripInvalidXmlChars(e.html),
      categories: e.categories,
      customData: `<guid isPermaLink="false">${escapeXml(e.id)}</guid>`,
    })),
  });
}
