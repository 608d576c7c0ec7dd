/**
 * Archive pages that stay small however long the history: one page per UTC
 * year, split into numbered pages of at most `perPage` entries when a year is
 * busy. Used by the incident history, the daily updates, maintenance and
 * component pages, so each page renders only its own slice (no page scans ten
 * years).
 */
import type { Maintenance } from '../content/content.ts';
import { maintenancePhase } from './status.ts';

/** Entries per archive page; keeps every archive page well under 50 KB gzipped. */
export const ARCHIVE_PAGE_SIZE = 150;

export interface ArchivePage<T> {
  /** e.g. `2026` */
  year: string;
  /** 1-based page within the year. */
  page: number;
  /** Pages in this year. */
  pages: number;
  items: T[];
  /** Path below the archive root, e.g. `year/2026/` or `year/2026/2/`. */
  path: string;
}

export interface ArchiveYear {
  year: string;
  count: number;
  /** Path of the year's first page, e.g. `year/2026/`. */
  path: string;
}

/** Path of one archive page below its root: `year/2026/`, `year/2026/2/`. */
export const archivePagePath = (year: string, page: number) => (page === 1 ? `year/${year}/` : `year/${year}/${page}/`);

/**
 * Splits items (newest first) into archive pages, newest year first.
 * @param dateOf e.g. `(i) => i.startedAt`
 */
export function paginateByYear<T>(items: readonly T[], dateOf: (item: T) => Date, perPage = ARCHIVE_PAGE_SIZE): ArchivePage<T>[] {
  const byYear = new Map<string, T[]>();
  for (const item of items) {
    const year = dateOf(item).toISOString().slice(0, 4);
    let list = byYear.get(year);
    if (!list) byYear.set(year, (list = []));
    list.push(item);
  }
  const pages: ArchivePage<T>[] = [];
  for (const year of [...byYear.keys()].sort((a, b) => b.localeCompare(a))) {
    const list = byYear.get(year)!;
    const count = Math.max(1, Math.ceil(list.length / perPage));
    for (let p = 1; p <= count; p++) {
      pages.push({ year, page: p, pages: count, items: list.slice((p - 1) * perPage, p * perPage), path: archivePagePath(year, p) });
    }
  }
  return pages;
}

/** The years of an archive with their counts, for navigation. */
export function archiveYears<T>(pages: readonly ArchivePage<T>[]): ArchiveYear[] {
  const years = new Map<string, number>();
  for (const p of pages) years.set(p.year, (years.get(p.year) ?? 0) + p.items.length);
  return [...years].map(([year, count]) => ({ year, count, path: archivePagePath(year, 1) }));
}

/** Windows listed as upcoming or in progress on the maintenance landing page; the rest are on the year pages. */
export const LANDING_CURRENT = 100;
/** Past and cancelled windows on the landing page, newest first; with LANDING_CURRENT at most one archive page. */
export const LANDING_RECENT = ARCHIVE_PAGE_SIZE - LANDING_CURRENT;

export interface MaintenanceLanding<T> {
  /** Upcoming and in progress, soonest first, at most `LANDING_CURRENT`. */
  current: T[];
  /** Upcoming windows left off `current`; they are on their year's page. */
  moreCurrent: number;
  /** Completed and cancelled, newest start first, at most `LANDING_RECENT`. */
  recent: T[];
}

/**
 * What the maintenance landing page lists at `now`: what is coming, then the
 * latest history, never more than one archive page's worth however many
 * windows exist (issue 16: one page of every window was 392 KB gzipped).
 * @param windows in start order, as `SiteContent.maintenance`
 */
export function maintenanceLanding<T extends Maintenance>(windows: readonly T[], now: Date): MaintenanceLanding<T> {
  const current: T[] = [];
  const past: T[] = [];
  for (const m of windows) (['in-progress', 'upcoming'].includes(maintenancePhase(m, now)) ? current : past).push(m);
  const recent: T[] = [];
  for (let i = past.length - 1; i >= 0 && recent.length < LANDING_RECENT; i--) recent.push(past[i]!);
  return { current: current.slice(0, LANDING_CURRENT), moreCurrent: Math.max(0, current.length - LANDING_CURRENT), recent };
}
