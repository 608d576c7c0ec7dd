/**
 * Issue 10, class 8: probe sources are hostile until proven otherwise.
 * Real HTTP servers on loopback serve what a broken or malicious probe host
 * could: an endless body, a lying Content-Length, a redirect to another
 * origin, a summary from the future, a day in year 0, a certificate date
 * that is not a date. The loader must bound what it reads, refuse what it
 * cannot trust, say why in the log and in fixed words on the page, and the
 * merge must stay bounded whatever the summary holds.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadProbeSources, type LoadedSource } from '../../src/lib/monitoring/probe-sources-io.ts';
import { mergeProbes } from '../../src/lib/monitoring/merge-probes.ts';
import { describeFreshness } from '../../src/lib/monitoring/source-freshness.ts';
import { SummaryBuilder } from '../../src/lib/monitoring/probe-summary.ts';
import { ProbeRecordSchema, ProbeSourceSchema, ProbeSummarySchema, type ProbeSummary } from '../../src/lib/schemas.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const SAMPLE = readFileSync('content/probe-sample/ams.json', 'utf8');
const MAPPING = new Map([['c2s', [{ domain: 'jabber.org', check: 'c2s-starttls' as const }]]]);
const MERGE = { now: NOW, intervalSeconds: 60, quorum: 0.5, slaTarget: 99.9, maintenance: new Map() };

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end(SAMPLE);
let other: Handler = (_req, res) => res.end(SAMPLE);
let server: Server;
let otherServer: Server;
let base = '';
let otherBase = '';
let otherRequests = 0;

async function listen(h: () => Handler): Promise<[Server, string]> {
  const s = createServer((req, res) => h()(req, res));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return [s, `http://127.0.0.1:${(s.address() as { port: number }).port}`];
}

beforeAll(async () => {
  [server, base] = await listen(() => handler);
  [otherServer, otherBase] = await listen(() => (req, res) => {
    otherRequests++;
    other(req, res);
  });
});
afterAll(async () => {
  server.closeAllConnections();
  otherServer.closeAllConnections();
  await Promise.all([server, otherServer].map((s) => new Promise<void>((r) => s.close(() => r()))));
});

const source = (url: string, extra: Record<string, unknown> = {}) => ProbeSourceSchema.parse({ name: 'ams', url, ...extra });
async function load(url: string, extra: Record<string, unknown> = {}, options: { maxBytes?: number; cacheDir?: string } = {}): Promise<LoadedSource> {
  const [loaded] = await loadProbeSources([source(url, extra)], {
    root: '.',
    cacheDir: options.cacheDir ?? mkdtempSync(join(tmpdir(), 'hostile-cache-')),
    now: NOW,
    timeoutMs: 3000,
    ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
  });
  return loaded!;
}
const pageNotices = (s: LoadedSource) =>
  describeFreshness(
    [
      {
        name: s.name,
        sample: false,
        origin: s.origin,
        ...(s.reason ? { reason: s.reason } : {}),
        ...(s.summary ? { generatedAt: s.summary.generatedAt } : {}),
      },
    ],
    NOW,
    60,
  ).notices;

/** A valid summary of one check with the given days and last result, through the real schema. */
function summaryWith(over: { generatedAt?: string; lastAt?: string; days?: unknown[]; cert?: unknown }): ProbeSummary {
  return ProbeSummarySchema.parse({
    v: 1,
    generator: 'test',
    generatedAt: over.generatedAt ?? '2026-11-21T11:59:00Z',
    vantage: 'ams',
    checks: [
      {
        domain: 'jabber.org',
        check: 'c2s-starttls',
        days: over.days ?? [],
        recent: { from: '2026-11-19T12:00:00Z', step: 60, runs: [] },
        last: { at: over.lastAt ?? '2026-11-21T11:59:00Z', ok: true, ms: 80, target: 'x:5222' },
        cert: over.cert ?? null,
      },
    ],
  });
}

describe('bodies are streamed and capped', () => {
  test('an endless body is cut off at the cap, and the log says the cap', async () => {
    let sent = 0;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    };
    const loaded = await load(`${base}/endless.json`, {}, { maxBytes: 1024 * 1024 });
    expect(loaded.origin).toBe('none');
    expect(loaded.reason).toBe('too-large');
    expect(loaded.problem).toBe(`${base}/endless.json sent more than the 1 MiB cap for a summary; stopped reading; no earlier copy to fall back on`);
    // The client stopped early: the server got nowhere near, say, 64 MiB out.
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect(pageNotices(loaded)).toEqual(['No monitoring data from ams: the latest data was larger than this site accepts.']);
  });

  test('a declared Content-Length over the cap is refused before reading', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': String(2 * 1024 * 1024) });
      res.write('{');
    };
    const loaded = await load(`${base}/big.json`, {}, { maxBytes: 1024 * 1024 });
    expect(loaded.problem).toBe(`${base}/big.json declares a 2 MiB body, over the 1 MiB cap for a summary; not read; no earlier copy to fall back on`);
  });

  test('a body within the cap is read and used', async () => {
    handler = (_req, res) => res.end(SAMPLE);
    const loaded = await load(`${base}/ok.json`, {}, { maxBytes: 1024 * 1024 });
    expect([loaded.origin, loaded.problem]).toEqual(['url', undefined]);
  });
});

describe('redirects', () => {
  test('a redirect to another origin is refused without contacting it, and named in the log only', async () => {
    otherRequests = 0;
    handler = (_req, res) => res.writeHead(302, { location: `${otherBase.replace('//', '//user:secret@')}/summary.json` }).end();
    const loaded = await load(`${base}/moved.json`);
    expect(otherRequests).toBe(0);
    expect(loaded.reason).toBe('redirected');
    expect(loaded.problem).toBe(
      `${base}/moved.json redirects to another origin (${otherBase}/), which is not followed. Put the final address in content/site.yaml, or set allowCrossOriginRedirects: true on this source; no earlier copy to fall back on`,
    );
    expect(loaded.problem).not.toContain('secret');
    expect(pageNotices(loaded).join(' ')).not.toContain('127.0.0.1');
  });

  test('a redirect to another origin is followed when the source allows it', async () => {
    otherRequests = 0;
    handler = (_req, res) => res.writeHead(301, { location: `${otherBase}/summary.json` }).end();
    const loaded = await load(`${base}/moved.json`, { allowCrossOriginRedirects: true });
    expect([loaded.origin, otherRequests]).toEqual(['url', 1]);
  });

  test('a redirect on the same origin is followed; a loop is stopped', async () => {
    handler = (req, res) => (req.url === '/old.json' ? res.writeHead(307, { location: '/new.json' }).end() : res.end(SAMPLE));
    expect((await load(`${base}/old.json`)).origin).toBe('url');
    handler = (_req, res) => res.writeHead(302, { location: '/loop.json' }).end();
    const loop = await load(`${base}/loop.json`);
    expect(loop.problem).toBe(`could not fetch ${base}/loop.json (more than 5 redirects); no earlier copy to fall back on`);
  });
});

describe('times are checked against the build clock', () => {
  test('a summary dated in the future is refused and the page says so; the cached copy is used instead', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'hostile-cache-'));
    handler = (_req, res) => res.end(SAMPLE);
    expect((await load(`${base}/s.json`, {}, { cacheDir })).origin).toBe('url');
    const future = summaryWith({ generatedAt: '2026-11-21T13:00:00Z', lastAt: '2026-11-21T12:59:00Z' });
    handler = (_req, res) => res.end(JSON.stringify(future));
    const loaded = await load(`${base}/s.json`, {}, { cacheDir });
    expect(loaded.origin).toBe('cache');
    expect(loaded.problem).toBe(
      `${base}/s.json is dated 2026-11-21T13:00:00Z, 60 min ahead of this build's clock (5 min of clock skew allowed); ignored. Check the probe host's clock (NTP); using the last good copy, generated 2026-11-21T12:00:00Z`,
    );
    expect(pageNotices(loaded)).toContain(
      "The latest data from ams is dated in the future (the probe host's clock is ahead), so it was ignored; showing the last good copy.",
    );
  });

  test('a result dated in the future never counts as fresh, even when the summary reaches the merge', () => {
    // The probe host's clock ran an hour fast, then the host died: its last word must not keep c2s green.
    const result = mergeProbes([summaryWith({ generatedAt: '2026-11-21T11:59:00Z', lastAt: '2026-11-21T13:00:00Z' })], MAPPING, MERGE).get('c2s')!;
    expect(result.verdict).toBe('unknown');
    expect(result.latest[0]).toMatchObject({ stale: true, ahead: true });
    // Within the allowed skew it is fresh.
    expect(mergeProbes([summaryWith({ lastAt: '2026-11-21T12:04:00Z' })], MAPPING, MERGE).get('c2s')!.verdict).toBe('up');
  });

  test('a day in year 0 or in the future gives the same bounded page as no such day', async () => {
    const day = (date: string, outage?: [string, string]) => ({
      date,
      samples: 10,
      ok: 9,
      first: `${date}T00:00:00Z`,
      last: `${date}T23:59:00Z`,
      p50: 1,
      p95: 2,
      p99: 3,
      outages: outage ? [outage] : [],
    });
    const normal = [day('2026-11-20'), day('2026-11-21')];
    const hostile = summaryWith({
      days: [
        day('0000-01-01', ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z']),
        day('1970-01-01'),
        ...normal,
        day('2099-01-01', ['2099-01-01T00:00:00Z', '2099-01-02T00:00:00Z']),
      ],
    });
    handler = (_req, res) => res.end(JSON.stringify(hostile));
    const loaded = await load(`${base}/year0.json`);
    expect(loaded.origin).toBe('url');
    const merged = mergeProbes([loaded.summary!], MAPPING, MERGE).get('c2s')!;
    const clean = mergeProbes([summaryWith({ days: normal })], MAPPING, MERGE).get('c2s')!;
    expect(merged).toEqual(clean);
    expect(merged.months.map((m) => m.month)).toEqual(['2026-11']);
    expect(merged.days).toHaveLength(90);
  });

  test('an outage run that claims to last for ever only counts inside its own day', () => {
    const day = {
      date: '2026-11-20',
      samples: 10,
      ok: 9,
      first: '2026-11-20T00:00:00Z',
      last: '2026-11-20T23:59:00Z',
      p50: 1,
      p95: 2,
      p99: 3,
      outages: [['2026-11-20T23:00:00Z', '9999-01-01T00:00:00Z']],
    };
    // The next day is covered and had no outage of its own.
    const next = { ...day, date: '2026-11-21', ok: 10, first: '2026-11-21T00:00:00Z', last: '2026-11-21T11:59:00Z', outages: [] };
    const merged = mergeProbes([summaryWith({ days: [day, next] })], MAPPING, MERGE).get('c2s')!;
    expect(merged.days.find((d) => d.date === '2026-11-20')!.downMinutes).toBe(60);
    expect(merged.days.find((d) => d.date === '2026-11-21')!.downMinutes).toBe(0);
  });
});

describe('every date is validated', () => {
  const cert = {
    subject: 'jabber.org',
    issuer: 'R11',
    validFrom: '2026-10-01T00:00:00Z',
    validTo: '2026-12-30T00:00:00Z',
    daysLeft: 38,
    trusted: true,
    identity: 'DNS-ID',
    names: [],
    fingerprint256: 'AA',
  };

  test.each([
    // field, hostile value
    ['certificate validTo', (s: ProbeSummary) => (s.checks[0]!.cert = { ...cert, validTo: 'soon' } as never), 'checks.0.cert.validTo'],
    [
      'day date',
      (s: ProbeSummary) =>
        (s.checks[0]!.days = [
          { date: '2026-02-30', samples: 1, ok: 1, first: '2026-02-28T00:00:00Z', last: '2026-02-28T00:00:00Z', p50: 1, p95: 1, p99: 1, outages: [] },
        ]),
      'checks.0.days.0.date',
    ],
    [
      'outage instant',
      (s: ProbeSummary) =>
        (s.checks[0]!.days = [
          {
            date: '2026-11-20',
            samples: 1,
            ok: 0,
            first: '2026-11-20T00:00:00Z',
            last: '2026-11-20T00:00:00Z',
            p50: null,
            p95: null,
            p99: null,
            outages: [['yesterday', '2026-11-20T01:00:00Z']],
          },
        ]),
      'checks.0.days.0.outages.0.0',
    ],
    ['last result time', (s: ProbeSummary) => (s.checks[0]!.last.at = '2026-11-21 11:59'), 'checks.0.last.at'],
  ])('a summary whose %s is not a date is refused and the field named', async (_name, spoil, field) => {
    const s = structuredClone(summaryWith({ cert }));
    spoil(s);
    handler = (_req, res) => res.end(JSON.stringify(s));
    const loaded = await load(`${base}/bad-date.json`);
    expect([loaded.origin, loaded.reason]).toEqual(['none', 'invalid']);
    expect(loaded.problem).toContain(`is not a valid summary (${field}: `);
    expect(pageNotices(loaded)).toEqual(['No monitoring data from ams: the latest data could not be read.']);
  });

  test('a probe record whose certificate date is not a date gives a warning on the page, not silence', () => {
    const builder = new SummaryBuilder('ams', NOW);
    builder.add(
      ProbeRecordSchema.parse({
        v: 1,
        at: '2026-11-21T11:59:00Z',
        vantage: 'ams',
        domain: 'jabber.org',
        check: 'c2s-starttls',
        target: 'x:5222',
        ok: true,
        ms: 80,
        attempts: 1,
        detail: { cert: { ...cert, validTo: 'Dec 30 2026' } },
      }),
    );
    const summary = ProbeSummarySchema.parse(builder.finish());
    expect(summary.checks[0]!.cert!.validTo).toBeNull();
    expect(mergeProbes([summary], MAPPING, MERGE).get('c2s')!.cert).toEqual({
      validTo: null,
      daysLeft: null,
      issuer: 'R11',
      trusted: true,
      identity: 'DNS-ID',
    });
  });
});

describe('the merge is bounded', () => {
  test('200,000 outage runs in one summary give the same-sized output as one run', () => {
    const days = [];
    const start = Date.parse('2026-08-24T00:00:00Z');
    let k = 0;
    for (let t = start; t < NOW.getTime(); t += 86_400_000) {
      const outages: [string, string][] = [];
      for (; k < 200_000 && start + k * 38_000 < t + 86_400_000; k++) {
        const s = start + k * 38_000;
        outages.push([new Date(s).toISOString(), new Date(s + 5_000).toISOString()]);
      }
      const date = new Date(t).toISOString().slice(0, 10);
      days.push({
        date,
        samples: 1440 + outages.length,
        ok: 1440,
        first: `${date}T00:00:00Z`,
        last: new Date(Math.min(t + 86_340_000, NOW.getTime() - 60_000)).toISOString(),
        p50: 1,
        p95: 2,
        p99: 3,
        outages,
      });
    }
    const merged = mergeProbes([summaryWith({ days })], MAPPING, { ...MERGE, intervalSeconds: 10 }).get('c2s')!;
    expect(days.reduce((n, d) => n + d.outages.length, 0)).toBeGreaterThan(190_000);
    expect([merged.days.length, merged.months.length, merged.latest.length]).toEqual([90, 4, 1]);
    // Each run counts 10 s (one probe interval): about a quarter of the time is down.
    expect(merged.uptime['30d']).toBeGreaterThan(70);
    expect(merged.uptime['30d']).toBeLessThan(80);
  });
});
