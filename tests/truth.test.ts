/**
 * One set of facts, the same story everywhere (issue 11). The bundled
 * sample story is computed at several frozen instants through the one
 * `siteView` the build uses, and every output is read back: the home
 * headline and component states, the 90-day verdicts, the feeds, the
 * calendar (parsed by ical.js), the Statuspage JSON and XEP-0455.
 */
import ICAL from 'ical.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadContent } from '../src/lib/content/load-content-io.ts';
import type { SiteContent } from '../src/lib/content/content.ts';
import { loadProbeSources } from '../src/lib/monitoring/probe-sources-io.ts';
import { renderCalendar } from '../src/lib/publish/icalendar.ts';
import { serviceOutageStatus } from '../src/lib/publish/outage-status.ts';
import { buildStatuspageApi } from '../src/lib/publish/statuspage-api.ts';
import type { ProbeSummary } from '../src/lib/schemas.ts';
import { siteView } from '../src/lib/site/site-view.ts';
import { maintenancePhase } from '../src/lib/status/status.ts';
import { incidentText, maintenanceText, source, validContent } from './helpers/content-files.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let all: SiteContent;
let summaries: ProbeSummary[];
beforeAll(async () => {
  const loaded = loadContent(process.cwd());
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  all = loaded.content;
  const sources = await loadProbeSources(all.site.probes.sources, {
    root: process.cwd(),
    cacheDir: mkdtempSync(join(tmpdir(), 'truth-cache-')),
    now: new Date('2026-11-21T12:00:00Z'),
  });
  summaries = sources.flatMap((s) => (s.summary ? [s.summary] : []));
});

/** Every output's word on the story at `now`, one line each. */
function story(now: string) {
  const at = new Date(now);
  const state = siteView(all, { summaries }, at);
  const api = buildStatuspageApi(state.content, state.status);
  const byId = new Map(api.components.map((c) => [c.id, c.status]));
  const comp = (id: string) => state.status.components.find((c) => c.component.id === id)!;
  const upgrade = state.content.maintenance.find((m) => m.slug === '2026-11-25-m-link-upgrade');
  const calendar = ICAL.Component.fromString(renderCalendar(state.content, at));
  const event = calendar.getAllSubcomponents('vevent').find((e: ICAL.Component) => String(e.getFirstPropertyValue('uid')).startsWith('maintenance-2026-11-25'));
  const outage = serviceOutageStatus(state.status, 'x');
  const today = state.dayHistory.get('c2s')!.at(-1)!;
  const feed = state.feeds.find((f) => f.key === 'all')!;
  return [
    `page: ${state.status.overall.headline}; c2s ${comp('c2s').state} (${comp('c2s').decidedBy}); s2s ${comp('s2s').state}`,
    `api: ${api.status.indicator}; c2s ${byId.get('c2s')}; s2s ${byId.get('s2s')}; unresolved ${api.unresolved.length}; active maintenance ${api.active.length}`,
    `xep-0455: ${'planned' in outage ? (outage.planned ? 'planned' : 'unplanned') : 'all well'}`,
    `c2s today: ${today.cls}`,
    `upgrade: ${upgrade ? `${maintenancePhase(upgrade, at)}, calendar ${event?.getFirstPropertyValue('status')} seq ${event?.getFirstPropertyValue('sequence')}` : 'not announced yet'}`,
    `newest feed entry: ${feed.entries[0]?.title}`,
  ].join('\n');
}

describe('the sample story reads the same in every output', () => {
  test('before the login failures: the migration window is in progress', () => {
    expect(story('2026-11-08T23:00:00Z')).toMatchInlineSnapshot(`
      "page: Status partly unknown; c2s under-maintenance (maintenance); s2s under-maintenance
      api: maintenance; c2s under_maintenance; s2s under_maintenance; unresolved 0; active maintenance 1
      xep-0455: planned
      c2s today: maintenance
      upgrade: not announced yet
      newest feed entry: In progress: Move to new server software (Isode M-Link)"
    `);
  });
  test('during the login failures', () => {
    expect(story('2026-11-09T09:00:00Z')).toMatchInlineSnapshot(`
      "page: Major outage; c2s major-outage (incident); s2s unknown
      api: critical; c2s major_outage; s2s operational; unresolved 1; active maintenance 0
      xep-0455: unplanned
      c2s today: major
      upgrade: not announced yet
      newest feed entry: Identified: Login failures after the move to M-Link"
    `);
  });
  test('while monitoring the login fix: components given back, incident still open', () => {
    expect(story('2026-11-09T14:00:00Z')).toMatchInlineSnapshot(`
      "page: Status partly unknown; c2s unknown (monitoring); s2s unknown
      api: none; c2s operational; s2s operational; unresolved 1; active maintenance 0
      xep-0455: all well
      c2s today: major
      upgrade: not announced yet
      newest feed entry: Monitoring: Login failures after the move to M-Link"
    `);
  });
  test('after the incidents, the federation problem open', () => {
    expect(story('2026-11-21T12:00:00Z')).toMatchInlineSnapshot(`
      "page: Degraded performance; c2s operational (none); s2s degraded
      api: minor; c2s operational; s2s degraded_performance; unresolved 1; active maintenance 0
      xep-0455: unplanned
      c2s today: ok
      upgrade: upcoming, calendar CONFIRMED seq 1
      newest feed entry: Rescheduled: M-Link upgrade with the fix for disconnections"
    `);
  });
  test('during the rescheduled upgrade', () => {
    expect(story('2026-11-25T05:10:00Z')).toMatchInlineSnapshot(`
      "page: Degraded performance; c2s under-maintenance (maintenance); s2s degraded
      api: minor; c2s under_maintenance; s2s degraded_performance; unresolved 1; active maintenance 1
      xep-0455: unplanned
      c2s today: maintenance
      upgrade: in-progress, calendar CONFIRMED seq 1
      newest feed entry: Rescheduled: M-Link upgrade with the fix for disconnections"
    `);
  });
  test('after the upgrade window', () => {
    expect(story('2026-11-25T06:00:00Z')).toMatchInlineSnapshot(`
      "page: Degraded performance; c2s unknown (monitoring); s2s degraded
      api: minor; c2s operational; s2s degraded_performance; unresolved 1; active maintenance 0
      xep-0455: unplanned
      c2s today: maintenance
      upgrade: completed, calendar CONFIRMED seq 1
      newest feed entry: Rescheduled: M-Link upgrade with the fix for disconnections"
    `);
  });
});

describe('a maintenance window rescheduled, then cancelled', () => {
  const NOW = new Date('2026-11-21T12:00:00Z');
  const content = validContent({
    maintenance: [
      source(
        'content/maintenance/2026-11-25-upgrade.md',
        maintenanceText('Upgrade', '2026-11-25T04:00:00Z', '2026-11-25T05:00:00Z', {
          announced: '2026-11-20T10:00:00Z',
          more: '  - at: 2026-11-21T09:00:00Z\n    status: scheduled\n    start: 2026-11-26T04:00:00Z\n    end: 2026-11-26T05:00:00Z\n    message: Moved by a day.\n  - at: 2026-11-21T11:00:00Z\n    status: cancelled\n    message: Called off; the fix is not ready.\n',
        }),
      ),
    ],
  });

  test('each change is its own feed entry with its own permanent id', () => {
    const entries = siteView(content, { summaries: [] }, NOW).feeds.find((f) => f.key === 'maintenance')!.entries;
    expect(entries.map((e) => [e.title, e.id, e.updated.toISOString()])).toEqual([
      ['Cancelled: Upgrade', 'tag:status.example.org,2026-11-20:maintenance/2026-11-25-upgrade/2026-11-21T11:00:00Z', '2026-11-21T11:00:00.000Z'],
      ['Rescheduled: Upgrade', 'tag:status.example.org,2026-11-20:maintenance/2026-11-25-upgrade/2026-11-21T09:00:00Z', '2026-11-21T09:00:00.000Z'],
      ['Scheduled: Upgrade', 'tag:status.example.org,2026-11-20:maintenance/2026-11-25-upgrade/2026-11-20T10:00:00Z', '2026-11-20T10:00:00.000Z'],
    ]);
    expect(entries[1]!.html).toContain('Window: 2026-11-26 04:00 UTC to 2026-11-26 05:00 UTC');
  });

  test('a calendar app replaces its event: SEQUENCE counts the reschedule and the cancellation, DTSTAMP is the latest change', () => {
    const ical = ICAL.Component.fromString(renderCalendar(content, NOW));
    const event = ical.getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.getFirstPropertyValue('sequence')).toBe(2);
    expect(String(event.getFirstPropertyValue('dtstamp'))).toBe('2026-11-21T11:00:00Z');
    expect(String(event.getFirstPropertyValue('dtstart'))).toBe('2026-11-26T04:00:00Z');
  });

  test('the API keeps the window, with its timeline and when it was cancelled', () => {
    const state = siteView(content, { summaries: [] }, NOW);
    const api = buildStatuspageApi(state.content, state.status);
    expect(api.upcoming).toEqual([]);
    const m = api.maintenances[0]!;
    expect([m.status, m.cancelled_at, m.scheduled_for]).toEqual(['completed', '2026-11-21T11:00:00Z', '2026-11-26T04:00:00Z']);
    expect(m.incident_updates.map((u) => [u.status, u.body])).toEqual([
      ['completed', 'Cancelled: Called off; the fix is not ready.'],
      ['scheduled', 'Moved by a day.'],
      ['scheduled', 'Announced.'],
    ]);
  });
});

test('affected_components follows the whole incident: only real moves, with the true old and new status', () => {
  const content = validContent({
    incidents: [
      source(
        'incidents/2026/2026-11-09-login.md',
        incidentText({
          affected: '  - id: c2s\n    status: major-outage',
          updates:
            '  - at: 2026-11-09T06:40:00Z\n    status: investigating\n    message: a\n  - at: 2026-11-09T08:00:00Z\n    status: identified\n    message: b\n  - at: 2026-11-09T09:00:00Z\n    status: monitoring\n    message: c\n    components: { c2s: degraded, s2s: degraded }\n  - at: 2026-11-09T12:00:00Z\n    status: resolved\n    message: d',
        }),
      ),
    ],
  });
  const state = siteView(content, { summaries: [] }, new Date('2026-11-10T00:00:00Z'));
  const updates = buildStatuspageApi(state.content, state.status).incidents[0]!.incident_updates;
  // Newest first, as Statuspage lists them.
  expect(
    updates.map((u) => [u.status, u.affected_components?.map((a) => `${a.code}: ${a.old_status} → ${a.new_status}`) ?? null, u.deliver_notifications]),
  ).toEqual([
    ['resolved', ['c2s: degraded_performance → operational', 's2s: degraded_performance → operational'], true],
    ['monitoring', ['c2s: major_outage → degraded_performance', 's2s: operational → degraded_performance'], true],
    ['identified', null, true],
    ['investigating', ['c2s: operational → major_outage'], true],
  ]);
});

test('an entry timed in the future is hidden from every output alike until its time', () => {
  const content = validContent({
    incidents: [
      source('incidents/2026/2026-11-22-later.md', incidentText({ updates: '  - at: 2026-11-22T10:00:00Z\n    status: investigating\n    message: Not yet.' })),
    ],
  });
  const before = siteView(content, { summaries: [] }, new Date('2026-11-22T09:59:00Z'));
  expect([before.content.incidents.length, before.status.activeIncidents.length, before.feeds.find((f) => f.key === 'all')!.entries.length]).toEqual([0, 0, 0]);
  expect(buildStatuspageApi(before.content, before.status).incidents).toEqual([]);
  const after = siteView(content, { summaries: [] }, new Date('2026-11-22T10:00:00Z'));
  expect([after.content.incidents.length, after.status.activeIncidents.length, after.feeds.find((f) => f.key === 'all')!.entries.length]).toEqual([1, 1, 1]);
});

test('XEP-0455 speaks only of the XMPP service, and only of impacts that hurt it', () => {
  const incident = (file: string, impact: string, id: string) =>
    source(
      `incidents/2026/${file}.md`,
      incidentText({
        impact,
        affected: `  - id: ${id}\n    status: major-outage`,
        updates: '  - at: 2026-11-21T10:00:00Z\n    status: identified\n    message: x',
      }),
    );
  const NOW = new Date('2026-11-21T12:00:00Z');
  const outage = (c: SiteContent) => serviceOutageStatus(siteView(c, { summaries: [] }, NOW).status, 'x');
  // A website-only problem (s2s and c2s are the xmpp components of the test config; none here) and an impact of none say nothing to XMPP clients.
  const web = validContent({
    site: source(
      'content/site.yaml',
      `name: T\ndescription: T.\nurl: https://status.example.org\nservice: example.org\nserviceUrl: https://example.org/\nslaTarget: 99.9\ngroups: [{ id: g, name: G }]\ncomponents:\n  - { id: c2s, name: C, description: C., group: g, xmpp: true }\n  - { id: website, name: W, description: W., group: g }\n`,
    ),
    incidents: [incident('2026-11-21-web', 'major', 'website')],
  });
  expect(outage(web)).toEqual({});
  expect(outage(validContent({ incidents: [incident('2026-11-21-none', 'none', 'c2s')] }))).toEqual({});
  expect(outage(validContent({ incidents: [incident('2026-11-21-c2s', 'major', 'c2s')] }))).toMatchObject({ planned: false });
});
