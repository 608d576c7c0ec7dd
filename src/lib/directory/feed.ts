/**
 * One feed entry whenever a service changes state (issue 17): applied
 * (testing), listed, failing (which items, since when), back to listed,
 * withdrawn. Ids are tag URIs made of the domain and the instant of the
 * change, which the state rules keep stable from build to build. Pure; the
 * entries have the shape of the site's feeds (publish/feeds.ts renders them).
 */
import { toIsoUtc } from '../shared/time.ts';
import { escapeHtml as esc } from '../content/markdown.ts';
import type { ServiceState } from '../schemas.ts';
import type { FeedEntry } from '../shared/feed-entry.ts';
import type { DirectoryView } from './directory.ts';
import { POLICY_ITEMS } from './policy.ts';

/** A service's change of state, as a feed entry. */
export type StateEntry = FeedEntry;

const WORDS: Record<ServiceState, string> = { testing: 'in its testing period', listed: 'listed', failing: 'failing the policy', withdrawn: 'withdrawn' };

/**
 * @param siteUrl e.g. `https://status.jabber.org`
 * @param pageUrl absolute URL of a service page
 */
export function stateChangeEntries(view: DirectoryView, siteUrl: string, pageUrl: (domain: string) => string): StateEntry[] {
  const host = new URL(siteUrl).hostname;
  return view.entries.flatMap((e) => {
    const applied = Date.parse(`${e.service.applied}T00:00:00Z`);
    return (
      e.status.changes
        // The first state is a change only when it is the application itself (older history is outside the data window).
        .filter((c) => c.from !== null || c.at === applied)
        .map((c) => {
          const at = new Date(c.at);
          const items = c.failing.map((f) => {
            const item = POLICY_ITEMS.find((i) => i.id === f.id)!;
            return `item ${item.number} (${item.title}) since ${toIsoUtc(new Date(f.since)).slice(0, 16).replace('T', ' ')} UTC`;
          });
          const what =
            c.from === null
              ? `${e.service.name} (${e.service.domain}) applied and is in its testing period`
              : `${e.service.name} (${e.service.domain}) is ${WORDS[c.to]}${c.from ? ` (was ${WORDS[c.from]})` : ''}`;
          return {
            id: `tag:${host},${toIsoUtc(at).slice(0, 10)}:service/${e.service.domain}/${toIsoUtc(at)}`,
            title: `${e.service.domain}: ${c.from === null ? 'applied, testing' : c.to}`,
            link: pageUrl(e.service.domain),
            published: at,
            updated: at,
            html: `<p>${esc(what)}.</p>${items.length ? `<p>Failing: ${esc(items.join('; '))}.</p>` : ''}`,
            categories: ['service', c.to],
          };
        })
    );
  });
}

/** Entries per feed, as the site's other feeds. */
const LIMIT = 50;

/**
 * The whole feed, in the shape `publish/feeds.ts` renders: newest first, at
 * most 50 entries; `updated` is the newest entry's time (or the directory's
 * `now` when empty), never the build time alone.
 */
export function servicesFeed(view: DirectoryView, siteUrl: string, pageUrl: (domain: string) => string, siteName: string) {
  const entries = stateChangeEntries(view, siteUrl, pageUrl)
    .sort((a, b) => b.updated.getTime() - a.updated.getTime() || a.id.localeCompare(b.id))
    .slice(0, LIMIT);
  return {
    key: 'services',
    title: `${siteName}: public XMPP services`,
    description: 'Every change of state of a service in the jabber.org directory: testing, listed, failing, withdrawn.',
    pagePath: 'services/',
    entries,
    updated: entries[0]?.updated ?? new Date(Date.parse('1999-01-04T00:00:00Z')),
  };
}
