/** /services/changes.xml: the directory's state changes as RSS 2.0, from the same entries as the Atom feed. */
import type { APIRoute } from 'astro';
import { directory, site } from '../../data.ts';
import { staticPaths } from '../../lib/site/page-reads.ts';
import { servicesFeed } from '../../lib/directory/feed.ts';
import { renderRss } from '../../lib/publish/feeds.ts';
import { absoluteUrl } from '../../lib/publish/paths.ts';

export const getStaticPaths = staticPaths('/services/[feed].xml', () => (directory ? [{ params: { feed: 'changes' } }] : []));

export const GET: APIRoute = async () => {
  const feed = servicesFeed(directory!, site.url, (d) => absoluteUrl(site.url, site.base, `services/${d}/`), site.name);
  const body = await renderRss(feed, absoluteUrl(site.url, site.base, 'services/changes.xml'), absoluteUrl(site.url, site.base, 'services/'));
  return new Response(body, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' } });
};
