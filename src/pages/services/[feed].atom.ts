/** /services/changes.atom: a feed entry whenever a directory service changes state (src/lib/directory/feed.ts). */
import type { APIRoute } from 'astro';
import { directory, site } from '../../data.ts';
import { staticPaths } from '../../lib/site/page-reads.ts';
import { servicesFeed } from '../../lib/directory/feed.ts';
import { renderAtom } from '../../lib/publish/feeds.ts';
import { absoluteUrl } from '../../lib/publish/paths.ts';

export const getStaticPaths = staticPaths('/services/[feed].atom', () => (directory ? [{ params: { feed: 'changes' } }] : []));

export const GET: APIRoute = () => {
  const feed = servicesFeed(directory!, site.url, (d) => absoluteUrl(site.url, site.base, `services/${d}/`), site.name);
  const body = renderAtom(feed, absoluteUrl(site.url, site.base, 'services/changes.atom'), absoluteUrl(site.url, site.base, 'services/'), site.name);
  return new Response(body, { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } });
};
