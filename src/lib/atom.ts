/**
 * Atom 1.0 (RFC 4287), written by hand because @astrojs/rss speaks RSS only.
 * Pure: takes a feed and URLs, returns the document.
 */
import type { Feed } from './feeds.ts';
import { toIsoUtc as rfc3339 } from './time.ts';
import { escapeXml } from './xml.ts';


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
    <published>${rfc3339(e.published)}</published>
    <updated>${rfc3339(e.updated)}</updated>
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
  <updated>${rfc3339(feed.updated)}</updated>
  <author><name>${escapeXml(author)}</name></author>
${entries.join('\n')}
</feed>
`;
}
