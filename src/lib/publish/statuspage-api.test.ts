import { describe, expect, test } from 'vitest';
import { buildStatuspageApi, statuspageDocuments } from './statuspage-api.ts';
import { lastContentChange as lastChange } from '../status/history.ts';
import { serviceOutageStatus } from './outage-status.ts';
import { StatuspageSummarySchema, ServiceOutageStatusSchema } from './statuspage-schemas.ts';
import { computeStatus } from '../status/status.ts';
import { maintenanceText, incidentText, source, validContent } from '../../../tests/helpers/content-files.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const content = validContent({
  incidents: [
    source(
      'incidents/2026/2026-11-21-fed.md',
      incidentText({
        affected: '  - id: s2s\n    status: partial-outage',
        updates: '  - at: 2026-11-21T10:00:00Z\n    status: identified\n    message: Queue **backed up**.',
      }),
    ),
  ],
  maintenance: [
    source('content/maintenance/2026-11-21-now.md', maintenanceText('Upgrade', '2026-11-21T11:00:00Z', '2026-11-21T13:00:00Z', { body: 'Short restarts.' })),
  ],
});

test("maps our states and vocabularies onto Statuspage's", () => {
  const api = buildStatuspageApi(content, computeStatus(content, NOW));
  // Groups come before their components, as Statuspage lists them.
  expect(api.components.map((c) => [c.id, c.status, c.group])).toEqual([
    ['xmpp', 'partial_outage', true],
    ['c2s', 'under_maintenance', false],
    ['s2s', 'partial_outage', false],
  ]);
  expect(api.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
  expect(api.unresolved[0]).toMatchObject({ id: '2026-11-21-fed', status: 'identified', impact: 'major', resolved_at: null });
  expect(api.unresolved[0]!.incident_updates[0]).toMatchObject({
    body: 'Queue **backed up**.',
    affected_components: [{ code: 's2s', new_status: 'partial_outage' }],
  });
  expect(api.active.map((m) => [m.id, m.status, m.scheduled_for])).toEqual([['2026-11-21-now', 'in_progress', '2026-11-21T11:00:00Z']]);
});

test('the summary document passes the Statuspage-shaped schema', () => {
  const docs = statuspageDocuments(buildStatuspageApi(content, computeStatus(content, NOW)));
  expect(() => StatuspageSummarySchema.parse(docs['summary.json'])).not.toThrow();
  expect(Object.keys(docs)).toHaveLength(8);
});

test('XEP-0455: an unresolved incident wins over maintenance; nothing wrong is {}', () => {
  const outage = serviceOutageStatus(computeStatus(content, NOW), 'https://status.example.org/');
  expect(outage).toEqual({
    planned: false,
    beginning: '2026-11-21T10:00:00Z',
    message: { default: 'Login failures. Details: https://status.example.org/', en: 'Login failures. Details: https://status.example.org/' },
  });
  expect(ServiceOutageStatusSchema.parse(outage)).toEqual(outage);
  const later = serviceOutageStatus(computeStatus(content, new Date('2026-11-22T00:00:00Z')), 'x');
  expect(later).toMatchObject({ planned: false });
  const quiet = validContent();
  expect(serviceOutageStatus(computeStatus(quiet, NOW), 'x')).toEqual({});
  const maintenanceOnly = validContent({
    maintenance: content.maintenance.length
      ? [source('content/maintenance/2026-11-21-now.md', maintenanceText('Upgrade', '2026-11-21T11:00:00Z', '2026-11-21T13:00:00Z', { body: 'x' }))]
      : [],
  });
  expect(serviceOutageStatus(computeStatus(maintenanceOnly, NOW), 'u')).toMatchObject({
    planned: true,
    beginning: '2026-11-21T11:00:00Z',
    expected_end: '2026-11-21T13:00:00Z',
  });
});

test('updated_at is the newest content instant not after the build time', () => {
  const at = (iso: string) => ({ at: new Date(iso) });
  const history = {
    incidents: [{ updates: [at('2026-11-20T08:00:00Z'), at('2026-11-21T11:59:00Z')] }, { updates: [at('2026-11-22T00:00:00Z')] }],
    maintenance: [{ updates: [at('2026-11-21T11:59:30Z')] }, { updates: [at('2026-12-01T00:00:00Z')] }],
    updates: [{ date: '2026-11-21' }, { date: '2026-11-22' }],
  };
  expect(lastChange(history, NOW).toISOString()).toBe('2026-11-21T11:59:30.000Z');
  expect(lastChange({ incidents: [], maintenance: [], updates: [] }, NOW).getTime()).toBe(0);
});

test('updated_at survives 300,000 timestamps, where spreading them into Math.max overflowed the stack (issue 16)', () => {
  const start = Date.parse('2016-01-01T00:00:00Z');
  const updates = Array.from({ length: 300_000 }, (_, i) => ({ at: new Date(start + i * 60_000) }));
  expect(() => Math.max(...updates.map((u) => u.at.getTime()))).toThrow(RangeError); // bounded: proves the old way fails at this size
  expect(lastChange({ incidents: [{ updates }], maintenance: [], updates: [] }, NOW).getTime()).toBe(start + 299_999 * 60_000);
});

describe('maintenance moved by the clock (issue 27)', () => {
  const window = (more = '') =>
    validContent({
      maintenance: [source('content/maintenance/2026-11-21-work.md', maintenanceText('Work', '2026-11-21T10:00:00Z', '2026-11-21T11:00:00Z', { more }))],
    });
  const updatesAt = (iso: string, more = '') => {
    const now = new Date(iso);
    const content = window(more);
    return buildStatuspageApi(content, computeStatus(content, now)).maintenances[0]!.incident_updates.map(
      (u) => `${u.status} ${u.created_at}${u.id.endsWith('-auto') ? ' (automatic)' : ''}`,
    );
  };

  test('gains the in_progress update Statuspage writes at the start, and the completed one at the end', () => {
    expect(updatesAt('2026-11-21T09:00:00Z')).toEqual(['scheduled 2026-11-14T10:00:00Z']);
    expect(updatesAt('2026-11-21T10:30:00Z')).toEqual(['in_progress 2026-11-21T10:00:00Z (automatic)', 'scheduled 2026-11-14T10:00:00Z']);
    expect(updatesAt('2026-11-21T12:00:00Z')).toEqual([
      'completed 2026-11-21T11:00:00Z (automatic)',
      'in_progress 2026-11-21T10:00:00Z (automatic)',
      'scheduled 2026-11-14T10:00:00Z',
    ]);
  });

  test('adds nothing the admin already said', () => {
    const more =
      '  - at: 2026-11-21T10:02:00Z\n    status: in-progress\n    message: Started.\n  - at: 2026-11-21T10:50:00Z\n    status: completed\n    message: Done early.\n';
    expect(updatesAt('2026-11-21T12:00:00Z', more)).toEqual([
      'completed 2026-11-21T10:50:00Z',
      'in_progress 2026-11-21T10:02:00Z',
      'scheduled 2026-11-14T10:00:00Z',
    ]);
  });
});
