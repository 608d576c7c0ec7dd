import { describe, expect, test } from 'vitest';
import { computeStatus, isIncidentActive, maintenancePhase, worstState } from './status.ts';
import { maintenanceText, incidentText, source, validContent } from '../../../tests/helpers/content-files.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

const ongoing = (status: string, component = 'c2s') =>
  source(
    `incidents/2026/2026-11-20-${component}-${status}.md`,
    incidentText({ affected: `  - id: ${component}\n    status: ${status}`, updates: '  - at: 2026-11-20T10:00:00Z\n    status: identified\n    message: x' }),
  );
const window = (slug: string, start: string, end: string, extra = '') =>
  source(`content/maintenance/${slug}.md`, maintenanceText('Work', start, end, { cancelled: extra.includes('cancelled') }));

describe('computeStatus', () => {
  test('reports all systems operational when nothing is open', () => {
    const status = computeStatus(validContent({ incidents: [source('incidents/2026/2026-11-09-x.md', incidentText())] }), NOW);
    expect(status.overall).toEqual({ state: 'operational', headline: 'All systems operational' });
    expect(status.components.map((c) => [c.component.id, c.state, c.decidedBy])).toEqual([
      ['c2s', 'operational', 'none'],
      ['s2s', 'operational', 'none'],
    ]);
  });

  test.each([
    // each row: the declared component status → the overall headline
    ['degraded', 'Degraded performance'],
    ['partial-outage', 'Partial outage'],
    ['major-outage', 'Major outage'],
  ])('an open incident declaring %s sets the component and the headline', (declared, headline) => {
    const status = computeStatus(validContent({ incidents: [ongoing(declared)] }), NOW);
    expect(status.components[0]).toMatchObject({ state: declared, decidedBy: 'incident' });
    expect(status.components[1]!.state).toBe('operational');
    expect(status.overall.headline).toBe(headline);
    expect(status.activeIncidents).toHaveLength(1);
  });

  test('the worst of several open incidents wins', () => {
    const status = computeStatus(validContent({ incidents: [ongoing('degraded'), ongoing('major-outage')] }), NOW);
    expect(status.components[0]!.state).toBe('major-outage');
    expect(status.components[0]!.incidents).toHaveLength(2);
  });

  test('maintenance in progress shows "under maintenance" unless an incident is worse', () => {
    const active = window('2026-11-21-now', '2026-11-21T11:00:00Z', '2026-11-21T13:00:00Z');
    expect(computeStatus(validContent({ maintenance: [active] }), NOW).components[0]).toMatchObject({ state: 'under-maintenance', decidedBy: 'maintenance' });
    expect(computeStatus(validContent({ maintenance: [active] }), NOW).overall.headline).toBe('Scheduled maintenance in progress');
    const both = computeStatus(validContent({ maintenance: [active], incidents: [ongoing('partial-outage')] }), NOW);
    expect(both.components[0]).toMatchObject({ state: 'partial-outage', decidedBy: 'incident' });
  });

  test('upcoming maintenance does not change status until it starts (cState #205)', () => {
    const status = computeStatus(validContent({ maintenance: [window('2026-11-25-later', '2026-11-25T04:00:00Z', '2026-11-25T05:00:00Z')] }), NOW);
    expect(status.overall.state).toBe('operational');
    expect(status.upcomingMaintenance.map((m) => m.slug)).toEqual(['2026-11-25-later']);
  });

  test('a cancelled window never puts a component under maintenance', () => {
    const status = computeStatus(
      validContent({ maintenance: [window('2026-11-21-off', '2026-11-21T11:00:00Z', '2026-11-21T13:00:00Z', 'status: cancelled\n')] }),
      NOW,
    );
    expect(status.overall.state).toBe('operational');
    expect(status.activeMaintenance).toEqual([]);
  });
});

describe('time boundaries', () => {
  const content = validContent({
    incidents: [source('incidents/2026/2026-11-09-x.md', incidentText())],
    maintenance: [window('2026-11-25-w', '2026-11-25T04:00:00Z', '2026-11-25T05:00:00Z')],
  });
  const incident = content.incidents[0]!;
  const m = content.maintenance[0]!;

  test.each([
    // instant → is the incident (06:40–08:00) active?
    ['2026-11-09T06:39:59Z', false], // before the first update
    ['2026-11-09T06:40:00Z', true], // at the first update
    ['2026-11-09T07:59:59Z', true],
    ['2026-11-09T08:00:00Z', false], // resolved at exactly this instant
  ])('an incident at %s is active: %s', (at, expected) => {
    expect(isIncidentActive(incident, new Date(at))).toBe(expected);
  });

  test.each([
    ['2026-11-25T03:59:59Z', 'upcoming'],
    ['2026-11-25T04:00:00Z', 'in-progress'],
    ['2026-11-25T04:59:59Z', 'in-progress'],
    ['2026-11-25T05:00:00Z', 'completed'],
  ])('a maintenance window at %s is %s', (at, phase) => {
    expect(maintenancePhase(m, new Date(at))).toBe(phase);
  });
});

test('worstState orders states from operational to major outage', () => {
  expect(worstState([])).toBe('operational');
  expect(worstState(['under-maintenance', 'degraded'])).toBe('degraded');
  expect(worstState(['unknown', 'under-maintenance'])).toBe('unknown');
  expect(worstState(['partial-outage', 'major-outage', 'operational'])).toBe('major-outage');
});

describe('with monitoring', () => {
  const base = { uptime: { '24h': null, '7d': null, '30d': null, '90d': null }, days: [], months: [], responseTimes: [], latest: [], cert: null, reporting: 2 };
  const monitoring = (verdict: 'up' | 'down' | 'unknown') => new Map([['c2s', { ...base, verdict }]]);

  test.each([
    // monitoring verdict → component state and what decided it
    ['up', 'operational', 'none'],
    ['down', 'major-outage', 'monitoring'],
    ['unknown', 'unknown', 'monitoring'],
  ] as const)('a %s verdict makes the component %s', (verdict, state, decidedBy) => {
    const status = computeStatus(validContent(), NOW, monitoring(verdict));
    expect(status.components[0]).toMatchObject({ state, decidedBy });
    expect(status.components[1]).toMatchObject({ state: 'operational', decidedBy: 'none' });
  });

  test('stale monitoring reads "Status partly unknown", never "All systems operational"', () => {
    expect(computeStatus(validContent(), NOW, monitoring('unknown')).overall.headline).toBe('Status partly unknown');
  });

  // The precedence written in computeStatus, case by case, at a frozen now:
  // declared incident > maintenance in progress > monitoring.
  const inWindow = window('2026-11-21-now', '2026-11-21T11:00:00Z', '2026-11-21T13:00:00Z');
  test.each([
    // incident state, maintenance in progress?, monitoring verdict → state, decided by
    [undefined, false, 'up', 'operational', 'none'],
    [undefined, false, 'down', 'major-outage', 'monitoring'],
    [undefined, false, 'unknown', 'unknown', 'monitoring'],
    // a window in progress beats failing and missing probes: the work is expected to break things
    [undefined, true, 'down', 'under-maintenance', 'maintenance'],
    [undefined, true, 'unknown', 'under-maintenance', 'maintenance'],
    [undefined, true, 'up', 'under-maintenance', 'maintenance'],
    // a declared incident beats everything, better or worse than the probes say
    ['degraded', false, 'down', 'degraded', 'incident'],
    ['major-outage', false, 'up', 'major-outage', 'incident'],
    ['partial-outage', false, 'unknown', 'partial-outage', 'incident'],
    ['degraded', true, 'down', 'degraded', 'incident'],
  ] as const)('incident %s, maintenance %s, monitoring %s → %s (decided by %s)', (declared, maintenance, verdict, state, decidedBy) => {
    const content = validContent({ incidents: declared ? [ongoing(declared)] : [], maintenance: maintenance ? [inWindow] : [] });
    expect(computeStatus(content, NOW, monitoring(verdict)).components[0]).toMatchObject({ state, decidedBy });
  });

  test('an incident update that gives a component back hands it to maintenance and monitoring again', () => {
    const restored = source(
      'incidents/2026/2026-11-20-restored.md',
      incidentText({
        updates:
          '  - at: 2026-11-20T10:00:00Z\n    status: identified\n    message: x\n  - at: 2026-11-21T09:00:00Z\n    status: monitoring\n    message: Logins work again.\n    components: { c2s: operational }',
      }),
    );
    const content = validContent({ incidents: [restored] });
    expect(computeStatus(content, new Date('2026-11-21T08:00:00Z'), monitoring('up')).components[0]).toMatchObject({
      state: 'major-outage',
      decidedBy: 'incident',
    });
    expect(computeStatus(content, NOW, monitoring('up')).components[0]).toMatchObject({ state: 'operational', decidedBy: 'none' });
    expect(computeStatus(content, NOW, monitoring('down')).components[0]).toMatchObject({ state: 'major-outage', decidedBy: 'monitoring' });
  });
});
