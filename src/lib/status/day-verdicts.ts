/**
 * One verdict per component and UTC day, the same for the 90-day bars, the
 * day-by-day table, the "days below target" count and uptime figures. It
 * combines, for that day:
 *
 * - what incidents declared (each update's state until the next update:
 *   a "Degraded performance" day is never drawn green);
 * - what monitoring measured (uptime and downtime minutes, quorum applied,
 *   maintenance already left out when the config says so);
 * - maintenance windows on the component.
 *
 * The day's colour is the worst of the declared state and the measured
 * result; a day with only maintenance is "maintenance"; a day with neither
 * data nor declarations is "no data". The day's uptime figure is measured
 * where monitoring has data and declared otherwise (`source` says which),
 * and `reason` says in words why the day looks as it does.
 */
import type { Incident, Maintenance } from '../content/content.ts';
import type { DayBar } from '../monitoring/merge-probes.ts';
import type { DeclaredState } from '../schemas.ts';
import { declaredDowntimeMs, declaredSpans, type DeclaredSpan } from './declared-uptime.ts';
import { formatDuration, toUtcDate } from '../shared/time.ts';
import { STATE_LABELS, worstState } from './status.ts';

const DAY = 86_400_000;

/** A day's colour class, worst last. */
export const DAY_CLASSES = ['none', 'ok', 'maintenance', 'degraded', 'partial', 'major'] as const;
export type DayClass = (typeof DAY_CLASSES)[number];

/** Words for each class, for legends and the day table. */
export const DAY_CLASS_LABELS: Record<DayClass, string> = {
  none: 'No data',
  ok: 'No problems',
  maintenance: 'Maintenance',
  degraded: 'Degraded',
  partial: 'Partial outage',
  major: 'Major outage',
};

export interface DayVerdict {
  /** e.g. `2026-11-09` */
  date: string;
  cls: DayClass;
  /** The day's uptime in percent, or null when nothing is known. */
  uptime: number | null;
  /** Minutes counted as down that day (measured, or declared with weights). */
  downMinutes: number;
  /** Where `uptime` comes from. */
  source: 'measured' | 'declared' | 'none';
  /** Why the day looks as it does, e.g. `Major outage declared for 6 h 50 min; probes: 415 min down`. */
  reason: string;
  /** Incidents that declared something for the component that day, by slug. */
  incidents: string[];
}

const fromState: Record<DeclaredState, DayClass> = { operational: 'ok', degraded: 'degraded', 'partial-outage': 'partial', 'major-outage': 'major' };
const worse = (a: DayClass, b: DayClass) => (DAY_CLASSES.indexOf(b) > DAY_CLASSES.indexOf(a) ? b : a);

/** Colour of a measured day against the target: below target counts as partial, well below as major. */
function measuredClass(uptime: number | null, target: number): DayClass {
  if (uptime === null) return 'none';
  if (uptime >= target) return 'ok';
  return uptime >= 99 ? 'partial' : 'major';
}

/** When the work really held the component: from the window or its in-progress update to completion (or now while it runs). */
function maintenanceSpan(window: Maintenance, now: Date): { start: number; end: number } | undefined {
  if (window.status === 'cancelled') return undefined;
  const started = window.updates.find((u) => u.status === 'in-progress')?.at ?? window.start;
  const done = window.updates.find((u) => u.status === 'completed')?.at;
  const held = window.updates.some((u) => u.status === 'in-progress' || u.status === 'verifying') && !done;
  const end = done ?? (held ? now : window.end);
  return { start: Math.min(started.getTime(), window.start.getTime()), end: Math.min(end.getTime(), now.getTime()) };
}

export interface DayVerdictInput {
  componentId: string;
  /** Published incidents (any order). */
  incidents: readonly Incident[];
  /** Published maintenance windows. */
  maintenance: readonly Maintenance[];
  /** Measured days from monitoring, oldest first, when the component is monitored. */
  measured?: readonly DayBar[];
  /** The SLA target in percent, e.g. `99.9`. */
  target: number;
  now: Date;
  /** How many days, ending with today (UTC), e.g. `90`. */
  days: number;
}

/** The verdict for each of the last `days` UTC days, oldest first. */
export function dayVerdicts(input: DayVerdictInput): DayVerdict[] {
  const { componentId, now, target } = input;
  const today = Date.parse(`${toUtcDate(now)}T00:00:00Z`);
  const first = today - (input.days - 1) * DAY;
  const spans: DeclaredSpan[] = declaredSpans(input.incidents, componentId, now).filter((s) => s.end > first);
  const windows = input.maintenance
    .filter((m) => m.components.includes(componentId))
    .flatMap((m) => maintenanceSpan(m, now) ?? [])
    .filter((w) => w.end > first);
  const measured = new Map((input.measured ?? []).map((d) => [d.date, d]));
  const out: DayVerdict[] = [];
  for (let start = first; start <= today; start += DAY) {
    const end = Math.min(start + DAY, Math.max(now.getTime(), start));
    const date = toUtcDate(new Date(start));
    const onDay = spans.filter((s) => s.start < start + DAY && s.end > start);
    // Spans only ever hold declared states, so the worst of them is one too.
    const declaredState = worstState(onDay.map((s) => s.state)) as DeclaredState;
    const declaredDown = declaredDowntimeMs(onDay, start, start + DAY);
    const maintenanceMs = windows.reduce((sum, w) => sum + Math.max(0, Math.min(w.end, start + DAY) - Math.max(w.start, start)), 0);
    const m = measured.get(date);
    const hasMeasure = m !== undefined && m.uptime !== null;
    const uptime = hasMeasure
      ? m.uptime
      : onDay.length > 0
        ? Math.max(0, 100 * (1 - declaredDown / Math.max(1, end - start)))
        : m === undefined && !input.measured
          ? 100
          : null;
    let cls: DayClass = hasMeasure ? measuredClass(m.uptime, target) : onDay.length > 0 || !input.measured ? 'ok' : 'none';
    cls = worse(cls, fromState[declaredState]);
    if (maintenanceMs > 0 && (cls === 'ok' || cls === 'none')) cls = 'maintenance';

    const words: string[] = [];
    const slugs = [...new Set(onDay.map((s) => s.slug))];
    if (declaredState !== 'operational') {
      const held = onDay.filter((s) => s.state === declaredState).reduce((sum, s) => sum + Math.min(s.end, start + DAY) - Math.max(s.start, start), 0);
      words.push(`${STATE_LABELS[declaredState]} declared for ${formatDuration(held)}`);
    }
    if (hasMeasure) words.push(`probes: ${m.downMinutes === 0 ? 'no downtime' : `${m.downMinutes} min down`}`);
    else if (input.measured) words.push('no probe data');
    if (maintenanceMs > 0) words.push(`maintenance for ${formatDuration(maintenanceMs)}`);
    if (words.length === 0) words.push('no incidents declared');
    out.push({
      date,
      cls,
      uptime,
      downMinutes: hasMeasure ? m.downMinutes : Math.round(declaredDown / 60_000),
      source: hasMeasure ? 'measured' : uptime === null ? 'none' : 'declared',
      reason: words.join('; '),
      incidents: slugs,
    });
  }
  return out;
}

/** Days whose verdict is a problem (degraded or worse), for "N days with problems". */
export const problemDays = (days: readonly DayVerdict[]) => days.filter((d) => ['degraded', 'partial', 'major'].includes(d.cls)).length;
