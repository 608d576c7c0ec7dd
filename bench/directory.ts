/**
 * `npm run bench:directory [-- --services 500 --concurrency 100 --skip-probe --full]`
 *
 * The directory at scale (issue 17):
 * 1. Probing: N services on loopback (one real Prosody serving them all as
 *    virtual hosts, dnsmasq for their SRV records, a local HTTPS site), with
 *    the real probe code as `npm run probe -- --services` runs it: wall
 *    time, checks per second, peak memory. Must fit a 5-minute interval.
 * 2. Summaries: one day of raw records of N services (a sample every 5
 *    minutes, 6 checks) through the real SummaryBuilder, and the size of a
 *    90-day summary per location, split into files of at most 400
 *    domain/check pairs.
 * 3. Build: N services × 3 locations × 90 days of summaries, parsed with
 *    the schema and turned into the directory (checklists, states, uptime)
 *    by the build's code: time and memory.
 */
import { parseArgs } from 'node:util';
import { buildDirectoryView } from '../src/lib/directory/directory.ts';
import type { Service } from '../src/lib/content/content.ts';
import { compactSummary, SummaryBuilder } from '../src/lib/monitoring/probe-summary.ts';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  DirectoryConfigSchema,
  MAX_SUMMARY_CHECKS,
  PROBE_RECORD_VERSION,
  problemText,
  ProbeSummarySchema,
  SUMMARY_VERSION,
  type ProbeCheck,
  type ProbeRecord,
  type ProbeSummary,
  type SummaryCheck,
} from '../src/lib/schemas.ts';
import { runProbe } from '../src/lib/xmpp/run-probe-io.ts';
import { startManyDomainsRig } from '../tests/helpers/many-domains-rig.ts';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '100' },
    'skip-probe': { type: 'boolean', default: false },
    'only-build': { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
  },
});
const N = Number(values.services);
const concurrency = Number(values.concurrency);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const domains = Array.from({ length: N }, (_, i) => `s${String(i + 1).padStart(3, '0')}.bench.test`);

/** Peak RSS and CPU seconds of this process from now until the returned function is called (the machine is shared: wall time alone overstates cost). */
function peakSampler() {
  let peak = process.memoryUsage().rss;
  const start = peak;
  const cpu = process.cpuUsage();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const used = process.cpuUsage(cpu);
    return { start, peak, cpu: (used.user + used.system) / 1e6 };
  };
}

// ---------------------------------------------------------------------------
// 1. Probing
// ---------------------------------------------------------------------------
if (!values['skip-probe'] && !values['only-build']) {
  console.log(`Starting Prosody with ${N} virtual hosts, dnsmasq and an HTTPS site…`);
  const rig = await startManyDomainsRig(domains);
  const stop = peakSampler();
  const started = performance.now();
  const records = await runProbe(rig.targets, {
    vantage: 'bench',
    retryDelayMs: 1000,
    concurrency,
    // The directory's probe host has a jabber.org account: on other domains the logged-in checks are recorded as not run.
    account: { jid: 'status-probe@jabber.org', password: 'unused' },
    context: rig.context,
  });
  const wall = (performance.now() - started) / 1000;
  const { start, peak, cpu } = stop();
  const ran = records.filter((r) => !r.notRun);
  const failed = ran.filter((r) => !r.ok);
  console.log(`
1. Probing ${N} services (concurrency ${concurrency}) from one host
   checks run         ${ran.length} (+${records.length - ran.length} recorded as not run; ${failed.length} failed${failed.length ? `: ${[...new Set(failed.map((f) => problemText(f.problems)))].slice(0, 3).join(' | ')}` : ''})
   wall time          ${wall.toFixed(1)} s (${((100 * wall) / 300).toFixed(0)}% of a 5-minute interval)
   checks per second  ${(ran.length / wall).toFixed(0)}
   probe CPU          ${cpu.toFixed(1)} s (Prosody's own CPU not counted)
   memory             RSS ${mb(start)} at start, peak ${mb(peak)} (+${mb(peak - start)})`);
  await rig.stop();
}

// ---------------------------------------------------------------------------
// 2. Summaries
// ---------------------------------------------------------------------------
const NOW = Date.parse('2026-11-21T12:00:00Z');
const CHECKS: ProbeCheck[] = ['dns', 'c2s-starttls', 'c2s-directtls', 's2s-starttls', 'register', 'website'];
let seed = 11;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
if (!values['only-build']) {
  const builder = new SummaryBuilder('ams', new Date(NOW), { maxChecks: N * CHECKS.length });
  const day = Date.parse('2026-11-20T00:00:00Z');
  const stop = peakSampler();
  const started = performance.now();
  let count = 0;
  for (let t = day; t < day + 86_400_000; t += 300_000) {
    const at = new Date(t).toISOString();
    for (const domain of domains) {
      for (const check of CHECKS) {
        const ok = random() > 0.001;
        const record: ProbeRecord = {
          v: PROBE_RECORD_VERSION,
          at,
          vantage: 'ams',
          domain,
          check,
          target: `${domain}:5222`,
          ok,
          ms: 50 + random() * 100,
          attempts: 1,
          detail: {},
          ...(ok ? {} : { problems: [{ kind: 'connect-refused', text: 'connection refused' }] }),
        };
        builder.add(record);
        count++;
      }
    }
  }
  builder.sealDay('2026-11-20');
  const summary = builder.finish();
  const seconds = (performance.now() - started) / 1000;
  const { start, peak, cpu } = stop();
  console.log(`
2. Summaries (one location)
   one day of raw records   ${count.toLocaleString('en')} records (${N} services × ${CHECKS.length} checks × 288 runs) summarised in ${seconds.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU (${Math.round(count / cpu).toLocaleString('en')} records per CPU second); 90 days ≈ ${(cpu * 90).toFixed(0)} CPU s
   summary of that day      ${mb(JSON.stringify(summary).length)} for ${summary.checks.length} domain/check pairs; peak RSS +${mb(peak - start)}`);
}

// ---------------------------------------------------------------------------
// 3. Build: N services × 3 locations × 90 days, as files of ≤ 400 pairs
// ---------------------------------------------------------------------------
function syntheticCheck(domain: string, check: ProbeCheck, k: number): SummaryCheck {
  const days = [];
  const first = Math.floor(NOW / 86_400_000) * 86_400_000 - 89 * 86_400_000;
  for (let d = first; d < NOW; d += 86_400_000) {
    const outages: [string, string][] = [];
    if (random() < 0.03) {
      const s = d + Math.floor(random() * 280) * 300_000;
      outages.push([new Date(s).toISOString().replace('.000', ''), new Date(s + 600_000).toISOString().replace('.000', '')]);
    }
    const last = Math.min(d + 86_400_000, NOW) - 300_000;
    days.push({
      date: new Date(d).toISOString().slice(0, 10),
      samples: 288,
      ok: 288 - outages.length * 2,
      first: new Date(d).toISOString().replace('.000', ''),
      last: new Date(last).toISOString().replace('.000', ''),
      p50: 80,
      p95: 160,
      p99: 240,
      outages,
    });
  }
  const tls = check !== 'dns' && check !== 'register' && check !== 'website';
  return {
    domain,
    check,
    days,
    recent: {
      from: new Date(NOW - 48 * 3_600_000).toISOString().replace('.000', ''),
      step: 60,
      runs: Array.from({ length: 576 }, (_, i) => [i * 5, [80 + (k % 40)]] as [number, number[]]),
    },
    last: { at: new Date(NOW - 300_000).toISOString().replace('.000', ''), ok: true, ms: 81, target: `${domain}:5222` },
    cert: tls
      ? {
          subject: domain,
          issuer: 'R11',
          validFrom: '2026-10-01T00:00:00Z',
          validTo: '2027-01-01T00:00:00Z',
          daysLeft: 41,
          trusted: true,
          identity: 'DNS-ID',
          names: [`DNS:${domain}`],
          fingerprint256: 'AB:CD',
        }
      : null,
  };
}
const perFile = Math.floor(MAX_SUMMARY_CHECKS / CHECKS.length);
// `--full` measures the format-1 summaries (days as objects, 48-hour block)
// the directory read before issue 29; the default is what its probe hosts
// write now, `probe:summary --compact` (format 2: days as columns).
const compact = !values.full;
const texts: string[] = [];
for (const vantage of ['ams', 'fra', 'nyc']) {
  for (let i = 0; i < N; i += perFile) {
    const checks = domains.slice(i, i + perFile).flatMap((d, k) => CHECKS.map((c) => syntheticCheck(d, c, k)));
    const summary: ProbeSummary = { v: SUMMARY_VERSION, generator: 'bench', generatedAt: new Date(NOW).toISOString().replace('.000', ''), vantage, checks };
    texts.push(JSON.stringify(compact ? compactSummary(summary) : summary));
  }
}
// Compact summaries travel gzipped (`--out services-ams-1.json.gz`); the build unpacks them.
const files = texts.map((t) => (compact ? gzipSync(t) : Buffer.from(t)));
texts.length = 0;
const totalBytes = files.reduce((s, f) => s + f.length, 0);
const services: Service[] = domains.map((domain) => ({
  name: domain,
  domain,
  website: `https://${domain}/`,
  registration: { method: 'in-band' },
  administrator: { name: 'Bench', jid: `admin@${domain}` },
  location: { country: 'DE', countryName: 'Germany', city: 'Berlin' },
  applied: '2026-01-01',
  file: `content/services/${domain}.md`,
  notesMarkdown: '',
  notesHtml: '',
}));
const stop = peakSampler();
const parseCpuStart = process.cpuUsage();
let started = performance.now();
let unpacked = 0;
const summaries: ProbeSummary[] = files.map((f) => {
  const text = compact ? gunzipSync(f).toString('utf8') : f.toString('utf8');
  unpacked += text.length;
  return ProbeSummarySchema.parse(JSON.parse(text));
});
const parseSeconds = (performance.now() - started) / 1000;
const parseCpu = process.cpuUsage(parseCpuStart);
const parsePeak = process.memoryUsage().rss;
started = performance.now();
const view = buildDirectoryView({ config: DirectoryConfigSchema.parse({}), services }, summaries, { now: new Date(NOW), quorum: 0.5 });
const viewSeconds = (performance.now() - started) / 1000;
const { start, peak, cpu } = stop();
const states = view.entries.reduce<Record<string, number>>((acc, e) => ((acc[e.status.state] = (acc[e.status.state] ?? 0) + 1), acc), {});
console.log(`
3. Build input: ${N} services × 3 locations × 90 days, ${compact ? 'compact summaries (format 2)' : 'full summaries (format 1, --full)'}
   summary files      ${files.length} (at most ${perFile} services each), ${(totalBytes / 1024 / 1024).toFixed(1)} MiB in all${compact ? `, gzipped; ${(unpacked / 1024 / 1024).toFixed(1)} MiB unpacked` : ''}
   parse + validate   ${parseSeconds.toFixed(1)} s wall, ${((parseCpu.user + parseCpu.system) / 1e6).toFixed(1)} s CPU; RSS after parsing +${mb(parsePeak - start)}
   directory view     ${viewSeconds.toFixed(1)} s (checklists, states with every change, uptime for ${view.entries.length} services; states ${JSON.stringify(states)})
   CPU                ${cpu.toFixed(1)} s for both
   memory             RSS ${mb(start)} before, peak ${mb(peak)} (+${mb(peak - start)})`);
