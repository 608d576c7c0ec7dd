import { expect, test } from 'vitest';
import { describeFreshness, SOURCE_REASONS, type SourceReason } from './source-freshness.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

test('fresh data from every location needs no notice', () => {
  const f = describeFreshness([{ name: 'ams', sample: false, origin: 'url', generatedAt: '2026-11-21T11:59:00Z' }], NOW, 60);
  expect(f).toEqual({ locations: ['ams'], newest: new Date('2026-11-21T11:59:00Z'), sample: false, notices: [] });
});

test('names old, cached and missing sources', () => {
  const f = describeFreshness(
    [
      { name: 'ams', sample: false, origin: 'cache', generatedAt: '2026-11-21T09:00:00Z', reason: 'unreachable' },
      { name: 'fra', sample: false, origin: 'none', reason: 'unreachable' },
      { name: 'nyc', sample: true, origin: 'file', generatedAt: '2026-11-21T11:59:30Z' },
    ],
    NOW,
    60,
  );
  expect(f.notices).toEqual([
    'Monitoring data from ams is 3 h old.',
    'The latest data from ams could not be fetched; showing the last good copy.',
    'No monitoring data from fra: the latest data could not be fetched.',
  ]);
  expect([f.locations, f.sample]).toEqual([['ams', 'nyc'], true]);
});

test('every reason has one fixed sentence for readers, with no path, URL or error text in it', () => {
  const reasons = Object.keys(SOURCE_REASONS) as SourceReason[];
  const f = describeFreshness(
    reasons.flatMap((reason, i) => [
      { name: `n${i}`, sample: false, origin: 'none' as const, reason },
      { name: `c${i}`, sample: false, origin: 'cache' as const, reason, generatedAt: '2026-11-21T11:59:30Z' },
    ]),
    NOW,
    60,
  );
  expect(f.notices).toMatchInlineSnapshot(`
    [
      "No monitoring data from n0: the latest data could not be fetched.",
      "The latest data from c0 could not be fetched; showing the last good copy.",
      "No monitoring data from n1: the latest data was larger than this site accepts.",
      "The latest data from c1 was larger than this site accepts; showing the last good copy.",
      "No monitoring data from n2: the latest data is published at another site, which this site does not follow.",
      "The latest data from c2 is published at another site, which this site does not follow; showing the last good copy.",
      "No monitoring data from n3: the latest data could not be read.",
      "The latest data from c3 could not be read; showing the last good copy.",
      "No monitoring data from n4: the latest data is in a format this site does not read.",
      "The latest data from c4 is in a format this site does not read; showing the last good copy.",
      "No monitoring data from n5: the latest data is dated in the future (the probe host's clock is ahead), so it was ignored.",
      "The latest data from c5 is dated in the future (the probe host's clock is ahead), so it was ignored; showing the last good copy.",
      "No monitoring data from n6: the latest data is missing.",
      "The latest data from c6 is missing; showing the last good copy.",
      "No monitoring data from n7: the latest data holds no results yet.",
      "The latest data from c7 holds no results yet; showing the last good copy.",
    ]
  `);
  for (const n of f.notices) expect(n).not.toMatch(/[/\\]|https?:|Error|\bat \S+ \(/);
});

test('a location whose summary holds no checks yet is no data, and readers are told so', () => {
  const f = describeFreshness(
    [{ name: 'ams', sample: false, origin: 'logs', generatedAt: '2026-11-21T12:00:00Z', checks: 0 }],
    new Date('2026-11-21T12:00:00Z'),
    300,
  );
  expect([f.locations, f.newest, f.notices]).toEqual([[], null, ['No monitoring data from ams: the latest data holds no results yet.']]);
});
