/**
 * `npm run bench:merge [-- --days 90] [-- --hostile-only]`
 *
 * Generates raw probe logs at full scale (3 locations × 12 checks × one
 * sample per minute × 90 days ≈ 4.7 million records), summarises each
 * location with the real `npm run probe:summary` CLI (and one day's file on
 * its own), then merges the three summaries with the build's merge code.
 * Prints summary time, summary size and merge time.
 *
 * Then the hostile case from issue 10: one location's summary with 200,000
 * short outages (plus two normal locations), parsed and merged as the build
 * does. Budget: the merge under 1 s. And hostile raw logs, through the real
 * CLI under /usr/bin/time (peak RSS): a 700 MB line without a newline, and
 * 400 / 10,000 domains probed once. `--hostile-only` runs just these.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mergeProbes } from '../src/lib/monitoring/merge-probes.ts';
import { ProbeSummarySchema, type ProbeCheck, type ProbeSummary } from '../src/lib/schemas.ts';

const { values } = parseArgs({ options: { days: { type: 'string', default: '90' }, 'hostile-only': { type: 'boolean', default: false } } });
const DAYS = Number(values.days);
const NOW = Date.parse('2026-11-21T12:00:00Z');
const OUT = resolve('bench/out/merge');
const VANTAGES = ['ams', 'fra', 'nyc'];
const PAIRS: [string, ProbeCheck][] = [
  ...(['dns', 'c2s-starttls', 'c2s-directtls', 's2s-starttls', 'register', 'website', 'disco', 'contact', 'version', 'ping'] as const).map(
    (c) => ['jabber.org', c] as [string, ProbeCheck],
  ),
  ['jabber.com', 'c2s-starttls'],
  ['jabber.com', 'website'],
];

/** Certificate facts as the probe writes them (the fields every version has, so older code reads the same records), e.g. `benchCert('AA')`. */
function benchCert(byte: string) {
  const fp = Array.from({ length: 32 }, () => byte).join(':');
  return {
    subject: 'jabber.org',
    issuer: 'R11',
    validFrom: '2026-09-01T00:00:00Z',
    validTo: '2026-12-30T00:00:00Z',
    daysLeft: 39,
    trusted: true,
    identity: 'SRV-ID',
    names: ['DNS:jabber.org', 'SRVName:_xmpp-client.jabber.org'],
    fingerprint256: fp,
  };
}

function generate(): number {
  rmSync(OUT, { recursive: true, force: true });
  let count = 0;
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const firstDay = Math.floor(NOW / 86_400_000) * 86_400_000 - (DAYS - 1) * 86_400_000;
  for (const vantage of VANTAGES) {
    mkdirSync(join(OUT, 'raw', vantage), { recursive: true });
    for (let day = firstDay; day < NOW; day += 86_400_000) {
      const lines: string[] = [];
      for (let t = day; t < Math.min(day + 86_400_000, NOW); t += 60_000) {
        for (const [domain, check] of PAIRS) {
          const ok = random() > 0.002;
          lines.push(
            JSON.stringify({
              v: 1,
              at: new Date(t + Math.floor(random() * 900)).toISOString(),
              vantage,
              domain,
              check,
              target: check === 'website' ? `https://www.${domain}/` : `hermes.${domain}:5222`,
              ok,
              ms: Math.round(40 + random() * 300),
              attempts: 1,
              ...(ok ? {} : { error: 'connection refused (hermes.jabber.org:5222)' }),
              // Every TLS check and the website carry the certificate, as real records do (issue 30: the summary tracks it per target); renewed halfway.
              detail:
                check.includes('tls') || check === 'website'
                  ? {
                      ...(check.includes('tls') ? { tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', alpn: null } } : {}),
                      cert: benchCert(t < firstDay + (DAYS * 86_400_000) / 2 ? 'AA' : 'BB'),
                    }
                  : {},
            }),
          );
        }
      }
      count += lines.length;
      writeFileSync(join(OUT, 'raw', vantage, `${new Date(day).toISOString().slice(0, 10)}.jsonl`), `${lines.join('\n')}\n`);
    }
  }
  return count;
}

function summarise(input: string, vantage: string, out: string): number {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    ['scripts/probe-summary.ts', '--in', input, '--vantage', vantage, '--out', out, '--now', new Date(NOW).toISOString()],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return (performance.now() - started) / 1000;
}

/**
 * One location's summary for one check over 90 days, through the real
 * schema: full days of samples and, when `outages` > 0, that many 5-second
 * outage runs spread evenly over the 90 days (about 39 s apart, so with
 * probes every 10 s none of them overlap: the worst case for the merge).
 */
function syntheticSummary(vantage: string, outages: number): ProbeSummary {
  const firstDay = Math.floor(NOW / 86_400_000) * 86_400_000 - 89 * 86_400_000;
  const span = NOW - firstDay;
  const runs: [number, number][] = Array.from({ length: outages }, (_, i) => {
    const s = firstDay + Math.floor((i * span) / outages);
    return [s, s + 5_000];
  });
  const days = [];
  let k = 0;
  for (let t = firstDay; t < NOW; t += 86_400_000) {
    const dayRuns: [string, string][] = [];
    while (k < runs.length && runs[k]![0] < t + 86_400_000) {
      const [s, e] = runs[k++]!;
      dayRuns.push([new Date(s).toISOString(), new Date(Math.min(e, t + 86_400_000 - 1)).toISOString()]);
    }
    days.push({
      date: new Date(t).toISOString().slice(0, 10),
      samples: 1440 + dayRuns.length,
      ok: 1440,
      first: new Date(t).toISOString(),
      last: new Date(Math.min(t + 86_400_000 - 60_000, NOW - 60_000)).toISOString(),
      p50: 100,
      p95: 200,
      p99: 300,
      outages: dayRuns,
    });
  }
  return ProbeSummarySchema.parse({
    v: 1,
    generator: 'bench',
    generatedAt: new Date(NOW).toISOString(),
    vantage,
    checks: [
      {
        domain: 'jabber.org',
        check: 'c2s-starttls',
        days,
        recent: { from: new Date(NOW - 48 * 3_600_000).toISOString(), step: 60, values: [] },
        last: { at: new Date(NOW - 60_000).toISOString(), ok: true, ms: 100, target: 'x:5222' },
        cert: null,
      },
    ],
  });
}

function hostileMerge(outages: number): void {
  const text = JSON.stringify(syntheticSummary('ams', outages));
  const others = [syntheticSummary('fra', 0), syntheticSummary('nyc', 0)];
  let t = performance.now();
  const ams = ProbeSummarySchema.parse(JSON.parse(text));
  const parseMs = performance.now() - t;
  const mapping = new Map([['c2s', [{ domain: 'jabber.org', check: 'c2s-starttls' as ProbeCheck }]]]);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    mergeProbes([ams, ...others], mapping, { now: new Date(NOW), intervalSeconds: 10, quorum: 0.5, slaTarget: 99.9, maintenance: new Map() });
    times.push(performance.now() - t);
    console.error(`  merge run ${i + 1}: ${times[i]!.toFixed(0)} ms`);
  }
  console.log(
    `hostile summary: ${outages.toLocaleString('en')} outages in one location (${(text.length / 1e6).toFixed(1)} MB): parse and validate ${parseMs.toFixed(0)} ms; merge with 2 normal locations (probes every 10 s): median ${times.sort((a, b) => a - b)[1]!.toFixed(0)} ms (of 3 runs)`,
  );
}

/** Runs probe:summary under /usr/bin/time; seconds, peak RSS in MB, exit code, output. */
function summariseMeasured(input: string, out: string): { seconds: number; peakMb: number; code: number | null; output: string } {
  const started = performance.now();
  const run = spawnSync(
    '/usr/bin/time',
    ['-f', 'peak-kb %M', process.execPath, 'scripts/probe-summary.ts', '--in', input, '--vantage', 'ams', '--out', out, '--now', new Date(NOW).toISOString()],
    { encoding: 'utf8' },
  );
  const peak = Number(/peak-kb (\d+)/.exec(run.stderr)?.[1] ?? NaN);
  return {
    seconds: (performance.now() - started) / 1000,
    peakMb: peak / 1024,
    code: run.status,
    output: `${run.stdout}${run.stderr.replace(/peak-kb \d+\n?/, '')}`.trim(),
  };
}

function hostileLogs(): void {
  const record = (domain: string) =>
    JSON.stringify({
      v: 1,
      at: new Date(NOW - 3_600_000).toISOString(),
      vantage: 'ams',
      domain,
      check: 'c2s-starttls',
      target: `xmpp.${domain}:5222`,
      ok: true,
      ms: 81,
      attempts: 1,
      detail: {},
    });
  const today = new Date(NOW).toISOString().slice(0, 10);
  // A 700 MB line without a newline after one good record.
  const longDir = join(OUT, 'hostile-long', 'ams');
  rmSync(join(OUT, 'hostile-long'), { recursive: true, force: true });
  mkdirSync(longDir, { recursive: true });
  const file = join(longDir, `${today}.jsonl`);
  writeFileSync(file, `${record('jabber.org')}\n`);
  const block = Buffer.alloc(64 * 1024 * 1024, 0x78);
  for (let i = 0; i < 700 / 64; i++) appendFileSync(file, block);
  appendFileSync(file, block.subarray(0, (700 % 64) * 1024 * 1024));
  const long = summariseMeasured(join(OUT, 'hostile-long'), join(OUT, 'hostile-long.json'));
  console.log(`700 MB line without a newline: exit ${long.code}, ${long.seconds.toFixed(1)} s, peak RSS ${long.peakMb.toFixed(0)} MB: ${long.output}`);
  rmSync(join(OUT, 'hostile-long'), { recursive: true, force: true });
  for (const domains of [400, 10_000]) {
    const dir = join(OUT, `hostile-domains-${domains}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'ams'), { recursive: true });
    const text = `${Array.from({ length: domains }, (_, i) => record(`d${i}.example`)).join('\n')}\n`;
    writeFileSync(join(dir, 'ams', `${today}.jsonl`), text);
    const out = join(OUT, `hostile-domains-${domains}.json`);
    rmSync(out, { force: true });
    const r = summariseMeasured(dir, out);
    const size = r.code === 0 ? `${(statSync(out).size / 1e6).toFixed(2)} MB summary` : 'refused';
    console.log(
      `${domains.toLocaleString('en')} domains probed once (${(text.length / 1e6).toFixed(2)} MB JSONL): exit ${r.code}, ${size}, ${r.seconds.toFixed(1)} s, peak RSS ${r.peakMb.toFixed(0)} MB: ${r.output.slice(0, 160)}`,
    );
  }
}

if (values['hostile-only']) {
  hostileMerge(200_000);
  hostileLogs();
  process.exit(0);
}

console.error(`Generating ${VANTAGES.length} × ${PAIRS.length} checks × 1440/day × ${DAYS} days…`);
let t = performance.now();
const records = generate();
const rawBytes = VANTAGES.reduce((sum, v) => sum + Number(spawnSync('du', ['-sb', join(OUT, 'raw', v)], { encoding: 'utf8' }).stdout.split('\t')[0]), 0);
console.error(`  ${records.toLocaleString('en')} records, ${(rawBytes / 1e9).toFixed(2)} GB, in ${((performance.now() - t) / 1000).toFixed(1)} s`);

// One day's file on its own: what a probe host does after each day.
const oneDay = join(OUT, 'one-day');
mkdirSync(join(oneDay, 'ams'), { recursive: true });
const yesterday = new Date(NOW - 86_400_000).toISOString().slice(0, 10);
writeFileSync(join(oneDay, 'ams', `${yesterday}.jsonl`), readFileSync(join(OUT, 'raw', 'ams', `${yesterday}.jsonl`)));
const dayTime = summarise(oneDay, 'ams', join(OUT, 'one-day.json'));

const rows: string[][] = [];
const summaries = [];
for (const vantage of VANTAGES) {
  const file = join(OUT, `${vantage}.json`);
  const seconds = summarise(join(OUT, 'raw'), vantage, file);
  const bytes = statSync(file).size;
  summaries.push(ProbeSummarySchema.parse(JSON.parse(readFileSync(file, 'utf8'))));
  rows.push([vantage, `${(records / VANTAGES.length).toLocaleString('en')}`, `${seconds.toFixed(1)} s`, `${(bytes / 1024).toFixed(0)} KB`]);
}

const mapping = new Map(PAIRS.slice(0, 7).map(([domain, check], i) => [`component-${i}`, [{ domain, check }]]));
const times: number[] = [];
for (let i = 0; i < 5; i++) {
  t = performance.now();
  mergeProbes(summaries, mapping, { now: new Date(NOW), intervalSeconds: 60, quorum: 0.5, slaTarget: 99.9, maintenance: new Map() });
  times.push(performance.now() - t);
}
const parseStart = performance.now();
for (const v of VANTAGES) ProbeSummarySchema.parse(JSON.parse(readFileSync(join(OUT, `${v}.json`), 'utf8')));
const parseMs = performance.now() - parseStart;

console.log(`| location | raw records | probe:summary (90 days) | summary size |
| -------- | ----------- | ----------------------- | ------------ |
${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}

probe:summary of one day's raw file (${(PAIRS.length * 1440).toLocaleString('en')} records): ${dayTime.toFixed(2)} s, including Node start-up
reading and validating the 3 summaries at build time: ${parseMs.toFixed(0)} ms
merging them for ${mapping.size} components: median ${times.sort((a, b) => a - b)[2]!.toFixed(0)} ms (of 5 runs)`);

hostileMerge(200_000);
hostileLogs();
