/**
 * Issue 29, through the real build: 400 days of summaries (a gap, days
 * repeated by every summary, a location that dies) fed in order into the
 * history store, the last ones by the build itself; the year pages show the
 * same monthly figures as a direct computation over the raw records, and
 * the release publishes the store so another machine can restore it.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { appendSummary, emptyHistory, encodeHistory, seriesSize } from '../src/lib/monitoring/history-store.ts';
import { parseHistoryBytes, readHistoryFile, writeHistoryFile } from '../src/lib/monitoring/history-store-io.ts';
import { monthlySla, quorumFigures, vantageTimeline } from '../src/lib/monitoring/merge-probes.ts';
import { formatUptime } from '../src/lib/status/declared-uptime.ts';
import { monthLabel } from '../src/lib/shared/time.ts';
import { buildSiteAsync, pageText, type BuildResult } from './helpers/build-site.ts';
import { DAY, END, INTERVAL, START, VANTAGES, rawRecords, summaryAt, wholeSummaries } from './helpers/history-fixture.ts';

const root = mkdtempSync(join(tmpdir(), 'history-root-'));
const historyDir = mkdtempSync(join(tmpdir(), 'history-store-'));
const now = END - DAY / 2; // noon of the 400th day
const records = rawRecords();
let build: BuildResult;

beforeAll(async () => {
  // Builds every 4 days at noon until the last, fed to the store as the build does.
  const store = emptyHistory();
  for (let t = START + DAY / 2; t < now; t += 4 * DAY)
    for (const v of VANTAGES) {
      const s = summaryAt(records, v, t);
      if (s) appendSummary(store, s, new Date(t));
    }
  writeHistoryFile(join(historyDir, 'status.json.gz'), store);
  // The last build reads today's summaries itself.
  mkdirSync(join(root, 'content/updates'), { recursive: true });
  mkdirSync(join(root, 'summaries'));
  for (const v of VANTAGES) {
    const s = summaryAt(records, v, now);
    if (s) writeFileSync(join(root, 'summaries', `${v}.json`), JSON.stringify(s));
  }
  writeFileSync(join(root, 'content/updates/2026-11-04.md'), '---\nauthor: T\nsummary: Fine.\n---\nText.\n');
  const site = readFileSync('content/site.yaml', 'utf8')
    .replace(/  sources:\n(    - .*\n)+/, `  sources:\n    - { name: ams, path: summaries/ams.json }\n    - { name: fra, path: summaries/fra.json }\n`)
    .replace(/  intervalSeconds: 60\n/, `  intervalSeconds: ${INTERVAL}\n`);
  writeFileSync(join(root, 'content/site.yaml'), site);
  build = await buildSiteAsync({
    contentRoot: root,
    epoch: String(now / 1000),
    env: { STATUS_HISTORY_DIR: historyDir, STATUS_CACHE_DIR: join(root, '.cache') },
  });
}, 600_000);

test('the year pages show the same monthly figures as a direct computation over the raw records', () => {
  expect(build.code, build.output).toBe(0);
  expect(build.output).not.toContain('[history]');
  const direct = quorumFigures(
    wholeSummaries(records, new Date(now)).map((s) => vantageTimeline(s.checks, INTERVAL * 1000, -Infinity, now)),
    { quorum: 0.5, cuts: [] },
  );
  const months = monthlySla(direct.down, direct.covered, direct.coveredList[0]?.start, { from: -Infinity, now, slaTarget: 99.9 });
  expect(months.length).toBe(14);
  for (const year of ['2025', '2026']) {
    const text = pageText(build.outDir, `components/c2s/uptime/${year}/index.html`);
    const rows = months.filter((m) => m.month.startsWith(year)).reverse();
    const expected = rows
      .map(
        (m) =>
          `${monthLabel(m.month)} ${formatUptime(m.uptime!)} ${m.downMinutes} min ${m.budgetMinutes} min ${m.current ? (m.met ? 'On track' : 'Missed') : m.met ? 'Met' : 'Missed'}`,
      )
      .join(' ');
    expect(text).toContain(`Month Uptime Downtime used Budget Result ${expected} Measured since 2025-10-01.`);
  }
  // The component page links every year.
  expect(pageText(build.outDir, 'components/c2s/index.html')).toMatch(/Uptime by year 2026 \([\d.]+%\) 2025 \([\d.]+%\)/);
});

test('the release publishes the store, and restoring it gives back every day the build host has', () => {
  const published = parseHistoryBytes('history/status.json.gz', readFileSync(join(build.outDir, 'history/status.json.gz')));
  const local = readHistoryFile(join(historyDir, 'status.json.gz'));
  expect(local.origin).toBe('file');
  expect(encodeHistory(published)).toEqual(encodeHistory(local.store));
  // The build appended today: 400 days for ams, fra without its 11-day gap, nyc until it died.
  expect([...published.series.values()].map((s) => [s.vantage, seriesSize(s)])).toEqual([
    ['ams', 400],
    ['fra', 389],
    ['nyc', 300],
  ]);
});
