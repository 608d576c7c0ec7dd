/**
 * `npm run doctor` shown passing and failing (issue 25), as its own process,
 * on a site emptied by `npm run site:empty` with one probe host on loopback.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SAMPLE_EPOCH } from './helpers/build-site.ts';

const root = mkdtempSync(join(tmpdir(), 'doctor-root-'));
const site = mkdtempSync(join(tmpdir(), 'doctor-site-'));
const nowIso = new Date(Number(SAMPLE_EPOCH) * 1000).toISOString();
let server: Server;

function doctor(): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', 'doctor', '--', '--site', site, '--root', root], {
    env: {
      ...process.env,
      SOURCE_DATE_EPOCH: SAMPLE_EPOCH,
      STATUS_CACHE_DIR: join(root, '.cache'),
      NOTIFY_XMPP_PASSWORD: 'x',
      NOTIFY_SMTP_PASSWORD: 'x',
      ALERT_WEBHOOK_URL: 'https://hooks.example.net/alerts',
    },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

beforeAll(async () => {
  const summary = readFileSync('content/probe-sample/ams.json', 'utf8').replace(/"generatedAt":"[^"]+"/, `"generatedAt":"${nowIso.replace('.000Z', 'Z')}"`);
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(summary));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  cpSync('content', join(root, 'content'), { recursive: true });
  cpSync('incidents', join(root, 'incidents'), { recursive: true });
  const emptied = spawnSync('npm', ['run', '--silent', 'site:empty', '--', '--root', root], { encoding: 'utf8' });
  if (emptied.status !== 0) throw new Error(emptied.stdout + emptied.stderr);
  const yaml = readFileSync(join(root, 'content/site.yaml'), 'utf8').replace(
    /^  sources: \[\]$/m,
    `  sources:\n    - { name: ams, url: "http://127.0.0.1:${port}/summary.json" }`,
  );
  writeFileSync(join(root, 'content/site.yaml'), yaml);
  mkdirSync(join(site, 'releases'));
  writeFileSync(
    join(site, 'publish-status.json'),
    JSON.stringify({ ranAt: nowIso, result: 'unchanged', lastSuccessAt: nowIso, live: null, commit: null, hold: null, alerts: [] }),
  );
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  for (const d of [root, site]) rmSync(d, { recursive: true, force: true });
});

test('a healthy deployment passes, one line per check', async () => {
  const result = await doctor();
  expect(result.code, result.output).toBe(0);
  const lines = result.output.trim().split('\n');
  expect(lines.map((l) => l.slice(0, 6).trim() + ' ' + l.slice(6).split(/\s{2,}/)[0])).toEqual([
    'ok content',
    'ok sample',
    'ok probe ams',
    'ok directory',
    'ok notify',
    'ok alerts',
    'ok publish loop',
    'ok hold',
    'ok ownership',
    expect.stringMatching(/^(ok|skip) clock$/),
  ]);
  console.log(result.output);
}, 60_000);

test('a hold, a failing publish loop and a stale probe each fail with their fix, exit 1', async () => {
  writeFileSync(join(site, 'HOLD'), JSON.stringify({ since: '2026-11-21T11:40:00.000Z', reason: 'rolled back from b to a', commit: '2d14e837ba15aaaa' }));
  writeFileSync(
    join(site, 'publish-status.json'),
    JSON.stringify({
      ranAt: nowIso,
      result: 'failed',
      lastSuccessAt: '2026-11-21T11:40:00.000Z',
      live: null,
      commit: null,
      hold: null,
      alerts: [{ key: 'publish-failed:ENOSPC', text: 'The disk holding /srv/jabber-status/site is full.' }],
    }),
  );
  server.removeAllListeners('request');
  server.on('request', (_req, res) => res.writeHead(503).end());
  rmSync(join(root, '.cache'), { recursive: true, force: true });
  const result = await doctor();
  expect(result.code).toBe(1);
  expect(result.output).toMatch(/^FAIL {2}probe ams +no data: .*Fix: on that probe host/m);
  expect(result.output).toMatch(/^FAIL {2}publish loop +last run 0 s ago: failed; last success 20 min ago\. Fix: journalctl -u jabber-status-publish/m);
  expect(result.output).toMatch(/^FAIL {2}publish alert +The disk holding \/srv\/jabber-status\/site is full\./m);
  expect(result.output).toMatch(
    /^FAIL {2}hold +in place since 2026-11-21T11:40:00\.000Z \(rolled back from b to a\); the page is rebuilt from 2d14e837ba15\. Fix: npm run publish -- --to /m,
  );
  console.log(result.output);
}, 60_000);
