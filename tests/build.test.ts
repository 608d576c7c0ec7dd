/**
 * Builds the bundled sample site for real and checks what readers see.
 * The sample's "now" is 2026-11-21T12:00:00Z: one incident is being
 * monitored (federation, degraded), one maintenance window is upcoming.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { z } from 'astro/zod';
import { buildFeeds, updateAnchor } from '../src/lib/publish/feeds.ts';
import { loadContent } from '../src/lib/content/load-content-io.ts';
import {
  ServiceOutageStatusSchema,
  StatuspageIncidentSchema,
  StatuspageMaintenanceSchema,
  StatuspagePageSchema,
  StatuspageSummarySchema,
} from '../src/lib/publish/statuspage-schemas.ts';
import { computeStatus } from '../src/lib/status/status.ts';
import { buildSite, htmlText, listFiles, pageText, SAMPLE_EPOCH, type BuildResult } from './helpers/build-site.ts';

let sample: BuildResult;
beforeAll(() => {
  sample = buildSite();
  if (sample.code !== 0) throw new Error(`sample build failed:\n${sample.output}`);
});

describe('the sample site', () => {
  test('the home page states the overall status, the open incident, maintenance and every component', () => {
    const text = pageText(sample.outDir, 'index.html');
    // The banner: the incident's own title, what it affects in readers' words, its status, since when, the next update (issues 12 and 27).
    expect(text).toContain(
      '! Federation with some servers fails after certificate change Degraded performance: Chatting with people on other servers Monitoring Since 19 Nov 16:30 UTC Next update by 18:00 UTC As of 12:00 UTC',
    );
    // The card names what is affected right under its title.
    expect(text).toContain(
      'Current incidents Federation with some servers fails after certificate change Federation with other servers (port 5269): ! Degraded performance Monitoring Minor impact Started 2026-11-19 16:30 UTC',
    );
    expect(text).toContain('M-Link upgrade with the fix for disconnections Upcoming 2026-11-25 04:00 UTC to 2026-11-25 05:30 UTC (1 h 30 min) · rescheduled');
    expect(text).toContain('Next update by 2026-11-21 18:00 UTC');
    expect(text).toContain('Next daily update by 2026-11-22 12:00 UTC');
    expect(text).toContain('Federation with other servers (port 5269) ! Degraded performance');
    expect(text).toContain('Client connections (port 5222) ✓ Operational');
    expect(text).toContain("Today's update 2026-11-21 · by The jabber.org team");
    // The cancelled window and past incidents are not "current".
    expect(text).not.toContain('Database failover test');
  });

  test('an incident page shows its timeline newest first, its duration and the postmortem', () => {
    const text = pageText(sample.outDir, 'incidents/2026-11-09-login-failures-after-migration/index.html');
    // Issue 27: the title, one status line, then the updates newest first; the facts said once.
    expect(text).toContain(
      'Login failures after the move to M-Link Critical impact Resolved · 2026-11-09 06:40 UTC to 2026-11-09 19:05 UTC (12 h 25 min) Updates Resolved · 2026-11-09 19:05 UTC',
    );
    expect(text.indexOf('Resolved · 2026-11-09 19:05 UTC Login success')).toBeLessThan(text.indexOf('Investigating · 2026-11-09 06:40 UTC'));
    expect(text.indexOf('Investigating · 2026-11-09 06:40 UTC')).toBeLessThan(text.indexOf('Affected components'));
    expect(text.match(/12 h 25 min/g)).toHaveLength(1);
    expect(text).toContain('Summary and postmortem What happened');
  });

  test('an incident written with a +01:00 offset is shown in UTC', () => {
    expect(pageText(sample.outDir, 'incidents/2026-11-11-federation-delays/index.html')).toContain('Resolved · 2026-11-11 13:10 UTC to 2026-11-11 20:00 UTC');
  });

  test('the history groups incidents by month, newest first', () => {
    const text = pageText(sample.outDir, 'incidents/index.html');
    expect(text.indexOf('November 2026')).toBeLessThan(text.indexOf('October 2026'));
    expect(text).toContain('Website certificate expired');
  });

  test('a component page says which source decided its state, and what monitoring measured', () => {
    const s2s = pageText(sample.outDir, 'components/s2s/index.html');
    expect(s2s).toContain('Now: ! Degraded performance (as reported in an open incident)');
    expect(s2s).toContain(
      'Probes say: Up (1 of 8 remote servers unreachable over federation (xmpp.sample.jabber.org): their fact, not an outage here); 3 locations with fresh data.',
    );
    expect(s2s).toContain('xmpp.sample.jabber.org Not reachable since 2026-11-19 08:15 UTC');
    const c2s = pageText(sample.outDir, 'components/c2s/index.html');
    // 9 Nov login outage (415 min) + 10 Nov disconnections (18 min); the
    // failures during the 8 Nov migration window are maintenance, and nyc's
    // lone bad night on 16 Nov is below quorum.
    expect(c2s).toContain('November 2026 98.51% 433 min 43.2 min (0 min left) Missed');
    // One verdict per day, from declared incidents, probes and maintenance:
    // nyc's lone bad night stays green; the disconnection days are not green.
    expect(c2s).toContain('2026-11-16 No problems 100% (measured) probes: no downtime');
    expect(c2s).toContain('2026-11-11 Degraded 100% (measured) Degraded performance declared for 9 h; probes: no downtime');
    expect(c2s).toContain('2026-11-10 Major outage 98.75% (measured) Partial outage declared for 1 h 25 min; probes: 18 min down');
    expect(c2s).toContain('2026-11-08 Maintenance 100% (measured) probes: no downtime; maintenance for 2 h');
    // The federation component is degraded now, and its bar says so.
    expect(s2s).toContain('2026-11-20 Degraded 100% (measured) Degraded performance declared for 1 d; probes: no downtime');
  });

  test('component pages list only the incidents that touched them', () => {
    const text = pageText(sample.outDir, 'components/muc/index.html');
    expect(text).toContain('Some chat rooms could not be joined');
    expect(text).not.toContain('Website certificate expired');
  });

  test('every daily update has a page and the archive lists them all', () => {
    const updates = readdirSync('content/updates').filter((f) => /^\d{4}-\d{2}-\d{2}\.md$/.test(f));
    for (const f of updates) expect(existsSync(join(sample.outDir, 'updates', f.replace('.md', ''), 'index.html'))).toBe(true);
    expect(pageText(sample.outDir, 'updates/index.html').match(/\d{4}-\d{2}-\d{2}:/g)).toHaveLength(updates.length);
  });

  test("the 404 page says the status right there, in the home page's words (issue 27)", () => {
    expect(pageText(sample.outDir, '404.html')).toContain(
      'Page not found There is no page at this address. ! Federation with some servers fails after certificate change: Degraded performance: Chatting with people on other servers. Current status, incident history, public IM services.',
    );
  });

  test('there is a 404 page and no page loads any script but the local-time file, or anything from another host', () => {
    expect(existsSync(join(sample.outDir, '404.html'))).toBe(true);
    for (const file of listFiles(sample.outDir).filter((f) => f.endsWith('.html'))) {
      const html = readFileSync(join(sample.outDir, file), 'utf8');
      // One external, deferred script from this site (issue 12); nothing inline.
      expect(html.match(/<script\b[^>]*>/gi), file).toEqual([expect.stringMatching(/^<script src="\/_astro\/local-time\.[A-Za-z0-9_-]{8}\.js" defer>$/)]);
      expect(html, file).toMatch(/<script [^>]*><\/script>/);
      // Nothing is loaded from another host (links to other sites, such as a
      // listed service's website, are fine: following one is the reader's choice).
      const loads = html.match(/<(?:img|script|link|iframe|source|video|audio|object|embed)\b[^>]*?\b(?:src|href|srcset|data)="(?:https?:)?\/\/[^"]+"/gi) ?? [];
      expect(
        loads.filter((tag) => !tag.includes('//status.jabber.org/')),
        file,
      ).toEqual([]);
    }
  });
});

test('two builds at the same SOURCE_DATE_EPOCH under different TZ are byte-identical', () => {
  const a = buildSite({ env: { TZ: 'UTC' } });
  const b = buildSite({ env: { TZ: 'Pacific/Kiritimati' } });
  expect([a.code, b.code]).toEqual([0, 0]);
  const files = listFiles(a.outDir);
  expect(listFiles(b.outDir)).toEqual(files);
  for (const f of files) expect(readFileSync(join(b.outDir, f)).equals(readFileSync(join(a.outDir, f))), f).toBe(true);
});

test('broken content fails the build with every problem listed and publishes nothing', () => {
  const broken = buildSite({ contentRoot: 'tests/fixtures/invalid' });
  expect(broken.code).not.toBe(0);
  expect(broken.output).toContain('20 problems in 8 files.');
  expect(broken.output).toContain('incidents/2026/2026-11-10-bad-timeline.md:3: impact: "severe" is not allowed');
  expect(listFiles(broken.outDir)).toEqual([]);
});

describe('what subscribers and machines read', () => {
  const read = (path: string) => readFileSync(join(sample.outDir, path), 'utf8');
  const loaded = loadContent('.');
  if (!loaded.ok) throw new Error('sample content must be valid');
  const content = loaded.content;
  const now = new Date(Number(SAMPLE_EPOCH) * 1000);
  const expectedFeeds = buildFeeds(content);

  test("every feed is well-formed XML and an independent parser reads exactly the content's entries", () => {
    for (const feed of expectedFeeds) {
      for (const ext of ['xml', 'atom']) {
        const path = `feeds/${feed.key}.${ext}`;
        const xml = read(path);
        expect(XMLValidator.validate(xml), path).toBe(true);
        const parsed = parseFeed(xml);
        expect(parsed.meta.type, path).toBe(ext === 'xml' ? 'rss' : 'atom');
        expect(parsed.self, path).toBe(`https://status.jabber.org/${path}`);
        // Certificate changes (issue 30) come from monitoring, not content:
        // the rest must be exactly the content's entries, in order.
        const items = parsed.items.map((i) => [i.id, i.title, i.url, i.published?.toISOString()]);
        const isCertificate = (item: (string | null | undefined)[]) => String(item[0]).includes(':certificate/');
        expect(
          items.filter((i) => !isCertificate(i)),
          path,
        ).toEqual(feed.entries.map((e) => [e.id, e.title, e.link, e.published.toISOString()]));
        for (const item of items.filter(isCertificate)) {
          expect(item[1], path).toMatch(/^Certificate on .+ changed: (expected|unexpected)/);
          expect(item[2], path).toMatch(/^https:\/\/status\.jabber\.org\/certificates\/#change-/);
        }
      }
    }
  });

  test('the sample certificate change of 2 October (the renewed website certificate) is in the certificates feed and in all, judged an expected renewal', () => {
    for (const key of ['certificates', 'all']) {
      const titles = parseFeed(read(`feeds/${key}.atom`))
        .items.filter((i) => String(i.id).includes(':certificate/'))
        .map((i) => [i.title, i.published?.toISOString()]);
      expect(titles, key).toEqual([['Certificate on https://www.jabber.org/ (jabber.org) changed: expected renewal', '2026-10-02T06:25:00.000Z']]);
    }
  });

  test('the incidents feed has one entry for every update of every incident', () => {
    const updates = content.incidents.reduce((n, i) => n + i.updates.length, 0);
    expect(parseFeed(read('feeds/incidents.atom')).items).toHaveLength(updates);
    // Each entry's content is the update's own message.
    const login = content.incidents.find((i) => i.slug === '2026-11-09-login-failures-after-migration')!;
    const items = parseFeed(read('feeds/incidents.atom')).items.filter((i) => i.url?.includes(login.slug));
    // Compare text, not markup: parsers may re-serialise entities such as &quot;.
    expect(items).toHaveLength(login.updates.length);
    for (const item of items) {
      const update = login.updates.find((u) => item.url!.endsWith(updateAnchor(u.at)))!;
      expect(htmlText(item.content!)).toContain(htmlText(update.html));
    }
  });

  test('dates follow each format: RFC 822 in RSS, RFC 3339 in Atom; absolute links only', () => {
    const rss = read('feeds/all.xml');
    for (const d of rss.match(/<pubDate>[^<]+<\/pubDate>/g)!)
      expect(d).toMatch(/^<pubDate>(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT<\/pubDate>$/);
    const atom = read('feeds/all.atom');
    for (const d of atom.match(/<(updated|published)>[^<]+</g)!) expect(d).toMatch(/^<(updated|published)>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<$/);
    for (const href of [...rss.matchAll(/<link>([^<]+)<\/link>/g), ...atom.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!)) expect(href).toMatch(/^https:\/\//);
  });

  test('every page advertises the site feeds, and section pages their own', () => {
    for (const file of listFiles(sample.outDir).filter((f) => f.endsWith('.html'))) {
      expect(read(file), file).toContain(
        '<link rel="alternate" type="application/atom+xml" title="jabber.org status: everything (Atom)" href="/feeds/all.atom">',
      );
    }
    expect(read('components/muc/index.html')).toContain('href="/feeds/components/muc.atom"');
    expect(read('incidents/index.html')).toContain('href="/feeds/incidents.xml"');
  });

  test('every Statuspage-style JSON document passes its schema and says what the page says', () => {
    const schemas = {
      'summary.json': StatuspageSummarySchema,
      'status.json': StatuspageSummarySchema.pick({ page: true, status: true }).strict(),
      'components.json': StatuspageSummarySchema.pick({ page: true, components: true }).strict(),
      'incidents.json': z.strictObject({ page: StatuspagePageSchema, incidents: z.array(StatuspageIncidentSchema) }),
      'incidents/unresolved.json': z.strictObject({ page: StatuspagePageSchema, incidents: z.array(StatuspageIncidentSchema) }),
      'scheduled-maintenances.json': z.strictObject({ page: StatuspagePageSchema, scheduled_maintenances: z.array(StatuspageMaintenanceSchema) }),
      'scheduled-maintenances/upcoming.json': z.strictObject({ page: StatuspagePageSchema, scheduled_maintenances: z.array(StatuspageMaintenanceSchema) }),
      'scheduled-maintenances/active.json': z.strictObject({ page: StatuspagePageSchema, scheduled_maintenances: z.array(StatuspageMaintenanceSchema) }),
    };
    for (const [path, schema] of Object.entries(schemas)) expect(() => schema.parse(JSON.parse(read(`api/v2/${path}`))), path).not.toThrow();
    const summary = StatuspageSummarySchema.parse(JSON.parse(read('api/v2/summary.json')));
    const status = computeStatus(content, now);
    expect(summary.status).toEqual({ indicator: 'minor', description: 'Minor Service Outage' });
    expect(summary.incidents.map((i) => i.id)).toEqual(status.activeIncidents.map((i) => i.slug));
    expect(summary.components.find((c) => c.id === 's2s')!.status).toBe('degraded_performance');
    expect(summary.scheduled_maintenances.map((m) => [m.id, m.status])).toEqual([['2026-11-25-m-link-upgrade', 'scheduled']]);
    const all = JSON.parse(read('api/v2/incidents.json')) as { incidents: { id: string }[] };
    expect(all.incidents.map((i) => i.id)).toEqual(content.incidents.map((i) => i.slug));
  });

  test('the XEP-0455 document reports the open incident as unplanned', () => {
    expect(ServiceOutageStatusSchema.parse(JSON.parse(read('api/outage.json')))).toMatchObject({ planned: false, beginning: '2026-11-19T16:30:00Z' });
  });

  test('an iCalendar parser reads every maintenance window with stable UIDs, UTC times and the cancellation', () => {
    const ics = read('maintenance.ics');
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const calendar = new ICAL.Component(ICAL.parse(ics));
    const events = calendar.getAllSubcomponents('vevent').map((v) => ({ event: new ICAL.Event(v), status: v.getFirstPropertyValue('status') }));
    expect(events.map(({ event, status }) => [event.uid, event.startDate.toString(), event.endDate.toString(), status])).toEqual(
      content.maintenance.map((m) => [
        `maintenance-${m.slug}@status.jabber.org`,
        m.start.toISOString().replace('.000Z', 'Z'),
        m.end.toISOString().replace('.000Z', 'Z'),
        m.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
      ]),
    );
    expect(events.every(({ event }) => event.startDate.zone?.tzid === 'UTC')).toBe(true);
  });

  test('badges are small, valid SVG with a title and role="img"', () => {
    const files = listFiles(join(sample.outDir, 'badges'));
    expect(files).toHaveLength(1 + 2 * content.site.components.length);
    for (const f of files) {
      const svg = read(`badges/${f}`);
      expect(XMLValidator.validate(svg), f).toBe(true);
      expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="[^"]+"><title>[^<]+<\/title>/);
      expect(Buffer.byteLength(svg), f).toBeLessThan(1024);
    }
    expect(read('badges/status.svg')).toContain('<title>jabber.org: degraded performance</title>');
    expect(read('badges/components/website-uptime.svg')).toContain('<title>website uptime 30d: 100%</title>');
  });
});
