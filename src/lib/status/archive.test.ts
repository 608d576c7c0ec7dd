import { expect, test } from 'vitest';
import { archiveYears, paginateByYear } from './archive.ts';

const day = (iso: string) => ({ at: new Date(iso) });

test('groups by UTC year, newest first, and splits busy years into pages', () => {
  const items = [...Array.from({ length: 5 }, (_, i) => day(`2026-11-${String(20 - i).padStart(2, '0')}T00:00:00Z`)), day('2025-12-31T23:59:59Z'), day('2024-01-01T00:00:00Z')];
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
