import { describe, expect, test } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { dayTitle, historyBarSvg, niceTop, responseChart, responseSummary } from './charts.ts';
import type { DayVerdict } from '../status/day-verdicts.ts';

const day = (date: string, cls: DayVerdict['cls'], reason = 'probes: no downtime'): DayVerdict => ({
  date,
  cls,
  uptime: cls === 'none' ? null : cls === 'ok' ? 100 : 98.75,
  downMinutes: 0,
  source: cls === 'none' ? 'none' : 'measured',
  reason,
  incidents: [],
});
const days = [
  day('2026-11-08', 'ok'),
  day('2026-11-09', 'ok'),
  day('2026-11-10', 'major', 'partial outage declared for 1 h; probes: 18 min down'),
  day('2026-11-11', 'ok'),
  day('2026-11-12', 'none', 'no probe data'),
];

describe('historyBarSvg', () => {
  test('without links, draws one dashed run per stretch of equal days', () => {
    const svg = historyBarSvg(days);
    expect(XMLValidator.validate(svg)).toBe(true);
    // Days 0-1 and 3 are ok (two runs in one path), day 2 major, day 4 no data.
    expect(svg).toContain('<path class="bar-ok" d="M0 12h9M15 12h4"/>');
    expect(svg).toContain('<path class="bar-major" d="M10 12h4"/>');
    expect(svg).toContain('<path class="bar-none" d="M20 12h4"/>');
    expect(svg).toContain('viewBox="0 0 24 24"');
    expect(svg).not.toContain('<a ');
  });

  test('with links, each day is a bar that links to its row and says its verdict and reason', () => {
    const svg = historyBarSvg(days, (d) => `#day-${d}`);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg.match(/<a href="#day-\d{4}-\d{2}-\d{2}" tabindex="-1">/g)).toHaveLength(5);
    expect(svg).toContain(
      '<a href="#day-2026-11-10" tabindex="-1"><rect class="bar-major" x="10" width="4" height="24"><title>2026-11-10: Major outage, 98.75% (measured). Partial outage declared for 1 h; probes: 18 min down</title></rect></a>',
    );
    expect(svg).toContain('aria-hidden="true"');
  });

  test('reasons are escaped in titles', () => {
    expect(dayTitle(day('2026-11-10', 'ok', 'a <b> & "c"'))).toBe('2026-11-10: No problems, 100% (measured). A <b> & "c"');
    expect(historyBarSvg([day('2026-11-10', 'ok', 'a <b>')], () => '#x')).toContain('<title>2026-11-10: No problems, 100% (measured). A &lt;b&gt;</title>');
  });
});

describe('responseChart', () => {
  const points = [
    { date: '2026-11-08', p50: 40, p95: 90 },
    { date: '2026-11-09', p50: 55, p95: 380 },
    { date: '2026-11-10', p50: 42, p95: 120 },
  ];

  test('scales to a round top and draws median and 95th percentile as separate lines', () => {
    const chart = responseChart(points)!;
    expect(chart.top).toBe(500);
    expect(XMLValidator.validate(chart.svg)).toBe(true);
    expect(chart.svg).toContain('<path class="rt-p50" d="M5 92L15 89L25 91.6" vector-effect="non-scaling-stroke"/>');
    expect(chart.svg).toContain('<path class="rt-p95" d="M5 82L15 24L25 76" vector-effect="non-scaling-stroke"/>');
    // No text in the drawing: labels are HTML, so they never scale.
    expect(chart.svg).not.toContain('<text');
  });

  test('marks outage and maintenance days as bands, and says so', () => {
    const chart = responseChart(
      points,
      new Map([
        ['2026-11-09', 'outage'],
        ['2026-11-08', 'maintenance'],
      ]),
    )!;
    expect(chart.svg).toContain('<path class="rt-outage" d="M10 0h10v100h-10z"/>');
    expect(chart.svg).toContain('<path class="rt-maintenance" d="M0 0h10v100h-10z"/>');
    expect(chart.summary).toBe(
      'On 2026-11-10 the median was 42 ms and the 95th percentile 120 ms. Over 3 days the median stayed between 40 and 55 ms; the 95th percentile peaked at 380 ms on 2026-11-09. Marked: 1 day with an outage and 1 day of maintenance.',
    );
  });

  test('no points, no chart', () => expect(responseChart([])).toBeUndefined());

  test('a summary without marks says nothing about them', () =>
    expect(responseSummary(points.slice(0, 1))).toBe(
      'On 2026-11-08 the median was 40 ms and the 95th percentile 90 ms. Over 1 day the median stayed between 40 and 40 ms; the 95th percentile peaked at 90 ms on 2026-11-08.',
    ));
});

test.each([
  [0, 1],
  [1, 1],
  [90, 100],
  [101, 200],
  [380, 500],
  [501, 1000],
  [2100, 5000],
])('niceTop(%d) is %d', (max, top) => expect(niceTop(max)).toBe(top));
