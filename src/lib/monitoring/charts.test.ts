import { expect, test } from 'vitest';
import { dayClass, responseTimeSvg, uptimeBarSvg } from './charts.ts';

test.each([
  // uptime → class at a 99.9% target
  [null, 'none'],
  [100, 'ok'],
  [99.9, 'ok'],
  [99.5, 'warn'],
  [98, 'bad'],
] as const)('a day at %s is "%s"', (uptime, cls) => {
  expect(dayClass(uptime, 99.9)).toBe(cls);
});

test('the uptime bar draws one path per colour, one bar per day', () => {
  const svg = uptimeBarSvg([{ date: 'a', uptime: 100, downMinutes: 0 }, { date: 'b', uptime: null, downMinutes: 0 }, { date: 'c', uptime: 90, downMinutes: 144 }, { date: 'd', uptime: 100, downMinutes: 0 }], 99.9);
  expect(svg).toBe(
    '<svg class="uptime-bar" viewBox="0 0 19 24" preserveAspectRatio="none" aria-hidden="true" focusable="false"><path class="bar-none" d="M5 0h4v24h-4z"/><path class="bar-ok" d="M0 0h4v24h-4zM15 0h4v24h-4z"/><path class="bar-bad" d="M10 0h4v24h-4z"/></svg>',
  );
});

test('the response-time chart is titled, scaled and escaped', () => {
  const svg = responseTimeSvg([{ date: '2026-11-20', p50: 100, p95: 240 }, { date: '2026-11-21', p50: 120, p95: 180 }], 'A & B');
  expect(svg).toContain('<title>Daily response time of A &amp; B, median and 95th percentile, 2026-11-20 to 2026-11-21</title>');
  expect(svg).toContain('>250 ms</text>');
  expect(responseTimeSvg([], 'x')).toBe('');
});
