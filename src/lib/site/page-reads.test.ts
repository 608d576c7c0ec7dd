import { beforeEach, describe, expect, test } from 'vitest';
import { currentRecord, inPage, live, paramsKey, resetPageReads, setLivePlan, staticPaths } from './page-reads.ts';

beforeEach(() => resetPageReads());

describe('live values note which page read them', () => {
  test('a page that reads a live value is recorded with its name; one that does not is recorded with none', async () => {
    const status = live('status', { overall: 'operational' });
    const content = { title: 'Incidents' };
    await inPage('/', '/', {}, async () => status.overall);
    await inPage('/incidents', '/incidents/', {}, async () => content.title);
    expect(currentRecord().pages).toEqual({
      '/': { route: '/', params: '{}', reads: ['status'] },
      '/incidents/': { route: '/incidents', params: '{}', reads: [] },
    });
  });

  test('reads after an await still count for their own page, with pages rendered side by side', async () => {
    const now = live('now', new Date('2026-11-21T12:00:00Z'));
    const tick = () => new Promise((r) => setTimeout(r, 1));
    await Promise.all([
      inPage('/a', '/a/', {}, async () => {
        await tick();
        return now.getTime();
      }),
      inPage('/b', '/b/', {}, async () => {
        await tick();
        return 'no clock here';
      }),
    ]);
    expect(currentRecord().pages['/a/']!.reads).toEqual(['now']);
    expect(currentRecord().pages['/b/']!.reads).toEqual([]);
  });

  test('a Date, a Map and an array work through the proxy as they do without it', () => {
    const date = new Date('2026-11-21T12:00:00Z');
    const now = live('now', date);
    expect(now.getTime()).toBe(date.getTime());
    expect(now.toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(new Date(now as unknown as number).getTime()).toBe(date.getTime());
    const history = live('history', new Map([['c2s', 99.9]]));
    expect(history.get('c2s')).toBe(99.9);
    expect([...history.keys()]).toEqual(['c2s']);
    const feeds = live('feeds', [{ key: 'all' }]);
    expect(feeds.find((f) => f.key === 'all')).toEqual({ key: 'all' });
    expect(JSON.stringify(feeds)).toBe('[{"key":"all"}]');
  });

  test('a read outside any page or getStaticPaths is recorded as unscoped', () => {
    const status = live('status', { overall: 'operational' });
    void status.overall;
    expect(currentRecord().unscoped).toEqual(['status (read outside any page)']);
  });
});

describe('staticPaths', () => {
  const paths = [{ params: { slug: 'a' } }, { params: { slug: 'b' } }, { params: { slug: 'c' } }];

  test('in a full build it returns every path, and a live value read while listing them marks the whole route', () => {
    const status = live('status', { components: ['x'] });
    expect(staticPaths('/badges/[...badge].svg', () => paths.filter(() => status.components.length > 0))()).toEqual(paths);
    expect(staticPaths('/incidents/[slug]', () => paths)()).toEqual(paths);
    expect(currentRecord().liveRoutes).toEqual({ '/badges/[...badge].svg': ['status'] });
  });

  test('in a live build it returns only the pages the plan names, or all of a whole route', () => {
    setLivePlan({ wholeRoutes: ['/badges/[...badge].svg'], pages: { '/incidents/[slug]': [paramsKey({ slug: 'b' })] } });
    expect(staticPaths('/incidents/[slug]', () => paths)()).toEqual([{ params: { slug: 'b' } }]);
    expect(staticPaths('/badges/[...badge].svg', () => paths)()).toEqual(paths);
    let listed = false;
    expect(
      staticPaths('/updates/[date]', () => {
        listed = true;
        return paths;
      })(),
    ).toEqual([]);
    // Nothing of it is planned: its paths are not even listed.
    expect(listed).toBe(false);
  });

  test('params are compared in one canonical form: key order and an empty rest param do not matter', () => {
    expect(paramsKey({ b: '2', a: 1 })).toBe(paramsKey({ a: '1', b: '2' }));
    expect(paramsKey({ index: undefined })).toBe('{"index":null}');
  });
});
