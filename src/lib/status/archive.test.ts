import { describe, expect, test } from 'vitest';
import { ARCHIVE_PAGE_SIZE, archiveYears, LANDING_CURRENT, LANDING_RECENT, maintenanceLanding, paginateByYear } from './archive.ts';
import { maintenanceText, source, validContent } from '../../../tests/helpers/content-files.ts';

const day = (iso: string) => ({ at: new Date(iso) });

test('groups by UTC year, newest first, and splits busy years into pages', () => {
  const items = [
    ...Array.from({ length: 5 }, (_, i) => day(`2026-11-${String(20 - i).padStart(2, '0')}T00:00:00Z`)),
    day('2025-12-31T23:59:59Z'),
    day('2024-01-01T00:00:00Z'),
  ];
  const pages = paginateByYear(items, (i) => i.at, 2);
  expect(pages.map((p) => [p.path, p.page, p.pages, p.items.length])).toEqual([
    ['year/2026/', 1, 3, 2],
    ['year/2026/2/', 2, 3, 2],
    ['year/2026/3/', 3, 3, 1],
    ['year/2025/', 1, 1, 1],
    ['year/2024/', 1, 1, 1],
  ]);
  expect(archiveYears(pages)).toEqual([
    { year: '2026', count: 5, path: 'year/2026/' },
    { year: '2025', count: 1, path: 'year/2025/' },
    { year: '2024', count: 1, path: 'year/2024/' },
  ]);
});

test('an instant late on 31 December in a negative offset belongs to the next UTC year', () => {
  expect(paginateByYear([day('2025-12-31T23:30:00-05:00')], (i) => i.at)[0]!.year).toBe('2026');
});

test('no items gives no pages', () => {
  expect(paginateByYear([], (i: { at: Date }) => i.at)).toEqual([]);
});

describe('the maintenance landing page', () => {
  const NOW = new Date('2026-11-21T12:00:00Z');
  const HOUR = 3_600_000;
  /** A window file starting `hours` after NOW, one hour long, through the real schemas. */
  const windowFile = (i: number, hours: number, extra = '') => {
    const start = new Date(NOW.getTime() + hours * HOUR).toISOString().replace('.000Z', 'Z');
    const end = new Date(NOW.getTime() + (hours + 1) * HOUR).toISOString().replace('.000Z', 'Z');
    return source(`content/maintenance/${start.slice(0, 10)}-w${i}.md`, maintenanceText(`Work ${i}`, start, end, { cancelled: extra.includes('cancelled') }));
  };
  const names = (list: readonly { title: string }[]) => list.map((m) => m.title.slice(5));

  test('lists what is coming soonest first, then the latest past and cancelled windows', () => {
    const { maintenance } = validContent({
      maintenance: [
        windowFile(1, -48),
        windowFile(2, -24),
        windowFile(3, -0.5),
        windowFile(4, 24),
        windowFile(5, 48, 'status: cancelled\n'),
        windowFile(6, 72),
      ],
    });
    const landing = maintenanceLanding(maintenance, NOW);
    expect(names(landing.current)).toEqual(['3', '4', '6']);
    expect(names(landing.recent)).toEqual(['5', '2', '1']);
    expect(landing.moreCurrent).toBe(0);
  });

  test('never lists more than one archive page of windows, and counts the upcoming ones left off', () => {
    const { maintenance } = validContent({ maintenance: Array.from({ length: 400 }, (_, i) => windowFile(i, (i - 200) * 2)) });
    const landing = maintenanceLanding(maintenance, NOW);
    expect(landing.current).toHaveLength(LANDING_CURRENT);
    expect(landing.moreCurrent).toBe(200 - LANDING_CURRENT);
    expect(landing.recent).toHaveLength(LANDING_RECENT);
    expect(landing.current.length + landing.recent.length).toBe(ARCHIVE_PAGE_SIZE);
    expect(names([landing.current[0]!, landing.recent[0]!])).toEqual(['200', '199']);
  });
});
