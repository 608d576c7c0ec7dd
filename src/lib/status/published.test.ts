import { expect, test } from 'vitest';
import { publishedAsOf } from './published.ts';
import { buildFeeds } from '../publish/feeds.ts';
import { incidentText, source, validContent } from '../../../tests/helpers/content-files.ts';

const content = validContent({
  incidents: [
    source(
      'incidents/2026/2026-11-09-login.md',
      incidentText({
        updates: [
          '  - at: 2026-11-09T06:40:00Z\n    status: investigating\n    message: Logins fail.',
          '  - at: 2026-11-09T09:00:00Z\n    status: identified\n    message: Federation is hit too.\n    components: { s2s: major-outage }',
        ].join('\n'),
      }),
    ),
  ],
});

test('a component first named in an update timed later is not part of the incident until that update is published', () => {
  const before = publishedAsOf(content, new Date('2026-11-09T07:00:00Z'));
  expect(before.incidents[0]!.componentIds).toEqual(['c2s']);
  // Feeds name the incident's components as categories and in their text.
  const entry = buildFeeds(before).find((f) => f.key === 'incidents')!.entries[0]!;
  expect(entry.categories).toEqual(['incident', 'c2s']);
  expect(buildFeeds(before).find((f) => f.key === 'components/s2s')?.entries ?? []).toEqual([]);

  const after = publishedAsOf(content, new Date('2026-11-09T09:00:00Z'));
  expect(after.incidents[0]!.componentIds).toEqual(['c2s', 's2s']);
  expect(after.incidents[0]).toBe(content.incidents[0]);
});
