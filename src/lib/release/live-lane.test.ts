import { describe, expect, test } from 'vitest';
import type { PageReads } from '../schemas.ts';
import type { ChangeParts } from './change-key.ts';
import { carriedOver, liveLaneBlocker, livePlan, mergeRecords, pageFileCandidates } from './live-lane.ts';

const parts: ChangeParts = { content: 'c1', code: 'k1', sources: 's1', clock: 'day=2026-11-21;passed=0;minute=-' };
const record = (over: Partial<PageReads> = {}): PageReads => ({
  version: 1,
  base: '/',
  validUntil: null,
  unscoped: [],
  liveRoutes: { '/badges/[...badge].svg': ['status'] },
  pages: {
    '/': { route: '/', params: '{}', reads: ['now', 'status'], file: 'index.html' },
    '/incidents/': { route: '/incidents', params: '{}', reads: [], file: 'incidents/index.html' },
    '/incidents/a/': { route: '/incidents/[slug]', params: '{"slug":"a"}', reads: [], file: 'incidents/a/index.html' },
    '/incidents/b/': { route: '/incidents/[slug]', params: '{"slug":"b"}', reads: ['now'], file: 'incidents/b/index.html' },
    '/badges/c2s.svg': { route: '/badges/[...badge].svg', params: '{"badge":"c2s"}', reads: [], file: 'badges/c2s.svg' },
    '/badges/s2s.svg': { route: '/badges/[...badge].svg', params: '{"badge":"s2s"}', reads: [], file: 'badges/s2s.svg' },
  },
  ...over,
});
const now = new Date('2026-11-21T12:01:00Z');

describe('whether a live build may be based on the live release', () => {
  test('yes when only the summaries and the clock moved', () => {
    expect(liveLaneBlocker(record(), parts, { ...parts, sources: 's2', clock: 'day=2026-11-21;passed=1;minute=-' }, now)).toBeUndefined();
  });

  test('no, with the reason in words, for each thing that makes a full build necessary', () => {
    expect(liveLaneBlocker(undefined, parts, parts, now)).toBe('the live release has no page record');
    expect(liveLaneBlocker({ ...record(), version: 2 } as unknown as PageReads, parts, parts, now)).toBe("the live release's page record is version 2, not 1");
    expect(liveLaneBlocker(record(), undefined, parts, now)).toBe('the live release has no change key');
    expect(liveLaneBlocker(record(), parts, { ...parts, content: 'c2' }, now)).toBe('content changed');
    expect(liveLaneBlocker(record(), parts, { ...parts, code: 'k2' }, now)).toBe('code changed');
    expect(liveLaneBlocker(record({ unscoped: ['status (read outside any page)'] }), parts, parts, now)).toBe(
      'a live value is read outside any page (status (read outside any page))',
    );
    expect(liveLaneBlocker(record({ validUntil: '2026-11-21T12:01:00.000Z' }), parts, parts, now)).toBe(
      "content timed for 2026-11-21T12:01:00.000Z is due (a scheduled entry, a daily update's day, or a maintenance window's start or end)",
    );
    expect(liveLaneBlocker(record({ validUntil: '2026-11-21T12:01:00.001Z' }), parts, parts, now)).toBeUndefined();
  });
});

test('a live build renders every page of a route whose path list read a live value, and each page that read one', () => {
  expect(livePlan(record())).toEqual({ wholeRoutes: ['/badges/[...badge].svg'], pages: { '/': ['{}'], '/incidents/[slug]': ['{"slug":"b"}'] } });
});

test.each([
  ['/', '/', ['index.html']],
  ['/incidents/x/', '/', ['incidents/x/index.html', 'incidents/x']],
  ['/feeds/all.atom', '/', ['feeds/all.atom']],
  ['/history/status.json.gz/', '/', ['history/status.json.gz/index.html', 'history/status.json.gz']],
  ['/404/', '/', ['404.html']],
  ['/status/incidents/', '/status/', ['incidents/index.html', 'incidents']],
  ['/status/', '/status', ['index.html']],
  ['/services/xmpp.caf%C3%A9/', '/', ['services/xmpp.café/index.html', 'services/xmpp.café']],
])('the page %s (base %s) is written to one of %j', (path, base, files) => {
  expect(pageFileCandidates(path, base)).toEqual(files);
});

describe('the release a live build makes', () => {
  // The live build rendered the home page, incident b, the static /incidents/ page and the badges, of which s2s is gone.
  const rendered = record({
    pages: {
      '/': { route: '/', params: '{}', reads: ['now', 'status'], file: 'index.html' },
      '/incidents/': { route: '/incidents', params: '{}', reads: [], file: 'incidents/index.html' },
      '/incidents/b/': { route: '/incidents/[slug]', params: '{"slug":"b"}', reads: ['now'], file: 'incidents/b/index.html' },
      '/badges/c2s.svg': { route: '/badges/[...badge].svg', params: '{"badge":"c2s"}', reads: [], file: 'badges/c2s.svg' },
    },
  });

  test('carries over every file it did not render, with its .gz and .br, and drops pages that are gone', () => {
    const keep = carriedOver(record(), rendered);
    expect(['incidents/a/index.html', 'incidents/a/index.html.gz', 'incidents/a/index.html.br', '_astro/site.css', 'favicon.svg'].filter(keep)).toHaveLength(5);
    expect(
      ['index.html', 'index.html.br', 'incidents/b/index.html.gz', 'incidents/index.html', 'badges/c2s.svg', 'badges/s2s.svg', 'badges/s2s.svg.gz'].filter(
        keep,
      ),
    ).toEqual([]);
  });

  test('records the rendered pages as rendered now and the others as last rendered', () => {
    expect(Object.keys(mergeRecords(record(), rendered).pages).sort()).toEqual(['/', '/badges/c2s.svg', '/incidents/', '/incidents/a/', '/incidents/b/']);
    expect(mergeRecords(record(), rendered).pages['/incidents/a/']).toEqual(record().pages['/incidents/a/']);
  });
});
