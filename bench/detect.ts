/**
 * `npm run bench:detect [-- --interval S --rounds N --follow --stagger --loop]`:
 * the whole loop from a failing server to the page readers see, with real
 * parts on loopback (issues 14 and 28):
 *
 *   Prosody (tests/helpers/prosody-rig.ts) + dnsmasq for its SRV records
 *   → three `npm run probe` processes, one per location (ams, fra, nyc),
 *     every `--interval` seconds (default 60, as shipped), each followed by
 *     `npm run probe:summary` writing that location's summary.json
 *   → three nginx servers with the shipped probe-host configuration
 *     (deploy/nginx/probe-summary.conf), one per location, serving it
 *   → the build host, which fetches them over HTTPS (URL sources) and
 *     publishes in one of three ways:
 *       default     the shipped timer: `npm run publish` at 20 s past each
 *                   interval (`--publish-at`), skipped while one still runs;
 *       `--follow`  `npm run publish:follow` (scripts/follow.ts) polling the
 *                   summaries every `--poll` seconds, plus the timer as a
 *                   safety net every `--safety-net` seconds (default 240,
 *                   as deploy/systemd/jabber-status-publish.timer);
 *       `--loop`    `npm run publish` again as soon as one ends (issue 14's run);
 *   → nginx with the shipped site configuration serving `current`
 *   → a poller reading the home page every 250 ms.
 *
 * `--stagger` starts location i of n at i·interval/n instead of all on
 * the tick (deploy/install.sh --probe-offset).
 *
 * Each round waits a random 1–2 intervals on a healthy server, stops
 * Prosody and measures the time until the page served by nginx says
 * "Client connections: Major outage", waits a random 0–1 interval, starts
 * it again (same configuration, ports and certificates) and measures the
 * time until it says "Operational". Every stage is timed from the
 * processes' own events. The probe runs with its shipped defaults
 * (10 s timeout, one retry after 5 s).
 *
 * Bounded: every wait has a deadline and the whole run is capped at
 * `--max-seconds` (default: 7 minutes a round); every process started here
 * is stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import os, { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { startDnsmasq, type DnsRig } from '../tests/helpers/dnsmasq-rig.ts';
import { isListening, waitForPort } from '../tests/helpers/free-port.ts';
import { startNginx, type NginxRig } from '../tests/helpers/nginx-rig.ts';
import { startProbeSummaryNginx, type ProbeSummaryNginx } from '../tests/helpers/probe-summary-nginx-rig.ts';
import { startProsody, type ProsodyRig } from '../tests/helpers/prosody-rig.ts';
import { TOOLS } from '../tests/helpers/system-tools.ts';

const { values } = parseArgs({
  options: {
    interval: { type: 'string', default: '60' },
    rounds: { type: 'string', default: '10' },
    'max-seconds': { type: 'string' },
    follow: { type: 'boolean', default: false },
    loop: { type: 'boolean', default: false },
    stagger: { type: 'boolean', default: false },
    poll: { type: 'string', default: '3' },
    'publish-at': { type: 'string' },
    'safety-net': { type: 'string', default: '240' },
    seed: { type: 'string' },
  },
});
const INTERVAL_S = Number(values.interval);
const ROUNDS = Number(values.rounds);
const MODE: 'timer' | 'follow' | 'loop' = values.follow ? 'follow' : values.loop ? 'loop' : 'timer';
const POLL_S = Number(values.poll);
/** The shipped publish timer runs at :20 of each 60 s minute: a third of the interval. */
const PUBLISH_AT_S = values['publish-at'] !== undefined ? Number(values['publish-at']) : INTERVAL_S / 3;
const SAFETY_NET_S = Number(values['safety-net']);
const DEADLINE = Date.now() + Number(values['max-seconds'] ?? ROUNDS * 7 * 60 + 300) * 1000;
const LOCATIONS = ['ams', 'fra', 'nyc'] as const;
const QUORUM = 2;
const PROJECT = join(import.meta.dirname, '..');
const t0 = Date.now();
const rel = (t: number) => ((t - t0) / 1000).toFixed(1);
const log = (line: string) => console.log(`[${rel(Date.now()).padStart(7)} s] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** A small seeded generator (mulberry32), so a run's random moments can be repeated with --seed. */
const SEED = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
let rngState = SEED >>> 0;
function random(): number {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}

/** Runs a command to completion, collecting its output. */
function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  children: Set<ChildProcess>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
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
const probeHosts = new Map<string, ProbeSummaryNginx>();
let follower: ChildProcess | undefined;
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
  /** Who started it: the timer, the loop or the watcher. */
  by: 'timer' | 'loop' | 'follow';
  /** The release it switched to, when it published. */
  id?: string;
  start: number;
  end: number;
  published: boolean;
  buildS?: number;
  compressS?: number;
  /** `live` when only the pages that read monitoring or the clock were rendered (issue 28's live lane), `full` otherwise. */
  lane?: 'live' | 'full';
}
interface NoticeEvent {
  location: string;
  at: number;
}
interface Observation {
  at: number;
  state: string;
  /** The release `current` pointed to right after the answer. */
  release: string;
}
const probes: ProbeEvent[] = [];
const publishes: PublishEvent[] = [];
const notices: NoticeEvent[] = [];
const observations: Observation[] = [];

const caFile = join(root, 'probe-hosts-ca.pem');
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', STATUS_CONTENT_ROOT: root, STATUS_CACHE_DIR: join(root, 'cache'), NODE_EXTRA_CA_CERTS: caFile };
const summaryFile = (location: string) => join(root, 'www', location, 'summary.json');

async function probeOnce(location: string): Promise<ProbeEvent> {
  const start = Date.now();
  const probe = await run(
    'npm',
    [
      'run',
      '--silent',
      'probe',
      '--',
      'xmpp.test',
      '--vantage',
      location,
      '--out',
      join(root, 'probe-data'),
      '--resolver',
      dns!.address,
      '--ca',
      prosody!.caFile,
      '--json',
      '--allow-loopback',
    ],
    env,
    children,
  );
  const probeEnd = Date.now();
  const records = probe.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { check: string; ok: boolean });
  const c2s = records.find((r) => r.check === 'c2s-starttls');
  if (!c2s) throw new Error(`probe ${location} wrote no c2s-starttls record (exit ${probe.code}):\n${probe.stderr}`);
  const summary = await run(
    'npm',
    ['run', '--silent', 'probe:summary', '--', '--in', join(root, 'probe-data'), '--vantage', location, '--out', summaryFile(location)],
    env,
    children,
  );
  if (summary.code !== 0) throw new Error(`probe:summary ${location} failed:\n${summary.stderr}`);
  return { location, start, probeEnd, summaryEnd: Date.now(), ok: c2s.ok };
}

/** Seconds after each interval's tick that location i starts: 0 for all, or i·interval/n with --stagger. */
const offsetOf = (i: number) => (values.stagger ? (i * INTERVAL_S) / LOCATIONS.length : 0);

/** The next instant after now that is `offsetS` past a multiple of `periodS`. */
function nextTick(periodS: number, offsetS: number): number {
  const period = periodS * 1000;
  const offset = offsetS * 1000;
  return Math.floor((Date.now() - offset) / period + 1) * period + offset;
}

/** One location's timer: a probe and its summary every INTERVAL_S seconds, at its offset. */
async function locationLoop(location: string, i: number): Promise<void> {
  while (!stopping) {
    await sleep(nextTick(INTERVAL_S, offsetOf(i)) - Date.now());
    if (stopping) return;
    probes.push(await probeOnce(location));
  }
}

function parsePublishOutput(stdout: string): Pick<PublishEvent, 'id' | 'published' | 'buildS' | 'compressS' | 'lane'> {
  const m = /built in ([\d.]+) s, \d+ files precompressed in ([\d.]+) s/.exec(stdout);
  const published = /^Published /m.test(stdout);
  return {
    id: /^Published (\S+)/m.exec(stdout)?.[1],
    published,
    buildS: m ? Number(m[1]) : undefined,
    compressS: m ? Number(m[2]) : undefined,
    ...(published ? { lane: /^Published .*: live lane,/m.test(stdout) ? ('live' as const) : ('full' as const) } : {}),
  };
}

let timerPublishRunning = false;
async function publishOnce(by: 'timer' | 'loop'): Promise<PublishEvent> {
  const start = Date.now();
  const r = await run('npm', ['run', '--silent', 'publish', '--', '--to', target, '--allow-sample'], env, children);
  const event = { by, start, end: Date.now(), ...parsePublishOutput(r.stdout) };
  if (r.code !== 0 && !stopping) log(`publish (${by}) exited ${r.code}: ${r.stderr.trim().split('\n').at(-1)}`);
  publishes.push(event);
  return event;
}

/** The shipped timer: a publish at `offsetS` past each `periodS`, skipped while one is still running (systemd's rule for a oneshot service). */
async function timerLoop(periodS: number, offsetS: number): Promise<void> {
  while (!stopping) {
    await sleep(nextTick(periodS, offsetS) - Date.now());
    if (stopping) return;
    if (timerPublishRunning) continue;
    timerPublishRunning = true;
    void publishOnce('timer').finally(() => (timerPublishRunning = false));
  }
}

/** Issue 14's build host: publish, and again as soon as it finished (it skips when nothing changed). */
async function publishLoop(): Promise<void> {
  while (!stopping) {
    const event = await publishOnce('loop');
    if (!event.published) await sleep(500);
  }
}

/** The watcher (scripts/follow.ts), its events read from its log as the lines arrive. */
function startFollower(): void {
  follower = spawn(process.execPath, [join(PROJECT, 'scripts', 'follow.ts'), '--poll', String(POLL_S), '--', '--to', target, '--allow-sample'], {
    cwd: PROJECT,
    env,
  });
  let current: { start: number; out: string } | undefined;
  createInterface({ input: follower.stdout! }).on('line', (line) => {
    const at = Date.now();
    const noticed = /^Noticed a new summary from (\S+?)[ :]/.exec(line);
    if (noticed) notices.push({ location: noticed[1]!, at });
    if (line.startsWith('Publishing: ')) current = { start: at, out: '' };
    else if (current && /^Publish (finished|failed|did not run)/.test(line)) {
      publishes.push({ by: 'follow', start: current.start, end: at, ...parsePublishOutput(current.out) });
      current = undefined;
    } else if (current) current.out += `${line}\n`;
    if (/unreachable|failed|could not/i.test(line) && !stopping) log(`follow: ${line}`);
  });
  createInterface({ input: follower.stderr! }).on('line', (line) => {
    if (!stopping) log(`follow (stderr): ${line}`);
  });
}

/** The component state the served home page shows for client connections, e.g. `major-outage`. */
function c2sState(html: string): string {
  return /href="\/components\/c2s\/">[^<]*<\/a>\s*<span class="state state-([a-z-]+)"/.exec(html)?.[1] ?? 'not found';
}

function getPage(): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: nginx!.httpsPort, path: '/', ca: nginx!.ca, servername: 'status.jabber.org', agent: false, timeout: 5000 },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** The machine's 1-minute load average, every 10 s: other work on a shared machine slows every stage. */
const loads: number[] = [];
async function loadLoop(): Promise<void> {
  while (!stopping) {
    loads.push(loadavg()[0]!);
    await sleep(10_000);
  }
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
    if (Date.now() > deadline)
      throw new Error(`the page did not say "${state}" within ${Math.round(timeoutMs / 1000)} s (last: ${observations.at(-1)?.state})`);
    await sleep(50);
  }
}

interface Breakdown {
  what: string;
  total: number;
  /** Until enough locations had finished a probe run with the new result (2 of 3 failing for "down"; for "recovered", 1 or 2 seeing it up, so that fewer than 2 still fail). */
  probe: number;
  /** Until those had written their summaries. */
  summary: number;
  /** Until the publish whose release the page showed started (the timer's wait, or the watcher's poll and any publish already running). */
  noticed: number;
  /** That publish's check, change key and build. */
  build: number;
  /** Its precompression and the switch of `current`, until the process ended. */
  switch: number;
  /** Until the poller saw the page change. */
  served: number;
  buildS?: number;
  by?: string;
  lane?: string;
}

/**
 * The stages of one transition, from the events. Each stage ends at an
 * instant no earlier than the one before (a build reads the summaries when
 * it runs, so a publish already under way can pick up a summary written
 * after it started: its "noticed" stage is then 0).
 */
function breakdown(what: string, from: number, ok: boolean, observed: Observation): Breakdown {
  const seen = observed.at;
  // How many locations must report the new result: "down" needs QUORUM failing, "up" fewer than QUORUM; those already failing at `from` count.
  const failingBefore = LOCATIONS.filter((l) => probes.findLast((p) => p.location === l && p.probeEnd <= from)?.ok === false).length;
  const needed = Math.max(1, ok ? failingBefore - (QUORUM - 1) : QUORUM - failingBefore);
  const firsts = LOCATIONS.map((l) => probes.find((p) => p.location === l && p.probeEnd > from && p.ok === ok)).filter((p): p is ProbeEvent => p !== undefined);
  const byProbe = firsts.map((p) => p.probeEnd).sort((a, b) => a - b)[needed - 1] ?? NaN;
  const bySummary = Math.max(byProbe, firsts.map((p) => p.summaryEnd).sort((a, b) => a - b)[needed - 1] ?? NaN);
  const shown = publishes.find((p) => p.id === observed.release);
  const started = Math.max(bySummary, shown?.start ?? NaN);
  // The end of the build is estimated (the process's end less its precompression); never after the page was seen.
  const built = shown ? Math.min(seen, Math.max(started, shown.end - (shown.compressS ?? 0) * 1000)) : NaN;
  // The switch comes just before the publish process exits; the poller may see it first.
  const switched = Math.max(built, Math.min(shown?.end ?? NaN, seen));
  return {
    what,
    total: seen - from,
    probe: byProbe - from,
    summary: bySummary - byProbe,
    noticed: started - bySummary,
    build: built - started,
    switch: switched - built,
    served: seen - switched,
    buildS: shown?.buildS,
    by: shown?.by,
    lane: shown?.lane,
  };
}

// --- The run -------------------------------------------------------------

const results: Breakdown[] = [];
/** HTTP status → requests, over the three probe hosts' access logs. */
const probeHostAnswers = new Map<string, number>();
/** Transitions seen; broken down at the end, when every publish has reported. */
const transitions: [string, number, boolean, Observation][] = [];
let failure: Error | undefined;
try {
  log(`mode ${MODE}${values.stagger ? ', staggered probes' : ''}; interval ${INTERVAL_S} s, ${ROUNDS} rounds, seed ${SEED}`);
  log("starting Prosody, dnsmasq and the three probe hosts' nginx");
  prosody = await startProsody();
  dns = await startDnsmasq({
    srv: [
      { name: '_xmpp-client._tcp.xmpp.test', target: 'xmpp.test', port: prosody.ports.c2s },
      { name: '_xmpps-client._tcp.xmpp.test', target: 'xmpp.test', port: prosody.ports.directTls },
      { name: '_xmpp-server._tcp.xmpp.test', target: 'xmpp.test', port: prosody.ports.s2s },
    ],
    hosts: ['xmpp.test'],
  });
  for (const l of LOCATIONS) {
    mkdirSync(join(root, 'www', l), { recursive: true });
    probeHosts.set(l, await startProbeSummaryNginx({ root: join(root, 'www', l) }));
  }
  writeFileSync(caFile, [...probeHosts.values()].map((h) => readFileSync(h.caFile, 'utf8')).join(''));

  // A site whose monitoring is the three locations' summaries of xmpp.test, fetched from their probe hosts.
  for (const d of ['content/updates', 'content/maintenance', 'incidents', 'probe-data']) mkdirSync(join(root, d), { recursive: true });
  const site = parseYaml(readFileSync(join(PROJECT, 'content/site.yaml'), 'utf8')) as { probes: Record<string, unknown> };
  site.probes.targets = [{ domain: 'xmpp.test', websites: [] }];
  site.probes.intervalSeconds = INTERVAL_S;
  site.probes.sources = LOCATIONS.map((name) => ({ name, url: probeHosts.get(name)!.url }));
  site.probes.components = { c2s: [{ domain: 'xmpp.test', check: 'c2s-starttls' }], 'c2s-directtls': [{ domain: 'xmpp.test', check: 'c2s-directtls' }] };
  writeFileSync(join(root, 'content/site.yaml'), stringifyYaml(site));
  const today = new Date().toISOString().slice(0, 10);
  writeFileSync(join(root, `content/updates/${today}.md`), '---\nauthor: Bench\nsummary: Measuring detection.\n---\nAll quiet.\n');

  log('first probe round and publish');
  probes.push(...(await Promise.all(LOCATIONS.map((l) => probeOnce(l)))));
  const first = await run('npm', ['run', '--silent', 'publish', '--', '--to', target, '--allow-sample'], env, children);
  if (first.code !== 0) throw new Error(`first publish failed:\n${first.stdout}\n${first.stderr}`);
  nginx = await startNginx({ root: join(target, 'current') });

  const loops = [...LOCATIONS.map((l, i) => locationLoop(l, i)), pollLoop(), loadLoop()];
  if (MODE === 'timer') loops.push(timerLoop(INTERVAL_S, PUBLISH_AT_S));
  if (MODE === 'loop') loops.push(publishLoop());
  if (MODE === 'follow') {
    startFollower();
    loops.push(timerLoop(SAFETY_NET_S, PUBLISH_AT_S));
  }
  try {
    await waitForState('operational', 0, 180_000);
    for (let round = 1; round <= ROUNDS; round++) {
      // A random moment, at least one full probe cycle on a healthy server after the last change.
      await sleep((1 + random()) * INTERVAL_S * 1000);
      const down = Date.now();
      await stopProsody(prosody);
      log(`round ${round}: Prosody stopped`);
      const seenDown = await waitForState('major-outage', down, Math.max(120, 4 * INTERVAL_S) * 1000);
      transitions.push([`round ${round}: down`, down, false, seenDown]);
      await sleep(random() * INTERVAL_S * 1000);
      const up = Date.now();
      await restartProsody(prosody);
      log(`round ${round}: Prosody started again`);
      const seenUp = await waitForState('operational', up, Math.max(120, 4 * INTERVAL_S) * 1000);
      transitions.push([`round ${round}: recovered`, up, true, seenUp]);
    }
  } finally {
    stopping = true;
    follower?.kill('SIGTERM');
    await Promise.race([Promise.all(loops), sleep(90_000)]);
  }
} catch (err) {
  failure = err as Error;
} finally {
  stopping = true;
  follower?.kill('SIGTERM');
  for (const child of children) child.kill('SIGTERM');
  await nginx?.stop();
  for (const h of probeHosts.values()) {
    // What the probe hosts answered: conditional polls get 304 while nothing changed.
    for (const line of h.accessLines()) {
      const status = / (\d{3}) \d+ "/.exec(line)?.[1] ?? '?';
      probeHostAnswers.set(status, (probeHostAnswers.get(status) ?? 0) + 1);
    }
    await h.stop();
  }
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
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
/** Nearest-rank percentile: the smallest value with at least p of the values at or below it (p95 of 10 values is the largest). */
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(p * xs.length) - 1)] ?? NaN;
/** The middle value, or the mean of the two middle ones. */
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const publishedRuns = publishes.filter((p) => p.published && p.buildS !== undefined);
const modeText = {
  timer: `the shipped timer (publish at ${PUBLISH_AT_S} s past each ${INTERVAL_S} s)`,
  loop: 'publish in a loop',
  follow: `follow mode (poll every ${POLL_S} s; timer every ${SAFETY_NET_S} s as the safety net)`,
}[MODE];
console.log(
  `\nProbe interval ${INTERVAL_S} s, 3 locations (${values.stagger ? `staggered: ${LOCATIONS.map((l, i) => `${l} +${offsetOf(i).toFixed(0)} s`).join(', ')}` : 'all on the tick'}), quorum 2 of 3, probe defaults; ${modeText}; seed ${SEED}.`,
);
console.log(
  `publish: ${publishes.length} runs, ${publishedRuns.length} published (${publishedRuns.filter((p) => p.lane === 'live').length} by the live lane) (average ${avg(publishedRuns.map((p) => (p.end - p.start) / 1000)).toFixed(1)} s each: build ${avg(publishedRuns.map((p) => p.buildS!)).toFixed(1)} s, precompress ${avg(publishedRuns.map((p) => p.compressS!)).toFixed(1)} s), ${publishes.length - publishedRuns.length} unchanged or locked.`,
);
console.log(
  `load average (1 min, sampled every 10 s, ${os.cpus().length} cores): mean ${avg(loads).toFixed(1)}, max ${loads.reduce((a, b) => Math.max(a, b), 0).toFixed(1)}.`,
);
console.log(
  `probe hosts answered: ${[...probeHostAnswers]
    .sort()
    .map(([status, n]) => `${n} × ${status}`)
    .join(', ')}.`,
);
const probeRuns = probes.filter((p) => p.probeEnd > t0);
console.log(
  `probe runs: ${probeRuns.length}, average probe ${(avg(probeRuns.map((p) => p.probeEnd - p.start)) / 1000).toFixed(1)} s, summary ${(avg(probeRuns.map((p) => p.summaryEnd - p.probeEnd)) / 1000).toFixed(1)} s\n`,
);
console.log('| transition | total | probe run (quorum) | summary written | noticed by the build host | build | precompress + switch | served | published by |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(
    `| ${r.what} | **${s(r.total)}** | ${s(r.probe)} | ${s(r.summary)} | ${s(r.noticed)} | ${s(r.build)} | ${s(r.switch)} | ${s(r.served)} | ${r.by ?? '?'} (${r.lane ?? '?'}) |`,
  );
}
const stages = ['total', 'probe', 'summary', 'noticed', 'build', 'switch', 'served'] as const;
console.log('\n| | n | ' + stages.map((k) => `${k} median`).join(' | ') + ' | total p95 |');
console.log('| --- | --- | ' + stages.map(() => '---').join(' | ') + ' | --- |');
for (const [label, rows] of [
  ['down', results.filter((r) => r.what.endsWith('down'))],
  ['recovered', results.filter((r) => r.what.endsWith('recovered'))],
  ['all', results],
] as const) {
  console.log(
    `| ${label} | ${rows.length} | ${stages.map((k) => s(median(rows.map((r) => r[k])))).join(' | ')} | ${s(
      percentile(
        rows.map((r) => r.total),
        0.95,
      ),
    )} |`,
  );
}
// Every event, relative to the start, for reading a run in detail.
mkdirSync(join(PROJECT, 'bench', 'out'), { recursive: true });
const relEvents = (xs: object[]) =>
  xs.map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, typeof v === 'number' && v > 1e12 ? Number(rel(v)) : v])));
writeFileSync(
  join(PROJECT, 'bench', 'out', `detect-events-${MODE}${values.stagger ? '-stagger' : ''}.json`),
  `${JSON.stringify({ mode: MODE, stagger: values.stagger, interval: INTERVAL_S, seed: SEED, probes: relEvents(probes), publishes: relEvents(publishes), notices: relEvents(notices), observations: relEvents(observations.filter((o, i, all) => i === 0 || all[i - 1]!.state !== o.state)), results }, null, 1)}\n`,
);
if (failure) {
  console.error(`\nbench:detect failed: ${failure.message}`);
  process.exitCode = 1;
}
process.exit();
