import { expect, test } from 'vitest';
import fc from 'fast-check';
import { buildFeeds, dailyUpdateEntries, FEED_LIMIT, incidentEntries, incidentsThatCanReachAFeed, maintenanceEntries, renderAtom } from './feeds.ts';
import { incidentText, maintenanceText, source, validContent } from '../../../tests/helpers/content-files.ts';

const updates = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `  - at: 2026-11-09T${String(6 + i).padStart(2, '0')}:00:00Z\n    status: ${i === n - 1 ? 'resolved' : 'investigating'}\n    message: Update ${i + 1}.`,
  ).join('\n');

test('every incident update is its own entry, newest first', () => {
  const content = validContent({ incidents: [source('incidents/2026/2026-11-09-login.md', incidentText({ updates: updates(3) }))] });
  const incidents = buildFeeds(content).find((f) => f.key === 'incidents')!;
  expect(incidents.entries.map((e) => [e.title, e.id])).toEqual([
    ['Resolved: Login failures', 'tag:status.example.org,2026-11-09:incident/2026-11-09-login/2026-11-09T08:00:00Z'],
    ['Investigating: Login failures', 'tag:status.example.org,2026-11-09:incident/2026-11-09-login/2026-11-09T07:00:00Z'],
    ['Investigating: Login failures', 'tag:status.example.org,2026-11-09:incident/2026-11-09-login/2026-11-09T06:00:00Z'],
  ]);
  expect(incidents.entries[0]!.link).toBe('https://status.example.org/incidents/2026-11-09-login/#update-20261109T080000Z');
});

test("editing an update's text keeps every id and date, so nothing is re-sent", () => {
  const before = buildFeeds(validContent({ incidents: [source('incidents/2026/2026-11-09-login.md', incidentText({ updates: updates(2) }))] }));
  const after = buildFeeds(
    validContent({
      incidents: [source('incidents/2026/2026-11-09-login.md', incidentText({ updates: updates(2).replace('Update 1.', 'Update one, typo fixed.') }))],
    }),
  );
  const key = (feeds: typeof before) => feeds.flatMap((f) => f.entries.map((e) => `${f.key} ${e.id} ${e.updated.toISOString()}`));
  expect(key(after)).toEqual(key(before));
  expect(after.find((f) => f.key === 'all')!.updated).toEqual(before.find((f) => f.key === 'all')!.updated);
});

test("a feed's updated time is its newest entry, not the build time", () => {
  const content = validContent({ updates: [source('content/updates/2026-11-20.md', '---\nauthor: A\nsummary: Fine.\n---\nAll good.')] });
  expect(
    buildFeeds(content)
      .find((f) => f.key === 'updates')!
      .updated.toISOString(),
  ).toBe('2026-11-20T00:00:00.000Z');
  // An empty feed is dated by the site's newest change: stable, and never 1970.
  expect(
    buildFeeds(content)
      .find((f) => f.key === 'incidents')!
      .updated.toISOString(),
  ).toBe('2026-11-20T00:00:00.000Z');
  expect(
    buildFeeds(validContent())
      .find((f) => f.key === 'incidents')!
      .updated.toISOString(),
  ).toBe('1999-01-04T00:00:00.000Z');
});

test('component feeds hold only what touched the component', () => {
  const content = validContent({
    incidents: [
      source('incidents/2026/2026-11-09-login.md', incidentText()),
      source(
        'incidents/2026/2026-11-10-fed.md',
        incidentText({ affected: '  - id: s2s\n    status: degraded', updates: '  - at: 2026-11-10T01:00:00Z\n    status: investigating\n    message: x' }),
      ),
    ],
  });
  const feeds = buildFeeds(content);
  expect(feeds.map((f) => f.key)).toEqual(['all', 'incidents', 'updates', 'maintenance', 'certificates', 'components/c2s', 'components/s2s']);
  expect(feeds.find((f) => f.key === 'components/s2s')!.entries.map((e) => e.title)).toEqual(['Investigating: Login failures']);
});

test(`feeds keep the newest ${FEED_LIMIT} entries`, () => {
  const many = Array.from({ length: 30 }, (_, d) =>
    source(
      `incidents/2026/2026-10-${String(d + 1).padStart(2, '0')}-x.md`,
      incidentText({
        updates: `  - at: 2026-10-${String(d + 1).padStart(2, '0')}T01:00:00Z\n    status: investigating\n    message: a\n  - at: 2026-10-${String(d + 1).padStart(2, '0')}T02:00:00Z\n    status: resolved\n    message: b`,
      }),
    ),
  );
  const entries = buildFeeds(validContent({ incidents: many })).find((f) => f.key === 'incidents')!.entries;
  expect(entries).toHaveLength(FEED_LIMIT);
  expect(entries.at(-1)!.published.toISOString()).toBe('2026-10-06T01:00:00.000Z');
});

test('Atom escapes markup and strips characters XML forbids instead of failing', () => {
  const content = validContent({
    incidents: [
      source(
        'incidents/2026/2026-11-09-x.md',
        incidentText({ title: '"\\"Bell\\a\\" & <b>"', updates: '  - at: 2026-11-09T06:40:00Z\n    status: investigating\n    message: "a\\u0001 < b"' }),
      ),
    ],
  });
  const xml = renderAtom(buildFeeds(content)[1]!, 'https://s.example/feeds/incidents.atom', 'https://s.example/incidents/', 'S & co');
  expect(xml).toContain('<title>Investigating: &quot;Bell&quot; &amp; &lt;b&gt;</title>');
  expect(xml).toContain('<name>S &amp; co</name>');
  expect(xml).not.toMatch(/[\u0001\u0007]/);
});

test('feeds built from the incidents that can reach them are exactly the feeds built from every incident, ties at the limit included', () => {
  const incidentArb = fc.record({
    day: fc.integer({ min: 1, max: 9 }),
    hours: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }).map((h) => h.sort()),
    components: fc.subarray(['c2s', 's2s'], { minLength: 1 }),
  });
  let dropped = 0;
  fc.assert(
    fc.property(
      fc.array(incidentArb, { minLength: 25, maxLength: 60 }),
      fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { maxLength: 9 }),
      fc.array(fc.record({ day: fc.integer({ min: 1, max: 9 }), components: fc.subarray(['c2s', 's2s'], { minLength: 1 }) }), { maxLength: 6 }),
      (specs, updateDays, windows) => {
        const incidents = specs.map(({ day, hours, components }, n) => {
          const date = `2026-10-0${day}`;
          const updates = hours
            .map((h, i) => `  - at: ${date}T0${h}:00:00Z\n    status: ${i === hours.length - 1 ? 'resolved' : 'investigating'}\n    message: m${n}`)
            .join('\n');
          return source(
            `incidents/2026/${date}-x${n}.md`,
            incidentText({ affected: components.map((c) => `  - id: ${c}\n    status: degraded`).join('\n'), updates }),
          );
        });
        // Daily updates and maintenance share the 'all' feed and the component feeds with the incidents.
        const updates = updateDays.map((d) => source(`content/updates/2026-10-0${d}.md`, '---\nauthor: A\nsummary: Fine.\n---\nText.'));
        const maintenance = windows.map(({ day, components }, n) =>
          source(
            `content/maintenance/2026-10-0${day}-w${n}.md`,
            maintenanceText(`W${n}`, `2026-10-0${day}T02:00:00Z`, `2026-10-0${day}T03:00:00Z`, {
              components: `[${components.join(', ')}]`,
              announced: `2026-10-0${day}T01:00:00Z`,
            }),
          ),
        );
        const content = validContent({ incidents, updates, maintenance });
        // The oracle: every entry of every incident, newest first, then the limit.
        const every = [
          ...incidentEntries(content, content.incidents),
          ...dailyUpdateEntries(content, content.updates),
          ...maintenanceEntries(content, content.maintenance),
        ];
        const newest = (entries: typeof every) =>
          [...entries]
            .sort((a, b) => b.updated.getTime() - a.updated.getTime() || a.id.localeCompare(b.id))
            .slice(0, FEED_LIMIT)
            .map((e) => e.id);
        const only = (category: string) => every.filter((e) => e.categories.includes(category));
        const feeds = buildFeeds(content);
        const ids = (key: string) => feeds.find((f) => f.key === key)?.entries.map((e) => e.id) ?? [];
        expect(ids('all')).toEqual(newest(every));
        expect(ids('incidents')).toEqual(newest(only('incident')));
        for (const c of ['c2s', 's2s'])
          expect(ids(`components/${c}`)).toEqual(newest(every.filter((e) => e.categories.includes(c) && !e.categories.includes('daily-update'))));
        if (incidentsThatCanReachAFeed(content).length < content.incidents.length) dropped++;
      },
    ),
    { numRuns: 60, seed: 16 },
  );
  // The shortcut must actually leave incidents out, or this compares a feed with itself.
  expect(dropped).toBeGreaterThan(10);
});

test('an incident\'s advice reaches every entry while it is open, escaped, and not the "resolved" one (issue 27)', () => {
  const text = incidentText({ updates: updates(2) }).replace(
    'impact: major\n',
    'impact: major\nadvice: Your password is fine; <b>do not</b> register again.\n',
  );
  const entries = incidentEntries(
    validContent({ incidents: [source('incidents/2026/2026-11-09-login.md', text)] }),
    validContent({ incidents: [source('incidents/2026/2026-11-09-login.md', text)] }).incidents,
  );
  const said = entries.map((e) => e.html.includes('<p><strong>What you can do:</strong> Your password is fine; &lt;b&gt;do not&lt;/b&gt; register again.</p>'));
  expect(entries.map((e) => e.title)).toEqual(['Investigating: Login failures', 'Resolved: Login failures']);
  expect(said).toEqual([true, false]);
});
