/**
 * `npm run bench:detect [-- --interval S --rounds N]`: the whole loop from
 * a failing server to the page readers see, with real parts on loopback
 * (issue 14):
 *
 *   Prosody (tests/helpers/prosody-rig.ts) + dnsmasq for its SRV records
 *   → three `npm run probe` processes, one per location (ams, fra, nyc),
 *     every `--interval` seconds, each followed by `npm run probe:summary`
 *   → `npm run publish` in a loop (skips when nothing changed)
 *   → nginx with the shipped configuration serving `current`
 *   → a poller reading the home page every 250 ms.
 *
 * Each round stops Prosody and measures the time until the page served by
 * nginx says "Client connections: Major outage", then starts it again (same
 * configuration, ports and certificates) and measures the time until it says
 * "Operational". Every stage is timed from the processes' own events.
 *
 * Bounded: every wait has a deadline and the whole run is capped at
 * `--max-seconds` (default 300); every process started here is stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startDnsmasq, type DnsRig } from '../tests/helpers/dnsmasq-rig.ts';
import { isListening, waitForPort } from '../tests/helpers/free-port.ts';
import { startNginx, type NginxRig } from '../tests/helpers/nginx-rig.ts';
import { startProsody, type ProsodyRig } from '../tests/helpers/prosody-rig.ts';
import { TOOLS } from '../tests/helpers/system-tools.ts';

const { values } = parseArgs({
  options: {
    interval: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    'max-seconds': { type: 'string', default: '300' },
  },
});
const INTERVAL_S = Number(values.interval);
const ROUNDS = Number(values.rounds);
const DEADLINE = Date.now() + Number(values['max-seconds']) * 1000;
const LOCATIONS = ['ams', 'fra', 'nyc'] as const;
const PROBE_TIMEOUT_MS = 3000;
const RETRY_DELAY_MS = 1000;
const PROJECT = join(import.meta.dirname, '..');
const t0 = Date.now();
const rel = (t: number) => ((t - t0) / 1000).toFixed(1);
const log = (line: string) => console.log(`[${rel(Date.now()).padStart(6)} s] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command to completion, collecting its output. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, children: Set<ChildProcess>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: PROJECT, env });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

// --- The servers ---------------------------------------------------------

const children = new Set<ChildProcess>();
let prosody: ProsodyRig | undefined;
let restarted: ChildProcess | undefined;
let dns: DnsRig | undefined;
let nginx: NginxRig | undefined;
const root = mkdtempSync(join(tmpdir(), 'bench-detect-'));
const target = join(root, 'site');
let stopping = false;

/** The Prosody process serving the rig: its pid file, written by Prosody itself. */
function prosodyPid(rig: ProsodyRig): number {
  const pidFile = join(rig.dir, 'data', 'prosody.pid');
  if (existsSync(pidFile)) return Number(readFileSync(pidFile, 'utf8').trim());
  // Fallback: the process whose command line names this rig's own config file.
  const cfg = join(rig.dir, 'prosody.cfg.lua');
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(cfg)) return Number(pid);
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error('cannot find the Prosody process');
}

async function stopProsody(rig: ProsodyRig): Promise<void> {
  const pid = restarted?.pid ?? prosodyPid(rig);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isListening(rig.ports.c2s) && Date.now() < deadline) await sleep(20);
  if (isListening(rig.ports.c2s)) throw new Error('Prosody did not stop');
  restarted = undefined;
}

/** Starts Prosody again with the rig's configuration, certificates and ports. */
async function restartProsody(rig: ProsodyRig): Promise<void> {
  restarted = spawn(TOOLS.prosody.path, ['-F', '--config', join(rig.dir, 'prosody.cfg.lua')], { cwd: rig.dir, stdio: 'ignore' });
  await Promise.all([waitForPort(rig.ports.c2s), waitForPort(rig.ports.directTls)]);
}

// --- Events --------------------------------------------------------------

interface ProbeEvent {
  location: string;
  start: number;
  probeEnd: number;
  summaryEnd: number;
  /** The c2s-starttls result of this run. */
  ok: boolean;
}
interface PublishEvent {
  /** The release it switched to, when it published. */
  id?: string;
  start: number;
  end: number;
  published: boolean;
  buildS?: number;
  compressS?: number;
}
interface Observation {
  at: number;
  state: string;
  /** The release `current` pointed to right after the answer. */
  release: string;
}
const probes: ProbeEvent[] = [];
const publishes: PublishEvent[] = [];
const observations: Observation[] = [];

const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', STATUS_CONTENT_ROOT: root, STATUS_CACHE_DIR: join(root, 'cache') };

async function probeOnce(location: string): Promise<ProbeEvent> {
  const start = Date.now();
  const probe = await run('npm', ['run', '--silent', 'probe', '--', 'xmpp.test', '--vantage', location, '--out', join(root, 'probe-data'),
    '--resolver', dns!.address, '--ca', prosody!.caFile, '--timeout', String(PROBE_TIMEOUT_MS), '--retry-delay', String(RETRY_DELAY_MS), '--json', '--allow-loopback'], env, children);
  const probeEnd = Date.now();
  const records = probe.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { check: string; ok: boolean });
  const c2s = records.find((r) => r.check === 'c2s-starttls');
  if (!c2s) throw new Error(`probe ${location} wrote no c2s-starttls record (exit ${probe.code}):\n${probe.stderr}`);
  const summary = await run('npm', ['run', '--silent', 'probe:summary', '--', '--in', join(root, 'probe-data'), '--vantage', location, '--out', join(root, 'summaries', `${location}.json`)], env, children);
  if (summary.code !== 0) throw new Error(`probe:summary ${location} failed:\n${summary.stderr}`);
  return { location, start, probeEnd, summaryEnd: Date.now(), ok: c2s.ok };
}

/** One location's timer: a probe and its summary every INTERVAL_S seconds, at the same ticks as the others. */
async function locationLoop(location: string): Promise<void> {
  while (!stopping) {
    const tick = Math.ceil(Date.now() / (INTERVAL_S * 1000)) * INTERVAL_S * 1000;
    await sleep(tick - Date.now());
    if (stopping) return;
    probes.push(await probeOnce(location));
  }
}

/** The build host: publish, and again as soon as it finished (it skips when nothing changed). */
async function publishLoop(): Promise<void> {
  while (!stopping) {
    const start = Date.now();
    const r = await run('npm', ['run', '--silent', 'publish', '--', '--to', target, '--allow-sample'], env, children);
    const end = Date.now();
    const m = /built in ([\d.]+) s, \d+ files precompressed in ([\d.]+) s/.exec(r.stdout);
    if (r.code !== 0 && !stopping) log(`publish failed (exit ${r.code}): ${r.stderr.slice(-400)}`);
    publishes.push({ id: /^Published (\S+)/m.exec(r.stdout)?.[1], start, end, published: /^Published /m.test(r.stdout), buildS: m ? Number(m[1]) : undefined, compressS: m ? Number(m[2]) : undefined });
    if (!/^Published /m.test(r.stdout)) await sleep(500);
  }
}

/** The component state the served home page shows for client connections, e.g. `major-outage`. */
function c2sState(html: string): string {
  return /href="\/components\/c2s\/">[^<]*<\/a>\s*<span class="state state-([a-z-]+)"/.exec(html)?.[1] ?? 'not found';
}

function getPage(): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: nginx!.httpsPort, path: '/', ca: nginx!.ca, servername: 'status.jabber.org', agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function pollLoop(): Promise<void> {
  while (!stopping) {
    try {
      const state = c2sState(await getPage());
      const release = readlinkSync(join(target, 'current')).replace('releases/', '');
      const last = observations.at(-1);
      if (!last || last.state !== state) log(`page: client connections ${state} (${release})`);
      observations.push({ at: Date.now(), state, release });
    } catch (err) {
      observations.push({ at: Date.now(), state: `error: ${(err as Error).message}`, release: '' });
    }
    await sleep(250);
  }
}

async function waitForState(state: string, since: number, timeoutMs: number): Promise<Observation> {
  const deadline = Math.min(Date.now() + timeoutMs, DEADLINE);
  for (;;) {
    const seen = observations.find((o) => o.at >= since && o.state === state);
    if (seen) return seen;
    if (Date.now() > deadline) throw new Error(`the page did not say "${state}" within ${Math.round(timeoutMs / 1000)} s (last: ${observations.at(-1)?.state})`);
    await sleep(50);
  }
}

interface Breakdown {
  what: string;
  total: number;
  probes: number;
  summaries: number;
  publish: number;
  buildS?: number;
  compressS?: number;
  serve: number;
}

/**
 * The stages of one transition, from the events: the moment a quorum (2 of
 * 3) of locations had finished a probe run with the new result, then had
 * written its summary; the end of the publish whose release the page came
 * from (a build reads the summaries when it runs, so a publish already under
 * way can pick them up); and the page seen changed (polled every 250 ms).
 */
function breakdown(what: string, from: number, ok: boolean, observed: Observation): Breakdown {
  const seen = observed.at;
  const quorum = Math.floor(LOCATIONS.length / 2) + 1;
  const firsts = LOCATIONS.map((l) => probes.find((p) => p.location === l && p.probeEnd > from && p.ok === ok)).filter((p): p is ProbeEvent => p !== undefined);
  const byProbe = firsts.map((p) => p.probeEnd).sort((a, b) => a - b)[quorum - 1] ?? NaN;
  const bySummary = firsts.map((p) => p.summaryEnd).sort((a, b) => a - b)[quorum - 1] ?? NaN;
  const shown = publishes.find((p) => p.id === observed.release);
  // The switch comes just before the publish process exits; the poller may see it first.
  const switched = Math.min(shown?.end ?? NaN, seen);
  return {
    what,
    total: seen - from,
    probes: byProbe - from,
    summaries: bySummary - byProbe,
    publish: switched - bySummary,
    buildS: shown?.buildS,
    compressS: shown?.compressS,
    serve: seen - switched,
  };
}

// --- The run -------------------------------------------------------------

const results: Breakdown[] = [];
/** Transitions seen; broken down at the end, when every publish has reported. */
const transitions: [string, number, boolean, Observation][] = [];
let failure: Error | undefined;
try {
  log('starting Prosody and dnsmasq');
  prosody = await startProsody();
  dns = await startDnsmasq({
    srv: [
      { name: '_xmpp-client._tcp.xmpp.test', target: 'xmpp.test', port: prosody.ports.c2s },
      { name: '_xmpps-client._tcp.xmpp.test', target: 'xmpp.test', port: prosody.ports.directTls },
      { name: '_xmpp-server._tcp.xmpp.test', target: 'xmpp.test', port: prosody.ports.s2s },
    ],
    hosts: ['xmpp.test'],
  });

  // A site whose monitoring is the three locations' summaries of xmpp.test.
  for (const d of ['content/updates', 'content/maintenance', 'incidents', 'summaries', 'probe-data']) mkdirSync(join(root, d), { recursive: true });
  const site = parseYaml(readFileSync(join(PROJECT, 'content/site.yaml'), 'utf8')) as { probes: Record<string, unknown> };
  site.probes.targets = [{ domain: 'xmpp.test', websites: [] }];
  site.probes.intervalSeconds = INTERVAL_S;
  site.probes.sources = LOCATIONS.map((name) => ({ name, path: `summaries/${name}.json` }));
  site.probes.components = { c2s: [{ domain: 'xmpp.test', check: 'c2s-starttls' }], 'c2s-directtls': [{ domain: 'xmpp.test', check: 'c2s-directtls' }] };
  writeFileSync(join(root, 'content/site.yaml'), stringifyYaml(site));
  const today = new Date().toISOString().slice(0, 10);
  writeFileSync(join(root, `content/updates/${today}.md`), '---\nauthor: Bench\nsummary: Measuring detection.\n---\nAll quiet.\n');

  log('first probe round and publish');
  probes.push(...(await Promise.all(LOCATIONS.map((l) => probeOnce(l)))));
  const first = await run('npm', ['run', '--silent', 'publish', '--', '--to', target, '--allow-sample'], env, children);
  if (first.code !== 0) throw new Error(`first publish failed:\n${first.stdout}\n${first.stderr}`);
  nginx = await startNginx({ root: join(target, 'current') });

  const loops = [...LOCATIONS.map((l) => locationLoop(l)), publishLoop(), pollLoop()];
  try {
    await waitForState('operational', 0, 90_000);
    for (let round = 1; round <= ROUNDS; round++) {
      // Let a full probe cycle pass on a healthy server first.
      await sleep(INTERVAL_S * 1000);
      const down = Date.now();
      await stopProsody(prosody);
      log(`round ${round}: Prosody stopped`);
      const seenDown = await waitForState('major-outage', down, 120_000);
      transitions.push([`round ${round}: down`, down, false, seenDown]);
      const up = Date.now();
      await restartProsody(prosody);
      log(`round ${round}: Prosody started again`);
      const seenUp = await waitForState('operational', up, 120_000);
      transitions.push([`round ${round}: recovered`, up, true, seenUp]);
    }
  } finally {
    stopping = true;
    await Promise.race([Promise.all(loops), sleep(60_000)]);
  }
} catch (err) {
  failure = err as Error;
} finally {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await nginx?.stop();
  await dns?.stop();
  if (restarted && restarted.exitCode === null) {
    const exited = new Promise((r) => restarted!.once('exit', r));
    restarted.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
  }
  await prosody?.stop();
  rmSync(root, { recursive: true, force: true });
}

for (const [what, from, ok, observed] of transitions) results.push(breakdown(what, from, ok, observed));
const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '?');
const publishedRuns = publishes.filter((p) => p.published && p.buildS !== undefined);
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
console.log(`\nProbe interval ${INTERVAL_S} s (3 locations, quorum 2 of 3), probe --timeout ${PROBE_TIMEOUT_MS} ms, --retry-delay ${RETRY_DELAY_MS} ms;`);
console.log(`publish in a loop: ${publishes.length} runs, ${publishedRuns.length} published (average ${(avg(publishedRuns.map((p) => (p.end - p.start) / 1000))).toFixed(1)} s each: build ${avg(publishedRuns.map((p) => p.buildS!)).toFixed(1)} s, precompress ${avg(publishedRuns.map((p) => p.compressS!)).toFixed(1)} s), ${publishes.length - publishedRuns.length} skipped as unchanged.`);
const probeRuns = probes.filter((p) => p.probeEnd > t0);
console.log(`probe runs: ${probeRuns.length}, average probe ${(avg(probeRuns.map((p) => p.probeEnd - p.start)) / 1000).toFixed(1)} s, summary ${(avg(probeRuns.map((p) => p.summaryEnd - p.probeEnd)) / 1000).toFixed(1)} s\n`);
console.log('| transition | total | probes (2 of 3 done) | summaries written | summaries → release live (that build, precompress) | until seen |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(`| ${r.what} | **${s(r.total)}** | ${s(r.probes)} | ${s(r.summaries)} | ${s(r.publish)} (${r.buildS ?? '?'} s, ${r.compressS ?? '?'} s) | ${s(r.serve)} |`);
}
// Every event, relative to the start, for reading a run in detail.
mkdirSync(join(PROJECT, 'bench', 'out'), { recursive: true });
const relEvents = (xs: object[]) => xs.map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, typeof v === 'number' && v > 1e12 ? Number(rel(v)) : v])));
writeFileSync(join(PROJECT, 'bench', 'out', 'detect-events.json'), `${JSON.stringify({ probes: relEvents(probes), publishes: relEvents(publishes), observations: relEvents(observations.filter((o, i, all) => i === 0 || all[i - 1]!.state !== o.state)), results }, null, 1)}\n`);
if (failure) {
  console.error(`\nbench:detect failed: ${failure.message}`);
  process.exitCode = 1;
}
process.exit();
