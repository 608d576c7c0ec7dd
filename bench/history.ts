/**
 * `npm run bench:history [-- --years 5 --services 500]`
 *
 * The monitoring history kept forever (issue 29) at the size the issue asks
 * about: 5 years of daily rows for 7 components (one check each, 3
 * locations) and for 500 directory services (the uptime check, 3
 * locations), with an outage now and then and response times that vary.
 * Rows are written as the store's file and read back through the real
 * schema (`HistoryFileSchema`, in `readHistoryFile`). Prints: size on disk
 * (in all and per component or service per year), the time to read and
 * check the store, to append one day (one summary per location) and write
 * the store atomically, to compute every year page's figures, and the
 * memory the store adds to a build.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appendSummary, emptyHistory, historyFigures, type HistoryRow, type HistoryStore } from '../src/lib/monitoring/history-store.ts';
import { readHistoryFile, writeHistoryFile } from '../src/lib/monitoring/history-store-io.ts';
import { ProbeSummarySchema, type ProbeCheck, type ProbeSummary } from '../src/lib/schemas.ts';

const { values } = parseArgs({ options: { years: { type: 'string', default: '5' }, services: { type: 'string', default: '500' } } });
const YEARS = Number(values.years);
const SERVICES = Number(values.services);
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-21T12:00:00Z');
const FIRST_DAY = Math.floor(NOW / DAY) - Math.round(YEARS * 365.25);
const VANTAGES = ['ams', 'fra', 'nyc'];
const COMPONENT_CHECKS: ProbeCheck[] = ['dns', 'c2s-starttls', 'c2s-directtls', 's2s-starttls', 'register', 'website', 'ping'];
let seed = 29;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** A day at one location: 1440 or 288 samples, an outage on ~2% of days, varying response times. */
function row(day: number, samples: number): HistoryRow {
  const outages: number[] = [];
  if (random() < 0.02) {
    const s = Math.floor(random() * 80_000);
    outages.push(s, s + 60 * Math.ceil(random() * 30));
  }
  const p50 = 40 + Math.round(random() * 60);
  return {
    day,
    samples,
    ok: samples - outages.length,
    first: Math.floor(random() * 60),
    last: 86_400 - Math.ceil(random() * (86_400 / samples)),
    p50,
    p95: p50 * 2 + Math.round(random() * 40),
    p99: p50 * 3 + Math.round(random() * 80),
    outages,
  };
}

function generate(pairs: readonly [string, ProbeCheck][], samples: number): HistoryStore {
  const store = emptyHistory();
  for (const [domain, check] of pairs) {
    for (const vantage of VANTAGES) {
      const rows = new Map<number, HistoryRow>();
      for (let d = FIRST_DAY; d <= Math.floor(NOW / DAY); d++) rows.set(d, row(d, samples));
      store.series.set(`${vantage}|${domain}|${check}`, { vantage, domain, check, rows });
    }
  }
  store.updatedAt = NOW - DAY;
  return store;
}

/** Tomorrow's summary of one location, through the real schema. */
function nextDaySummary(vantage: string, pairs: readonly [string, ProbeCheck][], samples: number): ProbeSummary {
  const day = new Date(Math.floor(NOW / DAY) * DAY + DAY).toISOString().slice(0, 10);
  return ProbeSummarySchema.parse({
    v: 1,
    generator: 'bench',
    generatedAt: `${day}T12:00:00Z`,
    vantage,
    checks: pairs.map(([domain, check]) => ({
      domain,
      check,
      days: [{ date: day, samples, ok: samples, first: `${day}T00:00:05Z`, last: `${day}T11:59:05Z`, p50: 80, p95: 160, p99: 240, outages: [] }],
      last: { at: `${day}T11:59:05Z`, ok: true, ms: 80, target: `${domain}:5222` },
      cert: null,
    })),
  });
}

const dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
const scopes = [
  {
    name: 'status',
    label: `7 components`,
    units: 7,
    pairs: COMPONENT_CHECKS.map((c) => ['jabber.org', c] as [string, ProbeCheck]),
    samples: 1440,
    interval: 60,
    target: 99.9,
  },
  {
    name: 'directory',
    label: `${SERVICES} services`,
    units: SERVICES,
    pairs: Array.from({ length: SERVICES }, (_, i) => [`s${i + 1}.bench.test`, 'c2s-starttls'] as [string, ProbeCheck]),
    samples: 288,
    interval: 300,
    target: 99.9,
  },
];
console.log(`History store: ${YEARS} years (${Math.floor(NOW / DAY) - FIRST_DAY + 1} days) × 3 locations`);
for (const scope of scopes) {
  const path = join(dir, `${scope.name}.json.gz`);
  const bytes = writeHistoryFile(path, generate(scope.pairs, scope.samples));
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let c = cpu();
  let t = performance.now();
  const read = readHistoryFile(path);
  const readMs = performance.now() - t;
  const readCpu = cpu() - c;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const rssAfter = process.memoryUsage().rss;
  t = performance.now();
  // Summaries hold at most 400 pairs: the directory's come in files of 66 services, as in bench:directory.
  for (const v of VANTAGES)
    for (let i = 0; i < scope.pairs.length; i += 66)
      appendSummary(read.store, nextDaySummary(v, scope.pairs.slice(i, i + 66), scope.samples), new Date(NOW + DAY));
  const appended = writeHistoryFile(path, read.store);
  const appendMs = performance.now() - t;
  const appendCpu = cpu() - c;
  c = cpu();
  t = performance.now();
  let years = 0;
  for (const [domain, check] of scope.pairs) {
    const figures = historyFigures(read.store, [{ domain, check }], {
      now: new Date(NOW + DAY),
      intervalSeconds: scope.interval,
      quorum: 0.5,
      slaTarget: scope.target,
      maintenance: [],
    });
    years += figures.years.length;
  }
  const figuresMs = performance.now() - t;
  const figuresCpu = cpu() - c;
  console.log(`
${scope.label} (${scope.pairs.length * 3} series, ${scope.samples} samples a day)
   on disk            ${bytes < 1024 * 1024 ? kb(bytes) : mb(bytes)} gzipped (${kb(bytes / scope.units / YEARS)} per ${scope.name === 'status' ? 'component' : 'service'} per year); ${appended < 1024 * 1024 ? kb(appended) : mb(appended)} after one more day
   read + check       ${readMs.toFixed(0)} ms wall, ${readCpu.toFixed(0)} ms CPU (origin ${read.origin})
   append a day       ${appendMs.toFixed(0)} ms wall, ${appendCpu.toFixed(0)} ms CPU (one day's summaries of 3 locations appended, store written atomically)
   year figures       ${figuresMs.toFixed(0)} ms wall, ${figuresCpu.toFixed(0)} ms CPU for ${scope.units} ${scope.name === 'status' ? 'components' : 'services'} (${years} year pages)
   memory added       heap +${mb(heapAfter - heapBefore)}, RSS +${mb(rssAfter - rssBefore)} after reading`);
}
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
else console.log(dir);
