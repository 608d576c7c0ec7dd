import { describe, expect, test } from 'vitest';
import { incidentText, source, validContent } from '../../../tests/helpers/content-files.ts';
import { contentView } from './content-view.ts';
import { liveView, siteView } from './site-view.ts';

const all = validContent({
  incidents: [
    source('incidents/2026/2026-11-21-login.md', incidentText({ updates: '  - at: 2026-11-21T10:00:00Z\n    status: investigating\n    message: Looking.' })),
    source('incidents/2026/2026-11-22-later.md', incidentText({ updates: '  - at: 2026-11-22T10:00:00Z\n    status: investigating\n    message: Not yet.' })),
  ],
});
const NOW = new Date('2026-11-21T12:00:00Z');

describe('the one assembly, in two halves', () => {
  test('the live half recomputed over a content half it already has says what the whole assembly says', () => {
    const whole = siteView(all, { summaries: [] }, NOW);
    const view = contentView(all, NOW);
    const later = new Date('2026-11-21T12:05:00Z');
    const live = liveView(view, { summaries: [] }, later);
    expect(live.content).toBe(view.content);
    expect(live.status.overall).toEqual(siteView(all, { summaries: [] }, later).status.overall);
    expect(whole.status.activeIncidents.map((i) => i.slug)).toEqual(['2026-11-21-login']);
  });

  test('every part of the content half speaks of the content as published: an entry timed later is in none of them', () => {
    const view = contentView(all, NOW);
    const slugs = [
      view.content.incidents.map((i) => i.slug),
      [...view.incidentsBySlug.keys()],
      view.incidentArchive.flatMap((p) => p.items.map((i) => i.slug)),
      view.feeds.find((f) => f.key === 'all')!.entries.map((e) => e.title),
    ];
    expect(slugs).toEqual([['2026-11-21-login'], ['2026-11-21-login'], ['2026-11-21-login'], ['Investigating: Login failures']]);
  });

  test('a part of the content half is computed once and kept', () => {
    const view = contentView(all, NOW);
    expect(view.feeds).toBe(view.feeds);
  });
});
