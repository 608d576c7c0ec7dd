/**
 * Monitoring data fetched at build time from a probe host that then goes
 * down: the build keeps working, uses the last good copy, and the page says
 * how old it is. The probe host is a real HTTP server on loopback.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildSiteAsync, pageText, SAMPLE_EPOCH } from './helpers/build-site.ts';

let server: Server;
let port: number;
let served: string | null = readFileSync('content/probe-sample/ams.json', 'utf8');
let requests = 0;
const root = mkdtempSync(join(tmpdir(), 'monitoring-root-'));
const cache = mkdtempSync(join(tmpdir(), 'monitoring-cache-'));

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    if (served === null) res.writeHead(503).end('down for maintenance');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(served);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  mkdirSync(join(root, 'content/updates'), { recursive: true });
  writeFileSync(join(root, 'content/updates/2026-11-21.md'), '---\nauthor: T\nsummary: Fine.\n---\nText.\n');
  const site = readFileSync('content/site.yaml', 'utf8').replace(
    /  sources:\n(    - .*\n)+/,
    `  sources:\n    - { name: ams, url: "http://127.0.0.1:${port}/summary.json" }\n`,
  );
  writeFileSync(join(root, 'content/site.yaml'), site);
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const build = (epoch: string) => buildSiteAsync({ contentRoot: root, epoch, env: { STATUS_CACHE_DIR: cache } });

test('a live source is used and cached; after it goes down the cached copy is used, named and dated', async () => {
  const first = await build(SAMPLE_EPOCH);
  expect(first.code, first.output).toBe(0);
  // The home page says it in one quiet line (issue 12); component pages give the details.
  expect(pageText(first.outDir, 'index.html')).toContain('Monitoring from 1 location, newest data 2026-11-21 12:00 UTC · details');
  const fresh = pageText(first.outDir, 'components/c2s/index.html');
  expect(fresh).toContain('Monitoring data last refreshed 2026-11-21 12:00 UTC from 1 location (ams).');
  expect(fresh).not.toContain('could not be fetched');
  expect(JSON.parse(readFileSync(join(cache, 'ams.json'), 'utf8')).vantage).toBe('ams');

  // The probe host goes down; three hours later the site is rebuilt.
  served = null;
  requests = 0;
  const later = String(Number(SAMPLE_EPOCH) + 3 * 3600);
  const second = await build(later);
  expect(second.code, second.output).toBe(0);
  expect(requests).toBe(2); // one retry
  expect(second.output).toContain(
    `[monitoring] ams: could not fetch http://127.0.0.1:${port}/summary.json (HTTP 503); using the last good copy, generated 2026-11-21T12:00:00Z`,
  );
  const home = pageText(second.outDir, 'index.html');
  expect(home).toContain('2 notices · details');
  // Three-hour-old data is not evidence that anything is up.
  expect(home).toContain('Status partly unknown');
  const stale = pageText(second.outDir, 'components/c2s/index.html');
  expect(stale).toContain('Monitoring data from ams is 3 h old.');
  expect(stale).toContain('The latest data from ams could not be fetched; showing the last good copy.');
  expect(stale).toContain('Now: ? Unknown');
});

test('a truncated summary never breaks the build: the reason is logged and the last good copy used', async () => {
  served = readFileSync('content/probe-sample/ams.json', 'utf8').slice(0, 5000);
  const result = await build(SAMPLE_EPOCH);
  expect(result.code, result.output).toBe(0);
  expect(result.output).toContain('is not valid JSON (truncated or not a summary); using the last good copy');
});

test('a summary of an unknown format version is named, not guessed at', async () => {
  served = JSON.stringify({ v: 4, anything: true });
  const result = await build(SAMPLE_EPOCH);
  expect(result.code).toBe(0);
  expect(result.output).toContain('has format version 4; this build reads versions 1, 2 and 3; using the last good copy');
});

test('hostile sources never break the build, and readers see fixed words: no paths, URLs, credentials or stack text', async () => {
  // ams: its URL carries credentials and redirects to another origin; fra: a
  // summary dated an hour ahead; nyc: raw logs with a line over the 256 KiB cap.
  const hostileRoot = mkdtempSync(join(tmpdir(), 'monitoring-hostile-'));
  mkdirSync(join(hostileRoot, 'content/updates'), { recursive: true });
  writeFileSync(join(hostileRoot, 'content/updates/2026-11-21.md'), '---\nauthor: T\nsummary: Fine.\n---\nText.\n');
  mkdirSync(join(hostileRoot, 'probe-data/nyc'), { recursive: true });
  const line = (at: string) =>
    JSON.stringify({
      v: 1,
      at,
      vantage: 'nyc',
      domain: 'jabber.org',
      check: 'c2s-starttls',
      target: 'hermes2.jabber.org:5222',
      ok: true,
      ms: 90,
      attempts: 1,
      detail: {},
    });
  writeFileSync(join(hostileRoot, 'probe-data/nyc/2026-11-21.jsonl'), `${line('2026-11-21T11:59:00.000Z')}\n${'x'.repeat(300 * 1024)}\n`);
  const future = JSON.parse(readFileSync('content/probe-sample/fra.json', 'utf8'));
  future.generatedAt = '2026-11-21T13:00:00Z';
  let amsAuth: string | undefined;
  const hostile = createServer((req, res) => {
    if (req.url === '/ams.json') amsAuth = req.headers.authorization;
    if (req.url === '/ams.json') res.writeHead(302, { location: 'http://evil.example:81/ams.json' }).end();
    else res.writeHead(200).end(JSON.stringify(future));
  });
  await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
  const hostilePort = (hostile.address() as { port: number }).port;
  const site = readFileSync('content/site.yaml', 'utf8').replace(
    /  sources:\n(    - .*\n)+/,
    `  sources:\n    - { name: ams, url: "http://probe:s3cret@127.0.0.1:${hostilePort}/ams.json" }\n    - { name: fra, url: "http://127.0.0.1:${hostilePort}/fra.json" }\n    - { name: nyc, path: probe-data }\n`,
  );
  writeFileSync(join(hostileRoot, 'content/site.yaml'), site);
  try {
    const result = await buildSiteAsync({
      contentRoot: hostileRoot,
      epoch: SAMPLE_EPOCH,
      env: { STATUS_CACHE_DIR: mkdtempSync(join(tmpdir(), 'monitoring-cache-')) },
    });
    expect(result.code, result.output).toBe(0);
    // The build log keeps the details (without the password).
    expect(result.output).toContain(
      `[monitoring] ams: http://127.0.0.1:${hostilePort}/ams.json redirects to another origin (http://evil.example:81/), which is not followed.`,
    );
    expect(result.output).toContain(
      `[monitoring] fra: http://127.0.0.1:${hostilePort}/fra.json is dated 2026-11-21T13:00:00Z, 60 min ahead of this build's clock`,
    );
    expect(result.output).toContain('1 line(s) longer than 256 KiB skipped');
    expect(result.output).not.toContain('s3cret');
    // The URL's credentials went to the source's own origin as HTTP auth.
    expect(amsAuth).toBe(`Basic ${btoa('probe:s3cret')}`);
    expect(pageText(result.outDir, 'index.html')).toContain('Monitoring from 1 location, newest data 2026-11-21 12:00 UTC · 2 notices · details');
    for (const page of ['components/c2s/index.html', 'components/s2s/index.html']) {
      const text = pageText(result.outDir, page);
      expect(text).toContain('Monitoring data last refreshed 2026-11-21 12:00 UTC from 1 location (nyc).');
      expect(text).toContain('No monitoring data from ams: the latest data is published at another site, which this site does not follow.');
      expect(text).toContain("No monitoring data from fra: the latest data is dated in the future (the probe host's clock is ahead), so it was ignored.");
      for (const secret of [hostileRoot, 'probe-data', 's3cret', '127.0.0.1', 'evil.example', 'Error', '    at '])
        expect(text, `${page} shows ${secret}`).not.toContain(secret);
    }
  } finally {
    hostile.closeAllConnections();
    await new Promise<void>((r) => hostile.close(() => r()));
  }
});
