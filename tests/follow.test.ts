/**
 * The watcher (`npm run publish:follow`, src/lib/release/follow-io.ts,
 * issue 28) against a real probe host: Debian's nginx with the shipped
 * deploy/nginx/probe-summary.conf serving a summary written the way
 * `npm run probe:summary` writes it (writeSummaryFile, a rename). The
 * publish command is a small recorder that notes when it starts and ends
 * and takes 5 s, so the test sees exactly how often and when the watcher
 * runs it; the real `npm run publish` behind the watcher is measured end to
 * end by `npm run bench:detect -- --follow`.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { writeSummaryFile } from '../src/lib/monitoring/probe-sources-io.ts';
import { makeSampleSummary } from '../src/lib/monitoring/sample-summaries.ts';
import { follow } from '../src/lib/release/follow-io.ts';
import { freePort } from './helpers/free-port.ts';
import { startProbeSummaryNginx, type ProbeSummaryNginx } from './helpers/probe-summary-nginx-rig.ts';
import { until } from './helpers/until.ts';

const PROJECT = join(import.meta.dirname, '..');
const POLL_MS = 1000;

/**
 * fetch over node:https trusting the rig's certificate (the watcher's own
 * process gets it from NODE_EXTRA_CA_CERTS, which is read only at start-up).
 * It asks for the body as it is (no gzip), so the bytes need no unpacking;
 * the watcher's own fetch, which asks for gzip and gets nginx's weak ETag,
 * is what `npm run bench:detect -- --follow` runs.
 */
function fetchTrusting(ca: string): typeof globalThis.fetch {
  return ((input: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers = { 'accept-encoding': 'identity', ...(init?.headers as Record<string, string> | undefined) };
      const req = httpsRequest(url, { method: 'GET', headers, ca, signal: init?.signal ?? undefined }, (res) => {
        const out = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v);
        const noBody = res.statusCode === 304 || res.statusCode === 204;
        if (noBody) res.resume();
        resolve(new Response(noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status: res.statusCode, headers: out }));
      });
      req.on('error', reject);
      req.end();
    })) as typeof globalThis.fetch;
}

let dir: string;
let ams: ProbeSummaryNginx;
let deadPort: number;
const log: { at: number; line: string }[] = [];
const runsFile = () => join(dir, 'runs.txt');
/** The recorder's lines: `start <ms>` and `end <ms>`, one pair per run. */
const runs = () => {
  try {
    return readFileSync(runsFile(), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};
const starts = () => runs().filter((l) => l.startsWith('start')).length;
const ends = () => runs().filter((l) => l.startsWith('end')).length;
const summaryPath = () => join(dir, 'www', 'summary.json');
/** Summaries made before the clock starts: making one takes a second or two of this process's CPU, which would stall the watcher running here too. */
const summaries = Array.from({ length: 12 }, (_, i) => makeSampleSummary('ams', i + 1));
/** A new summary on the probe host, as probe:summary writes it (a rename); returns when it is in place. */
const writeNewSummary = () => {
  writeSummaryFile(summaryPath(), summaries.shift()!);
  return Date.now();
};
const controller = new AbortController();
let following: Promise<void>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'follow-test-'));
  mkdirSync(join(dir, 'www'));
  mkdirSync(join(dir, 'content'));
  writeNewSummary();
  ams = await startProbeSummaryNginx({ root: join(dir, 'www') });
  deadPort = await freePort();
  // The project's own site.yaml, with two sources: ams on the rig, fra on a port nobody listens on.
  const site = parseYaml(readFileSync(join(PROJECT, 'content/site.yaml'), 'utf8')) as { probes: Record<string, unknown> };
  site.probes.sources = [
    { name: 'ams', url: ams.url },
    { name: 'fra', url: `https://127.0.0.1:${deadPort}/summary.json` },
  ];
  writeFileSync(join(dir, 'content', 'site.yaml'), stringifyYaml(site));
  const recorder =
    "const fs = require('fs'); fs.appendFileSync(process.argv[1], 'start ' + Date.now() + '\\n'); setTimeout(() => fs.appendFileSync(process.argv[1], 'end ' + Date.now() + '\\n'), 5000);";
  following = follow({
    contentRoot: dir,
    pollMs: POLL_MS,
    everyMs: 3_600_000,
    retryMs: 1000,
    repeatMs: 300_000,
    timeoutMs: 3000,
    publish: [process.execPath, '-e', recorder, runsFile()],
    after: [],
    cwd: dir,
    env: process.env,
    log: (line) => {
      log.push({ at: Date.now(), line });
      appendFileSync(join(dir, 'follow.log'), `${line}\n`);
    },
    signal: controller.signal,
    fetch: fetchTrusting(readFileSync(ams.caFile, 'utf8')),
  });
  // The first look at each source publishes once.
  await until('the first publish to end', () => ends() === 1, 30_000);
}, 60_000);

afterAll(async () => {
  controller.abort();
  await following;
  await ams?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run publish:follow against nginx serving a probe summary', () => {
  test('it sees a new summary within two poll periods and publishes at once', async () => {
    await until('the watcher to be idle', () => starts() === ends());
    const before = starts();
    // Another second on the clock, so nginx's ETag (mtime and size) surely differs too.
    await sleep(1100);
    const written = writeNewSummary();
    await until('the watcher to notice', () => log.some((l) => l.at >= written && l.line.startsWith('Noticed a new summary from ams')), 10_000);
    const noticed = log.find((l) => l.at >= written && l.line.startsWith('Noticed a new summary from ams'))!;
    expect(noticed.at - written).toBeLessThanOrEqual(2 * POLL_MS);
    await until('the publish to start', () => starts() === before + 1);
    await until('the publish to end', () => starts() === ends());
  });

  test('its polls are conditional: nginx answers 304 while the summary is unchanged', async () => {
    const before = ams.accessLines().length;
    await sleep(3.5 * POLL_MS);
    const lines = ams
      .accessLines()
      .slice(before)
      .filter((l) => l.includes('"GET /summary.json '));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    // Every poll of an unchanged file is a 304 with no body.
    expect(lines.every((l) => / 304 0 /.test(l))).toBe(true);
  });

  test('a burst of four new summaries during a publish causes exactly one more run, never two at once', async () => {
    await until('the watcher to be idle', () => starts() === ends());
    const before = starts();
    await sleep(1100);
    writeNewSummary();
    await until('the publish for the first change to start', () => starts() === before + 1);
    // Three more while it runs (5 s), each in a new second.
    for (let i = 0; i < 3; i++) {
      await sleep(1050);
      writeNewSummary();
    }
    await until('the runs to settle', () => starts() === ends() && starts() >= before + 2, 20_000);
    // Time for any extra run to show itself.
    await sleep(3 * POLL_MS);
    expect(starts() - before).toBe(2);
    // start/end alternate: never two at once.
    const kinds = runs().map((l) => l.split(' ')[0]);
    expect(kinds.every((k, i) => k === (i % 2 === 0 ? 'start' : 'end'))).toBe(true);
    expect(log.some((l) => l.line.startsWith('Changes arrived during the publish (new summary from ams); publishing once more.'))).toBe(true);
  });

  test('a rewrite with the same bytes is not a new summary', async () => {
    await until('the watcher to be idle', () => starts() === ends());
    const before = starts();
    const same = readFileSync(summaryPath());
    await sleep(1100);
    // New mtime, so nginx sends 200 with a new ETag; the bytes are the same.
    writeFileSync(`${summaryPath()}.tmp`, same);
    renameSync(`${summaryPath()}.tmp`, summaryPath());
    await sleep(3 * POLL_MS);
    expect(starts()).toBe(before);
  });

  test('a source that does not answer is said once, as a sentence, and the others are still followed', () => {
    const said = log.filter((l) => l.line.startsWith('Could not poll fra'));
    expect(said).toHaveLength(1);
    expect(said[0]!.line.replaceAll(String(deadPort), 'PORT')).toMatchInlineSnapshot(
      `"Could not poll fra (https://127.0.0.1:PORT/summary.json): connect ECONNREFUSED 127.0.0.1:PORT. The site keeps showing its last good copy until it is too old, then "unknown", and the admins get the stale-source alert. Check the probe host: its nginx and jabber-status-probe.timer (systemctl status jabber-status-probe.timer)."`,
    );
    expect(log.filter((l) => l.line.startsWith('Noticed a new summary from ams')).length).toBeGreaterThanOrEqual(2);
  });
});
