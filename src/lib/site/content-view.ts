/**
 * The content half of the site's one assembly (site-view.ts): the content
 * as published at `now`, the feeds and the archives. It reads no
 * monitoring, so the notifier uses it too (notify never reads monitoring).
 * Pure.
 */
import type { DailyUpdate, Incident, Maintenance, SiteContent } from '../content/content.ts';
import { buildFeeds, type Feed } from '../publish/feeds.ts';
import { paginateByYear, type ArchivePage } from '../status/archive.ts';
import { incidentsForComponent, updateDay } from '../status/history.ts';
import { publishedAsOf } from '../status/published.ts';
import { maintenancePhase, type MaintenancePhase } from '../status/status.ts';

/** The half that depends only on content (and on `now` only through `publishedAsOf`). */
export interface ContentView {
  /** The content as readers may see it at `now`: entries timed later are left out of every page and output alike. */
  content: SiteContent;
  /** Every feed, for the feed endpoints and the subscribe page. */
  feeds: Feed[];
  /** Incidents by slug, so pages that link incidents never scan the history. */
  incidentsBySlug: Map<string, Incident>;
  /** Archive pages: each page renders only its slice. */
  incidentArchive: ArchivePage<Incident>[];
  updateArchive: ArchivePage<DailyUpdate>[];
  /** Maintenance windows by year, newest first (issue 16: one page listing every window grew past 50 KB). */
  maintenanceArchive: ArchivePage<Maintenance>[];
  /** Each component's incidents by year. */
  componentArchives: Map<string, ArchivePage<Incident>[]>;
  /**
   * Each published maintenance window's phase at `now`, by slug. Part of the
   * content view because it changes only at instants known in advance (a
   * window's start and end), which `validUntil` includes.
   */
  maintenancePhases: Map<string, MaintenancePhase>;
  /**
   * The first instant after `now` at which this view would differ: the next
   * entry or update timed in the future, the next daily update's day, a
   * scheduled window's start or end. Undefined when nothing is timed ahead.
   * The live lane (issue 28) carries content pages over only before it.
   * @example new Date('2026-11-22T00:00:00Z') // tomorrow's daily update is already written
   */
  validUntil: Date | undefined;
}

/**
 * The first instant after `now` at which `contentView(all, ·)` changes (see
 * `ContentView.validUntil`).
 */
export function contentValidUntil(all: SiteContent, published: SiteContent, now: Date): Date | undefined {
  const t = now.getTime();
  let next = Infinity;
  const consider = (at: number) => {
    if (at > t && at < next) next = at;
  };
  for (const i of all.incidents) for (const u of i.updates) consider(u.at.getTime());
  for (const m of all.maintenance) for (const u of m.updates) consider(u.at.getTime());
  for (const u of all.updates) consider(Date.parse(`${u.date}T00:00:00Z`)); // a daily update appears on its day (UTC)
  // A window whose latest posted status is "scheduled" turns upcoming → in
  // progress → completed by the clock alone.
  for (const m of published.maintenance) {
    const latest = m.updates[m.updates.length - 1];
    if ((latest?.status ?? 'scheduled') !== 'scheduled') continue;
    consider(m.start.getTime());
    consider(m.end.getTime());
  }
  return next === Infinity ? undefined : new Date(next);
}

/**
 * Each part is computed the first time it is read and kept: the build
 * reads them all, the notifier only `content` (it builds its own entries
 * and never the archives), so it pays for nothing else.
 * @param all every validated content file, including entries timed after `now`
 * @param now e.g. `new Date('2026-11-21T12:00:00Z')`
 */
export function contentView(all: SiteContent, now: Date): ContentView {
  const content = publishedAsOf(all, now);
  const view = {
    content,
    maintenancePhases: new Map(content.maintenance.map((m) => [m.slug, maintenancePhase(m, now)])),
    validUntil: contentValidUntil(all, content, now),
  } as ContentView;
  // A getter that replaces itself with its value on first read.
  const lazily = <K extends Exclude<keyof ContentView, 'content' | 'maintenancePhases' | 'validUntil'>>(key: K, make: () => ContentView[K]) =>
    Object.defineProperty(view, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        const value = make();
        Object.defineProperty(view, key, { value, enumerable: true });
        return value;
      },
    });
  lazily('feeds', () => buildFeeds(content));
  lazily('incidentsBySlug', () => new Map(content.incidents.map((i) => [i.slug, i])));
  lazily('incidentArchive', () => paginateByYear(content.incidents, (i) => i.startedAt));
  lazily('updateArchive', () => paginateByYear(content.updates, updateDay));
  lazily('maintenanceArchive', () => paginateByYear([...content.maintenance].reverse(), (m) => m.start));
  lazily(
    'componentArchives',
    () => new Map(content.site.components.map((c) => [c.id, paginateByYear(incidentsForComponent(content.incidents, c.id), (i) => i.startedAt)])),
  );
  return view;
}
