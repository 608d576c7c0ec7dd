/**
 * One entry of a feed, whatever produced it: incident and maintenance
 * updates and daily updates (publish/feeds.ts), and service state changes
 * (directory/feed.ts). Here, below both, so both build the same shape and
 * the Atom and RSS writers render either.
 */
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
