/**
 * Uptime of a component over a window, from what incidents declare: time in
 * `major-outage` counts fully as down, `partial-outage` at 30% (Instatus'
 * weighting: part of the users cannot use it), `degraded` not at all.
 * Maintenance windows are not incidents and never count. Each incident
 * update's state counts from that update to the next, so a component given
 * back ("Monitoring: logins work again") stops counting as down then.
 * Overlapping incidents are merged so no minute counts twice.
 */
import type { Incident } from '../content/content.ts';
import type { DeclaredState } from '../schemas.ts';

const WEIGHT: Record<DeclaredState, number> = { 'major-outage': 1, 'partial-outage': 0.3, degraded: 0, operational: 0 };

/** A stretch of time in which an incident held a component in one state. */
export interface DeclaredSpan {
  start: number;
  end: number;
  state: DeclaredState;
  /** The incident that declared it, e.g. `2026-11-10-random-disconnections`. */
  slug: string;
}

/**
 * What incidents declared for one component, as spans between their
 * updates: each update's state lasts until the next update (or `now` while
 * the incident is open). Operational stretches are left out.
 * @param now spans of open incidents end here, e.g. the build time
 */
export function declaredSpans(incidents: readonly Incident[], componentId: string, now: Date): DeclaredSpan[] {
  const spans: DeclaredSpan[] = [];
  for (const incident of incidents) {
    if (!incident.componentIds.includes(componentId)) continue;
    const updates = incident.updates;
    updates.forEach((u, i) => {
      const state = u.states[componentId] ?? 'operational';
      if (state === 'operational') return;
      const start = u.at.getTime();
      const end = Math.min(updates[i + 1]?.at.getTime() ?? (incident.resolvedAt ?? now).getTime(), now.getTime());
      if (end > start) spans.push({ start, end, state, slug: incident.slug });
    });
  }
  return spans;
}

/**
 * Weighted downtime in [from, to) from declared spans: at each instant the
 * heaviest open span decides, so overlapping incidents never count twice.
 * @returns milliseconds of downtime, e.g. `1_800_000` for 30 minutes
 */
export function declaredDowntimeMs(spans: readonly DeclaredSpan[], from: number, to: number): number {
  const inside = spans
    .map((s) => ({ start: Math.max(from, s.start), end: Math.min(to, s.end), weight: WEIGHT[s.state] }))
    .filter((s) => s.end > s.start && s.weight > 0);
  const points = [...new Set(inside.flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
  let down = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const weight = inside.reduce((w, s) => (s.start <= a && s.end >= b && s.weight > w ? s.weight : w), 0);
    down += (b - a) * weight;
  }
  return down;
}

/**
 * Uptime of a component over a window, from what incidents declare.
 * @param now end of the window, e.g. the build time
 * @param days window length, e.g. `30`
 * @returns percentage in [0, 100], e.g. `99.95`
 */
export function declaredUptime(incidents: readonly Incident[], componentId: string, now: Date, days: number): number {
  const windowEnd = now.getTime();
  const windowStart = windowEnd - days * 86_400_000;
  const down = declaredDowntimeMs(declaredSpans(incidents, componentId, now), windowStart, windowEnd);
  return Math.min(100, Math.max(0, 100 * (1 - down / (windowEnd - windowStart))));
}

/** e.g. `99.95%`; never rounds up to 100% while there was any downtime. */
export function formatUptime(percent: number): string {
  if (percent >= 100) return '100%';
  const truncated = Math.floor(percent * 100) / 100;
  return `${truncated.toFixed(2)}%`;
}
