import { expect, test } from 'vitest';
import { currentDailyUpdate, groupByMonth, incidentDurationMs, incidentsForComponent } from './history.ts';
import { incidentText, source, validContent } from '../../../tests/helpers/content-files.ts';

const content = validContent({
  incidents: [
    source('incidents/2026/2026-10-31-a.md', incidentText({ updates: '  - at: 2026-10-31T23:30:00Z\n    status: resolved\n    message: x' })),
    source(
      'incidents/2026/2026-11-01-b.md',
      incidentText({ affected: '  - id: s2s\n    status: degraded', updates: '  - at: 2026-11-01T00:30:00Z\n    status: investigating\n    message: x' }),
    ),
  ],
  updates: [
    source('content/updates/2026-11-20.md', '---\nauthor: A\nsummary: One.\n---\nx'),
    source('content/updates/2026-11-22.md', '---\nauthor: A\nsummary: Future.\n---\nx'),
  ],
});

test('groups incidents by UTC month, newest month first', () => {
  const groups = groupByMonth(content.incidents, (i) => i.startedAt);
  expect(groups.map((g) => [g.month, g.label, g.items.map((i) => i.slug)])).toEqual([
    ['2026-11', 'November 2026', ['2026-11-01-b']],
    ['2026-10', 'October 2026', ['2026-10-31-a']],
  ]);
});

test('an ongoing incident lasts until now; a resolved one until its resolution', () => {
  const now = new Date('2026-11-01T02:30:00Z');
  expect(incidentDurationMs(content.incidents[0]!, now)).toBe(2 * 3_600_000);
  expect(incidentDurationMs(content.incidents[1]!, now)).toBe(0);
});

test('finds the incidents that touched a component', () => {
  expect(incidentsForComponent(content.incidents, 's2s').map((i) => i.slug)).toEqual(['2026-11-01-b']);
});

test("shows today's update, else the latest one not dated in the future", () => {
  expect(currentDailyUpdate(content.updates, new Date('2026-11-22T00:00:00Z'))).toMatchObject({ isToday: true, update: { date: '2026-11-22' } });
  expect(currentDailyUpdate(content.updates, new Date('2026-11-21T23:59:00Z'))).toMatchObject({ isToday: false, update: { date: '2026-11-20' } });
  expect(currentDailyUpdate(content.updates, new Date('2026-11-19T00:00:00Z'))).toBeUndefined();
});
