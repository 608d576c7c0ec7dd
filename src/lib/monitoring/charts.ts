/**
 * Static SVG drawn at build time: the 90-day uptime bar and the
 * response-time chart. No JavaScript. Colour is never the only carrier of
 * meaning: every chart has a text equivalent on the page (a table or a
 * sentence), and the SVG itself is decorative (`aria-hidden`) or titled.
 */
import { escapeXml } from '../shared/xml.ts';

/**
 * One thin bar per day, oldest left, coloured by each day's class (see
 * status/day-verdicts.ts for how a day gets one). Drawn as one path per
 * class, so 90 days cost a handful of elements, not ninety.
 * @param days e.g. `[{ cls: 'ok' }, { cls: 'major' }]`, oldest first
 */
export function uptimeBarSvg(days: readonly { cls: string }[]): string {
  const w = 4;
  const gap = 1;
  const h = 24;
  const paths = new Map<string, string>();
  days.forEach((d, i) => {
    paths.set(d.cls, `${paths.get(d.cls) ?? ''}M${i * (w + gap)} 0h${w}v${h}h-${w}z`);
  });
  const width = days.length * (w + gap) - gap;
  const body = [...paths]
    .map(([cls, d]) => `<path class="bar-${escapeXml(cls)}" d="${d}"/>`)
    .join('');
  return `<svg class="uptime-bar" viewBox="0 0 ${width} ${h}" preserveAspectRatio="none" aria-hidden="true" focusable="false">${body}</svg>`;
}

/**
 * A line chart of daily p50 and p95 response times.
 * @param label e.g. `Client connections (port 5222)`, for the chart's title
 */
export function responseTimeSvg(points: readonly { date: string; p50: number; p95: number }[], label: string): string {
  if (points.length === 0) return '';
  const W = 600;
  const H = 160;
  const pad = { l: 60, r: 8, t: 10, b: 22 };
  const max = points.reduce((m, p) => Math.max(m, p.p95), 1);
  const top = Math.ceil(max / 50) * 50;
  const x = (i: number) => pad.l + (points.length === 1 ? 0 : (i / (points.length - 1)) * (W - pad.l - pad.r));
  const y = (v: number) => pad.t + (1 - v / top) * (H - pad.t - pad.b);
  const line = (key: 'p50' | 'p95') => points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)} ${y(p[key]).toFixed(1)}`).join('');
  const title = `Daily response time of ${label}, median and 95th percentile, ${points[0]!.date} to ${points[points.length - 1]!.date}`;
  return (
    `<svg class="rt-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(title)}"><title>${escapeXml(title)}</title>` +
    `<g class="axis"><line x1="${pad.l}" y1="${y(0)}" x2="${W - pad.r}" y2="${y(0)}"/><line x1="${pad.l}" y1="${y(top)}" x2="${W - pad.r}" y2="${y(top)}"/></g>` +
    `<g class="labels"><text x="${pad.l - 6}" y="${y(top) + 4}" text-anchor="end">${top} ms</text><text x="${pad.l - 6}" y="${y(0) + 4}" text-anchor="end">0</text>` +
    `<text x="${pad.l}" y="${H - 6}">${escapeXml(points[0]!.date)}</text><text x="${W - pad.r}" y="${H - 6}" text-anchor="end">${escapeXml(points[points.length - 1]!.date)}</text></g>` +
    `<path class="rt-p95" d="${line('p95')}"/><path class="rt-p50" d="${line('p50')}"/></svg>`
  );
}
