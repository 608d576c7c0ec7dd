/** Atom 1.0 for every feed in src/lib/publish/feeds.ts, e.g. /feeds/all.atom, /feeds/components/c2s.atom. */
import type { APIRoute } from 'astro';
import { feeds, site } from '../../data.ts';
import { staticPaths } from '../../lib/site/page-reads.ts';
import { renderAtom, type Feed } from '../../lib/publish/feeds.ts';
import { absoluteUrl } from '../../lib/publish/paths.ts';

export const getStaticPaths = staticPaths('/feeds/[...feed].atom', () => feeds.map((feed) => ({ params: { feed: feed.key }, props: { feed } })));

export const GET: APIRoute = ({ props }) => {
  const { feed } = props as { feed: Feed };
  const body = renderAtom(feed, absoluteUrl(site.url, site.base, `feeds/${feed.key}.atom`), absoluteUrl(site.url, site.base, feed.pagePath), site.name);
  return new Response(body, { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } });
};
