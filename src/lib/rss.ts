/**
 * RSS 2.0 through @astrojs/rss, from the same entries as Atom. The entry id
 * becomes a non-permalink `<guid>` so RSS and Atom readers agree on identity,
 * and `atom:link rel="self"` is added as the W3C validator recommends.
 */
import { getRssString } from '@astrojs/rss';
import type { Feed } from './feeds.ts';
import { escapeXml, stripInvalidXmlChars } from './xml.ts';

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
