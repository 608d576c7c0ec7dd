import { expect, test } from 'vitest';
import { declaredUptime, formatUptime } from './declared-uptime.ts';
import { incidentText, source, validContent } from '../../../tests/helpers/content-files.ts';

const NOW = new Date('2026-11-30T00:00:00Z');
const incident = (slug: string, status: string, from: string, to: string | null, component = 'c2s') =>
  source(
    `incidents/2026/${slug}.md`,
    incidentText({
      affected: `  - id: ${component}\n    status: ${status}`,
      updates: `  - at: ${from}\n    status: investigating\n    message: x${to ? `\n  - at: ${to}\n    status: resolved\n    message: y` : ''}`,
    }),
  );

test('a full hour of major outage in 30 days is 99.86%', () => {
  const content = validContent({ incidents: [incident('2026-11-10-a', 'major-outage', '2026-11-10T00:00:00Z', '2026-11-10T01:00:00Z')] });
  expect(declaredUptime(content.incidents, 'c2s', NOW, 30)).toBeCloseTo(100 * (1 - 60 / 43_200), 10);
  expect(formatUptime(declaredUptime(content.incidents, 'c2s', NOW, 30))).toBe('99.86%');
  expect(declaredUptime(content.incidents, 's2s', NOW, 30)).toBe(100);
});

test('overlapping incidents count each minute once, at the heaviest weight', () => {
  const content = validContent({
    incidents: [
      incident('2026-11-10-a', 'major-outage', '2026-11-10T00:00:00Z', '2026-11-10T01:00:00Z'),
      incident('2026-11-10-b', 'partial-outage', '2026-11-10T00:30:00Z', '2026-11-10T02:00:00Z'),
      incident('2026-11-10-c', 'degraded', '2026-11-10T00:00:00Z', '2026-11-10T05:00:00Z'),
    ],
  });
  // 60 min major + 60 min partial at 0.3 = 78 min down.
  expect(declaredUptime(content.incidents, 'c2s', NOW, 30)).toBeCloseTo(100 * (1 - 78 / 43_200), 10);
});

test('only the part inside the window counts, and an ongoing incident runs until now', () => {
  const content = validContent({ incidents: [incident('2026-10-30-a', 'major-outage', '2026-10-30T00:00:00Z', null)] });
  // Window is 2026-11-29..30: the whole day is down.
  expect(declaredUptime(content.incidents, 'c2s', NOW, 1)).toBe(0);
});

test('formatUptime never rounds downtime up to 100%', () => {
  expect(formatUptime(99.99999)).toBe('99.99%');
  expect(formatUptime(100)).toBe('100%');
});
