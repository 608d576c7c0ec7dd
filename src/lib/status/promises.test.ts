import { expect, test } from 'vitest';
import { nextDailyUpdate, promiseWarnings } from './promises.ts';
import { formatProblems } from '../content/problems.ts';
import { incidentText, maintenanceText, SITE_YAML, source, validContent } from '../../../tests/helpers/content-files.ts';

const NOW = new Date('2026-11-21T12:30:00Z');
const site = source('content/site.yaml', `${SITE_YAML}dailyUpdateBy: "12:00"\n`);
const update = (date: string) => source(`content/updates/${date}.md`, '---\nauthor: Ops\nsummary: Fine.\n---\nText.\n');

test.each([
  // posted today? now → due, overdue
  [false, '2026-11-21T11:00:00Z', '2026-11-21T12:00:00.000Z', false],
  [false, '2026-11-21T12:30:00Z', '2026-11-21T12:00:00.000Z', true],
  [true, '2026-11-21T12:30:00Z', '2026-11-22T12:00:00.000Z', false],
] as const)('daily update posted today: %s, at %s → due %s, overdue %s', (posted, now, due, overdue) => {
  const content = validContent({ site, updates: posted ? [update('2026-11-21')] : [update('2026-11-20')] });
  expect(nextDailyUpdate(content.site.dailyUpdateBy, content.updates, new Date(now))).toEqual({ due: new Date(due), overdue });
});

test('no promise, no next daily update', () => {
  expect(nextDailyUpdate(undefined, [], NOW)).toBeUndefined();
});

test('check warns about a broken promise, a missing daily update and entries from the future, in words an admin acts on', () => {
  const content = validContent({
    site,
    incidents: [
      source(
        'incidents/2026/2026-11-21-late.md',
        incidentText({ updates: '  - at: 2026-11-21T10:00:00Z\n    status: identified\n    message: x\n    next: 1h' }),
      ),
      source('incidents/2026/2026-11-23-typo.md', incidentText({ updates: '  - at: 2026-11-23T10:00:00Z\n    status: investigating\n    message: x' })),
    ],
    maintenance: [
      source(
        'content/maintenance/2026-11-30-later.md',
        maintenanceText('Later', '2026-11-30T04:00:00Z', '2026-11-30T05:00:00Z', { announced: '2026-11-21T13:00:00Z' }),
      ),
    ],
    updates: [update('2026-11-20'), update('2026-11-22')],
  });
  expect(formatProblems(promiseWarnings(content, NOW), 'warning')).toMatchInlineSnapshot(`
    "content/maintenance/2026-11-30-later.md: updates[1].at: is 2026-11-21 13:00 UTC, in the future: it stays hidden until then. Check the date and the UTC offset
    content/updates/2026-11-21.md: is missing: the daily update is promised by 12:00 UTC. Write it (npm run new:update)
    content/updates/2026-11-22.md: is dated 2026-11-22, after today (2026-11-21 UTC): it stays hidden until then
    incidents/2026/2026-11-21-late.md: promised the next update by 2026-11-21 11:00 UTC, and none has been posted since. Post an update (npm run incident:update)
    incidents/2026/2026-11-23-typo.md: updates[1].at: is 2026-11-23 10:00 UTC, in the future: it stays hidden until then. Check the date and the UTC offset

    5 warnings in 5 files."
  `);
});

test('a kept promise and an entry a few minutes ahead are not warned about', () => {
  const content = validContent({
    site,
    incidents: [
      source(
        'incidents/2026/2026-11-21-kept.md',
        incidentText({
          updates:
            '  - at: 2026-11-21T10:00:00Z\n    status: identified\n    message: x\n    next: 1h\n  - at: 2026-11-21T10:50:00Z\n    status: monitoring\n    message: y\n    next: 2h',
        }),
      ),
    ],
    // Three minutes ahead is a clock that runs a little fast, not a typo.
    maintenance: [
      source(
        'content/maintenance/2026-11-30-soon.md',
        maintenanceText('Soon', '2026-11-30T04:00:00Z', '2026-11-30T05:00:00Z', { announced: '2026-11-21T12:33:00Z' }),
      ),
    ],
    updates: [update('2026-11-21')],
  });
  expect(promiseWarnings(content, NOW)).toEqual([]);
});
