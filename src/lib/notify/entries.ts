/**
 * What the notifier sends: exactly the feed entries (one per incident update,
 * maintenance change and daily update, and each certificate change), built by the feed's own entry
 * functions so that ids, titles and bodies can never drift from the feeds.
 * Unlike a feed, nothing is capped: a 1,000-entry backfill sees all 1,000.
 */
import type { Incident, Maintenance, SiteContent } from '../content/content.ts';
import { dailyUpdateEntries, incidentEntries, maintenanceEntries, type FeedEntry } from '../publish/feeds.ts';
import { htmlToText } from './plain-text.ts';

/** `certificate`: a change of the certificate a monitored port presents (issue 30, src/lib/certs/). */
export type EntryKind = 'incident' | 'maintenance' | 'daily-update' | 'certificate';

export interface NotifyEntry extends FeedEntry {
  kind: EntryKind;
  /** Component ids the entry concerns, e.g. `['c2s', 's2s']`; empty for daily updates. */
  components: string[];
  /** The body as plain text, for chat messages and the text part of mail. */
  text: string;
  /** The incident or maintenance window the entry belongs to, for Statuspage-shaped webhooks. */
  source?: { kind: 'incident'; incident: Incident } | { kind: 'maintenance'; maintenance: Maintenance };
}

function withText(entry: FeedEntry, kind: EntryKind, componentIds: ReadonlySet<string>, source?: NotifyEntry['source']): NotifyEntry {
  return {
    ...entry,
    kind,
    components: entry.categories.filter((c) => componentIds.has(c)),
    text: htmlToText(entry.html),
    ...(source ? { source } : {}),
  };
}

/**
 * Every entry the feeds carry, oldest first (then by id), so subscribers
 * receive a timeline in the order it happened.
 */
export function notifyEntries(content: SiteContent, certificates: readonly FeedEntry[] = []): NotifyEntry[] {
  const ids = new Set(content.site.components.map((c) => c.id));
  const entries: NotifyEntry[] = [
    // One call per incident or window, so each entry knows what it belongs to.
    ...content.incidents.flatMap((incident) => incidentEntries(content, [incident]).map((e) => withText(e, 'incident', ids, { kind: 'incident', incident }))),
    ...content.maintenance.flatMap((maintenance) =>
      maintenanceEntries(content, [maintenance]).map((e) => withText(e, 'maintenance', ids, { kind: 'maintenance', maintenance })),
    ),
    ...dailyUpdateEntries(content, content.updates).map((e) => withText(e, 'daily-update', ids)),
    // Certificate changes (issue 30), the entries the certificates feed carries, made by the build's own functions.
    ...certificates.map((e) => withText(e, 'certificate', ids)),
  ];
  return entries.sort((a, b) => a.published.getTime() - b.published.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
