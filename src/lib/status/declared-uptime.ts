/**
 * Uptime of a component over a window, from what incidents declare: time in
 * `major-outage` counts fully as down, `partial-outage` at 30% (Instatus'
 * weighting: part of the users cannot use it), `degraded` not at all.
 * Maintenance windows are not incidents and never count.
 * Overlapping incidents are merged so no minute counts twice.
 */
import type { Incident } from '../content/content.ts';

const WEIGHT = { 'major-outage': 1, 'partial-outage': 0.3, degraded: 0 } as const;

/**
 * @param now end of the window, e.g. the build time
 * @param days window length, e.g. `30`
 * @returns percentage in [0, 100], e.g. `99.95`
 */
export function declaredUptime(incidents: readonly Incident[], componentId: string, now: Date, days: number): number {
  const windowEnd = now.getTime();
  const windowStart = windowEnd - days * 86_400_000;
  // Per weight, the intervals inside the window; merged, then summed.
  const spans: { start: number; end: number; weight: number }[] = [];
  for (const incident of incidents) {
    const affected = incident.affected.find((a) => a.id === componentId);
    if (!affected || WEIGHT[affected.status] === 0) continue;
    const start = Math.max(windowStart, incident.startedAt.getTime());
    const end = Math.min(windowEnd, (incident.resolvedAt ?? now).getTime());
    if (end > start) spans.push({ start, end, weight: WEIGHT[affected.status] });
  }
  // Sweep: at each instant the heaviest open span decides the weight.
  const points = [...new Set(spans.flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
  let down = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i]!;
    const to = points[i + 1]!;
    const weight = spans.reduce((w, s) => (s.start <= from && s.end >= to && s.weight > w ? s.weight : w), 0);
    down += (to - from) * weight;
  }
  const total = windowEnd - windowStart;
  return Math.min(100, Math.max(0, 100 * (1 - down / total)));
}

/** e.g. `99.95%`; never rounds up to 100% while there was any downtime. */
export function formatUptime(percent: number): string {
  if (percent >= 100) return '100%';
  const truncated = Math.floor(percent * 100) / 100;
  return `${truncated.toFixed(2)}%`;
}
