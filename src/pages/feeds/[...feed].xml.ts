/** RSS 2.0 for every feed in src/lib/publish/feeds.ts, e.g. /feeds/all.xml, /feeds/components/c2s.xml. */
import type { APIRoute } from 'astro';
import { feeds, site } from '../../data.ts';
import { staticPaths } from '../../lib/site/page-reads.ts';
import { renderRss, type Feed } from '../../lib/publish/feeds.ts';
import { absoluteUrl } from '../../lib/publish/paths.ts';

export const getStaticPaths = staticPaths('/feeds/[...feed].xml', () => feeds.map((feed) => ({ params: { feed: feed.key }, props: { feed } })));

export const GET: APIRoute = async ({ props }) => {
  const { feed } = props as { feed: Feed };
  const body = await renderRss(feed, absoluteUrl(site.url, site.base, `feeds/${feed.key}.xml`), absoluteUrl(site.url, site.base, feed.pagePath));
  return new Response(body, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' } });
};
