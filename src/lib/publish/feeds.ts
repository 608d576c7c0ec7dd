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
import type { DailyUpdate, Incident, Maintenance, SiteContent } from '../content/content.ts';
import { absoluteUrl, componentPath, incidentPath, maintenancePath, updatePath } from './paths.ts';
import { INCIDENT_STATUS_LABELS, STATE_LABELS } from '../status/status.ts';
import { updateDay } from '../status/history.ts';
import { escapeHtml } from '../content/markdown.ts';
import { getRssString } from '@astrojs/rss';
import { escapeXml, stripInvalidXmlChars } from '../shared/xml.ts';
import { formatUtc, toCompactUtc as compact, toIsoUtc as isoSeconds } from '../shared/time.ts';

/** Entries per feed: enough for any reader's history, and feeds stay small at 10 years of content. */
export const FEED_LIMIT = 50;

export interface FeedEntry {
  /** Permanent id, e.g. `tag:status.jabber.org,2026-11-09:incident/2026-11-09-login/2026-11-09T06:40:00Z`. */
  id: string;
  title: string;
  /** Absolute URL of the page that shows it. */
  link: string;
  published: Date;
  updated: Date;
  /** HTML body; escaped by the renderers. */
  html: string;
  /** e.g. `['incident', 'c2s']` */
  categories: string[];
}

export interface Feed {
  /** e.g. `all`, `incidents`, `components/c2s`; also the file name. */
  key: string;
  title: string;
  description: string;
  /** Site path of the HTML page this feed mirrors, e.g. `incidents/`. */
  pagePath: string;
  /** Newest first, at most FEED_LIMIT. */
  entries: FeedEntry[];
  /** Newest entry's `updated`, or the epoch for an empty feed. */
  updated: Date;
}


function tag(siteUrl: string, date: Date, specific: string): string {
  return `tag:${new URL(siteUrl).hostname},${date.toISOString().slice(0, 10)}:${specific}`;
}

/** Anchor of one update on the incident page, e.g. `update-20261109T064000Z`. */
export const updateAnchor = (at: Date) => `update-${compact(at)}`;

export function incidentEntries(content: SiteContent, incidents: readonly Incident[]): FeedEntry[] {
  const { site } = content;
  const names = new Map(site.components.map((c) => [c.id, c.name]));
  return incidents.flatMap((incident) =>
    incident.updates.map((u) => {
      const affected = incident.affected.map((a) => `${escapeHtml(names.get(a.id) ?? a.id)}: ${STATE_LABELS[a.status].toLowerCase()}`).join('; ');
      return {
        id: tag(site.url, incident.startedAt, `incident/${incident.slug}/${isoSeconds(u.at)}`),
        title: `${INCIDENT_STATUS_LABELS[u.status]}: ${incident.title}`,
        link: `${absoluteUrl(site.url, site.base, incidentPath(incident.slug))}#${updateAnchor(u.at)}`,
        published: u.at,
        updated: u.at,
        html: `<p><strong>${INCIDENT_STATUS_LABELS[u.status]}</strong> · ${formatUtc(u.at)} · impact ${incident.impact}</p><p>Affected: ${affected}</p>${u.html}`,
        categories: ['incident', ...incident.affected.map((a) => a.id)],
      };
    }),
  );
}

export function dailyUpdateEntries(content: SiteContent, updates: readonly DailyUpdate[]): FeedEntry[] {
  const { site } = content;
  return updates.map((u) => {
    const day = updateDay(u);
    return {
      id: tag(site.url, day, `update/${u.date}`),
      title: `Daily update ${u.date}: ${u.summary}`,
      link: absoluteUrl(site.url, site.base, updatePath(u.date)),
      published: day,
      updated: day,
      html: `<p><strong>${escapeHtml(u.summary)}</strong> (${escapeHtml(u.author)})</p>${u.html}`,
      categories: ['daily-update'],
    };
  });
}

export function maintenanceEntries(content: SiteContent, windows: readonly Maintenance[]): FeedEntry[] {
  const { site } = content;
  const names = new Map(site.components.map((c) => [c.id, c.name]));
  return windows.map((m) => ({
    // One entry per window; a cancellation changes its title and body but
    // keeps the id, dated by the announcement.
    id: tag(site.url, m.announced, `maintenance/${m.slug}`),
    title: `${m.status === 'cancelled' ? 'Cancelled: ' : 'Maintenance: '}${m.title}`,
    link: absoluteUrl(site.url, site.base, maintenancePath(m.slug)),
    published: m.announced,
    updated: m.announced,
    html: `<p><strong>${m.status === 'cancelled' ? 'Cancelled.' : 'Scheduled'}</strong> ${formatUtc(m.start)} to ${formatUtc(m.end)}</p><p>Affects: ${m.components.map((id) => escapeHtml(names.get(id) ?? id)).join(', ')}</p>${m.html}`,
    categories: ['maintenance', ...m.components],
  }));
}

function feed(key: string, title: string, description: string, pagePath: string, entries: FeedEntry[]): Feed {
  const sorted = [...entries].sort((a, b) => b.updated.getTime() - a.updated.getTime() || a.id.localeCompare(b.id)).slice(0, FEED_LIMIT);
  return { key, title, description, pagePath, entries: sorted, updated: sorted[0]?.updated ?? new Date(0) };
}

/** Every feed the site publishes. */
export function buildFeeds(content: SiteContent): Feed[] {
  const { site } = content;
  const incidents = incidentEntries(content, content.incidents);
  const updates = dailyUpdateEntries(content, content.updates);
  const maintenance = maintenanceEntries(content, content.maintenance);
  return [
    feed('all', `${site.name}: everything`, `Incidents, maintenance and daily updates for ${site.service}.`, '', [...incidents, ...updates, ...maintenance]),
    feed('incidents', `${site.name}: incidents`, `Every update on every ${site.service} incident.`, 'incidents/', incidents),
    feed('updates', `${site.name}: daily updates`, `The daily status update for ${site.service}.`, 'updates/', updates),
    feed('maintenance', `${site.name}: maintenance`, `Scheduled maintenance on ${site.service}.`, 'maintenance/', maintenance),
    ...site.components.map((c) =>
      feed(
        `components/${c.id}`,
        `${site.name}: ${c.name}`,
        `Incidents and maintenance affecting ${c.name}.`,
        componentPath(c.id),
        [...incidents, ...maintenance].filter((e) => e.categories.includes(c.id)),
      ),
    ),
  ];
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
  <link rel="self" type="application/atom+xml" href="${escapeXml(selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(pageUrl)}"/>
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
