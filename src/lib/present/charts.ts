/**
 * The pages' charts as static SVG, drawn at build time (issue 12): the
 * 90-day history bar and the response-time chart. No JavaScript; every
 * chart has its words on the page (the day table, the chart's summary), so
 * colour is never the only carrier of meaning and the SVG stays
 * `aria-hidden`.
 *
 * Labels are never drawn inside a scaled SVG: the page puts them in HTML
 * around the drawing, so they keep their size at 320 px and at 1280 px.
 */
import { escapeXml } from '../shared/xml.ts';
import { DAY_CLASS_LABELS, type DayClass, type DayVerdict } from '../status/day-verdicts.ts';
import { formatUptime } from '../status/declared-uptime.ts';

/** Width of one day's bar and the gap after it, in the bar's own units. */
const BAR = 4;
const STEP = 5;
const BAR_HEIGHT = 24;

/**
 * The 90-day bar, oldest day left. Two forms:
 *
 * - without `href` (the home page, where seven of them must fit the 8 KB
 *   budget): one dashed stroke per run of equal days, so a quiet quarter
 *   costs a few bytes;
 * - with `href` (a component page): one bar per day, each a link to that
 *   day's row of the day table with the day's verdict and reason as its
 *   `<title>` (the tooltip pointer users see). The links are kept out of the
 *   tab order and the accessibility tree: keyboard and screen-reader users
 *   have the table itself, and ninety tab stops would bury the page.
 * @param href e.g. `(date) => '#day-' + date`
 */
export function historyBarSvg(days: readonly DayVerdict[], href?: (date: string) => string): string {
  const width = days.length * STEP - (STEP - BAR);
  const open = (cls: string) =>
    `<svg class="uptime-bar ${cls}" viewBox="0 0 ${Math.max(width, 1)} ${BAR_HEIGHT}" preserveAspectRatio="none" aria-hidden="true" focusable="false">`;
  if (!href) {
    const runs = new Map<DayClass, string>();
    for (let i = 0; i < days.length;) {
      let j = i;
      while (j < days.length && days[j]!.cls === days[i]!.cls) j++;
      runs.set(days[i]!.cls, `${runs.get(days[i]!.cls) ?? ''}M${i * STEP} ${BAR_HEIGHT / 2}h${(j - i) * STEP - (STEP - BAR)}`);
      i = j;
    }
    return `${open('runs')}${[...runs].map(([cls, d]) => `<path class="bar-${cls}" d="${d}"/>`).join('')}</svg>`;
  }
  const bars = days.map(
    (d, i) =>
      `<a href="${escapeXml(href(d.date))}" tabindex="-1"><rect class="bar-${d.cls}" x="${i * STEP}" width="${BAR}" height="${BAR_HEIGHT}"><title>${escapeXml(dayTitle(d))}</title></rect></a>`,
  );
  return `${open('days')}${bars.join('')}</svg>`;
}

/**
 * One day in words, for its bar's tooltip.
 * @example dayTitle(day) → '2026-11-10: Major outage, 98.75% (measured). Partial outage declared for 1 h 25 min; probes: 18 min down'
 */
export function dayTitle(d: DayVerdict): string {
  const uptime = d.uptime === null ? 'no data' : `${formatUptime(d.uptime)} (${d.source})`;
  return `${d.date}: ${DAY_CLASS_LABELS[d.cls]}, ${uptime}. ${d.reason[0]!.toUpperCase()}${d.reason.slice(1)}`;
}

export interface ResponsePoint {
  /** e.g. `2026-11-09` */
  date: string;
  /** Median response time that day, in ms. */
  p50: number;
  /** 95th percentile that day, in ms. */
  p95: number;
}

export interface ResponseChart {
  /** The drawing alone (no text), to be stretched to any width. */
  svg: string;
  /** The value of the top line, in ms, e.g. `400`; the middle line is half of it. */
  top: number;
  /** What the chart shows, in a sentence or three, for everyone. */
  summary: string;
}

/** A "nice" top for the scale: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceTop(max: number): number {
  const m = Math.max(max, 1);
  const p = 10 ** Math.floor(Math.log10(m));
  return [1, 2, 5, 10].map((k) => k * p).find((v) => v >= m)!;
}

/**
 * Daily median and 95th percentile response times as two lines (solid and
 * dashed, with the band between them shaded), with the days of outages and
 * maintenance marked as full-height bands behind them.
 * @param marks e.g. `new Map([['2026-11-10', 'outage'], ['2026-11-08', 'maintenance']])`
 */
export function responseChart(points: readonly ResponsePoint[], marks: ReadonlyMap<string, 'outage' | 'maintenance'> = new Map()): ResponseChart | undefined {
  if (points.length === 0) return undefined;
  const top = niceTop(points.reduce((m, p) => Math.max(m, p.p95), 0));
  const W = points.length * 10;
  const x = (i: number) => i * 10 + 5;
  const y = (v: number) => Math.round((100 - (v / top) * 100) * 10) / 10;
  const line = (key: 'p50' | 'p95') => points.map((p, i) => `${i ? 'L' : 'M'}${x(i)} ${y(p[key])}`).join('');
  const band = `${line('p95')}${[...points]
    .map((p, i) => [p, i] as const)
    .reverse()
    .map(([p, i]) => `L${x(i)} ${y(p.p50)}`)
    .join('')}Z`;
  const bands = (kind: 'outage' | 'maintenance') => points.flatMap((p, i) => (marks.get(p.date) === kind ? [`M${i * 10} 0h10v100h-10z`] : [])).join('');
  const outages = bands('outage');
  const maintenance = bands('maintenance');
  const svg =
    `<svg class="rt-chart" viewBox="0 0 ${W} 100" preserveAspectRatio="none" aria-hidden="true" focusable="false">` +
    (outages ? `<path class="rt-outage" d="${outages}"/>` : '') +
    (maintenance ? `<path class="rt-maintenance" d="${maintenance}"/>` : '') +
    `<path class="rt-grid" d="M0 0.5H${W}M0 50H${W}M0 99.5H${W}" vector-effect="non-scaling-stroke"/>` +
    `<path class="rt-band" d="${band}"/>` +
    `<path class="rt-p95" d="${line('p95')}" vector-effect="non-scaling-stroke"/>` +
    `<path class="rt-p50" d="${line('p50')}" vector-effect="non-scaling-stroke"/>` +
    `</svg>`;
  return { svg, top, summary: responseSummary(points, marks) };
}

/** The chart in words: the latest day, the range of the median, the worst 95th percentile, and what is marked. */
export function responseSummary(points: readonly ResponsePoint[], marks: ReadonlyMap<string, 'outage' | 'maintenance'> = new Map()): string {
  const last = points.at(-1)!;
  const low = points.reduce((m, p) => Math.min(m, p.p50), Infinity);
  const high = points.reduce((m, p) => Math.max(m, p.p50), 0);
  const worst = points.reduce((w, p) => (p.p95 > w.p95 ? p : w), points[0]!);
  const count = (kind: 'outage' | 'maintenance') => points.filter((p) => marks.get(p.date) === kind).length;
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  const marked = [count('outage') && `${days(count('outage'))} with an outage`, count('maintenance') && `${days(count('maintenance'))} of maintenance`].filter(
    Boolean,
  );
  return (
    `On ${last.date} the median was ${last.p50} ms and the 95th percentile ${last.p95} ms. ` +
    `Over ${days(points.length)} the median stayed between ${low} and ${high} ms; the 95th percentile peaked at ${worst.p95} ms on ${worst.date}.` +
    (marked.length ? ` Marked: ${marked.join(' and ')}.` : '')
  );
}
