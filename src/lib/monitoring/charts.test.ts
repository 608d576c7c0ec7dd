import { expect, test } from 'vitest';
import { responseTimeSvg, uptimeBarSvg } from './charts.ts';

test('the uptime bar draws one path per class, one bar per day', () => {
  const svg = uptimeBarSvg([{ cls: 'ok' }, { cls: 'none' }, { cls: 'major' }, { cls: 'ok' }]);
  expect(svg).toBe(
    '<svg class="uptime-bar" viewBox="0 0 19 24" preserveAspectRatio="none" aria-hidden="true" focusable="false"><path class="bar-ok" d="M0 0h4v24h-4zM15 0h4v24h-4z"/><path class="bar-none" d="M5 0h4v24h-4z"/><path class="bar-major" d="M10 0h4v24h-4z"/></svg>',
  );
});

test('the response-time chart is titled, scaled and escaped', () => {
  const svg = responseTimeSvg([{ date: '2026-11-20', p50: 100, p95: 240 }, { date: '2026-11-21', p50: 120, p95: 180 }], 'A & B');
  expect(svg).toContain('<title>Daily response time of A &amp; B, median and 95th percentile, 2026-11-20 to 2026-11-21</title>');
  expect(svg).toContain('>250 ms</text>');
  expect(responseTimeSvg([], 'x')).toBe('');
});
