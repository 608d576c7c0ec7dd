import { expect, test } from 'vitest';
import { incidentStates, maintenanceSchedules, promiseDue } from './timelines.ts';

test('an incident update can give a component back before the incident is resolved, and resolved gives back the rest', () => {
  const { states, changes, componentIds } = incidentStates(
    [
      { id: 'c2s', status: 'major-outage' },
      { id: 'registration', status: 'partial-outage' },
    ],
    [
      { status: 'investigating' },
      { status: 'identified', components: { s2s: 'degraded' } },
      { status: 'monitoring', components: { c2s: 'operational' } },
      { status: 'resolved' },
    ],
  );
  expect(componentIds).toEqual(['c2s', 'registration', 's2s']);
  expect(states).toEqual([
    { c2s: 'major-outage', registration: 'partial-outage' },
    { c2s: 'major-outage', registration: 'partial-outage', s2s: 'degraded' },
    { c2s: 'operational', registration: 'partial-outage', s2s: 'degraded' },
    { c2s: 'operational', registration: 'operational', s2s: 'operational' },
  ]);
  // Only true moves, with their real old state; the c2s recovery is not repeated at resolution.
  expect(changes).toEqual([
    [
      { id: 'c2s', from: 'operational', to: 'major-outage' },
      { id: 'registration', from: 'operational', to: 'partial-outage' },
    ],
    [{ id: 's2s', from: 'operational', to: 'degraded' }],
    [{ id: 'c2s', from: 'major-outage', to: 'operational' }],
    [
      { id: 'registration', from: 'partial-outage', to: 'operational' },
      { id: 's2s', from: 'degraded', to: 'operational' },
    ],
  ]);
});

test('a resolved update may keep a component in a state it names', () => {
  const { states } = incidentStates([{ id: 's2s', status: 'major-outage' }], [{ status: 'investigating' }, { status: 'resolved', components: { s2s: 'degraded' } }]);
  expect(states.at(-1)).toEqual({ s2s: 'degraded' });
});

test('a next-update promise is a time, or a duration after its update', () => {
  const at = new Date('2026-11-09T06:40:00Z');
  expect(promiseDue({ afterMs: 2 * 3_600_000 }, at)?.toISOString()).toBe('2026-11-09T08:40:00.000Z');
  expect(promiseDue({ at: new Date('2026-11-09T08:00:00Z') }, at)?.toISOString()).toBe('2026-11-09T08:00:00.000Z');
  expect(promiseDue(undefined, at)).toBeNull();
});

test('a maintenance window is rescheduled by a later start or end, and only a real move counts', () => {
  const d = (s: string) => new Date(s);
  const schedules = maintenanceSchedules([
    { status: 'scheduled', start: d('2026-11-25T04:00:00Z'), end: d('2026-11-25T05:00:00Z') },
    { status: 'scheduled', end: d('2026-11-25T05:30:00Z') },
    { status: 'in-progress', start: d('2026-11-25T04:00:00Z') },
    { status: 'completed' },
  ]);
  expect(schedules.map((s) => [s.start.toISOString().slice(11, 16), s.end.toISOString().slice(11, 16), s.rescheduled])).toEqual([
    ['04:00', '05:00', false],
    ['04:00', '05:30', true],
    ['04:00', '05:30', false],
    ['04:00', '05:30', false],
  ]);
});
