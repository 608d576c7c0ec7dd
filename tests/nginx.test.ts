/**
 * Debian's nginx with the configuration shipped in deploy/nginx/, serving a
 * release made by the real `npm run publish`, on loopback (issue 14): status
 * codes, content types, caching, the precompressed bytes actually sent,
 * CORS and security headers for every kind of output; and a publish and a
 * rollback switching releases while requests run, with none failing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listFiles, SAMPLE_EPOCH } from './helpers/build-site.ts';
import { fetchRaw, startNginx, type NginxRig } from './helpers/nginx-rig.ts';

const target = mkdtempSync(join(tmpdir(), 'nginx-target-'));
const cache = mkdtempSync(join(tmpdir(), 'nginx-cache-'));
let rig: NginxRig;

function publish(epoch: number, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', 'publish', '--', '--to', target, '--allow-sample', ...args], {
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', SOURCE_DATE_EPOCH: String(epoch), STATUS_CACHE_DIR: cache },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

const current = () => join(target, 'current');

beforeAll(async () => {
  const first = await publish(Number(SAMPLE_EPOCH));
  if (first.code !== 0) throw new Error(first.output);
  rig = await startNginx({ root: current() });
});
afterAll(async () => {
  await rig?.stop();
});

const SECURITY = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'strict-transport-security': 'max-age=31536000',
};
const SHORT_HTML = 'public, max-age=30';
const SHORT_DATA = 'public, max-age=60';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Every kind of output: address, file in the release, type, caching, cross-origin readable. */
function outputs(): [string, string, string, string, boolean][] {
  const css = listFiles(join(current(), '_astro')).find((f) => f.endsWith('.css'))!;
  const incident = readdirSync(join(current(), 'incidents')).find((d) => /^\d{4}-/.test(d))!;
  return [
    ['/', 'index.html', 'text/html; charset=utf-8', SHORT_HTML, false],
    [`/incidents/${incident}/`, `incidents/${incident}/index.html`, 'text/html; charset=utf-8', SHORT_HTML, false],
    ['/components/c2s/', 'components/c2s/index.html', 'text/html; charset=utf-8', SHORT_HTML, false],
    ['/subscribe/', 'subscribe/index.html', 'text/html; charset=utf-8', SHORT_HTML, false],
    [`/_astro/${css}`, `_astro/${css}`, 'text/css; charset=utf-8', IMMUTABLE, false],
    ['/feeds/all.atom', 'feeds/all.atom', 'application/atom+xml; charset=utf-8', SHORT_DATA, true],
    ['/feeds/all.xml', 'feeds/all.xml', 'application/rss+xml; charset=utf-8', SHORT_DATA, true],
    ['/feeds/components/c2s.atom', 'feeds/components/c2s.atom', 'application/atom+xml; charset=utf-8', SHORT_DATA, true],
    ['/feeds/components/c2s.xml', 'feeds/components/c2s.xml', 'application/rss+xml; charset=utf-8', SHORT_DATA, true],
    ['/maintenance.ics', 'maintenance.ics', 'text/calendar; charset=utf-8', SHORT_DATA, true],
    ['/api/v2/summary.json', 'api/v2/summary.json', 'application/json; charset=utf-8', SHORT_DATA, true],
    ['/api/v2/incidents/unresolved.json', 'api/v2/incidents/unresolved.json', 'application/json; charset=utf-8', SHORT_DATA, true],
    ['/api/outage.json', 'api/outage.json', 'application/json; charset=utf-8', SHORT_DATA, true],
    ['/badges/status.svg', 'badges/status.svg', 'image/svg+xml; charset=utf-8', SHORT_DATA, true],
    ['/badges/components/c2s-uptime.svg', 'badges/components/c2s-uptime.svg', 'image/svg+xml; charset=utf-8', SHORT_DATA, true],
  ];
}

describe('every kind of output, as nginx serves it', () => {
  test('status, type, caching, CORS and security headers; the bytes sent are the file, its .br or its .gz', async () => {
    const seen: string[] = [];
    for (const [path, file, type, cache, cors] of outputs()) {
      const plain = readFileSync(join(current(), file));
      const variants: [Record<string, string>, string | undefined, string][] = [
        [{}, undefined, file],
        [{ 'accept-encoding': 'gzip' }, 'gzip', `${file}.gz`],
        [{ 'accept-encoding': 'gzip, deflate, br' }, 'br', `${file}.br`],
      ];
      for (const [headers, encoding, sent] of variants) {
        // Small files have no compressed siblings and go out as they are.
        const hasSibling = encoding === undefined || readdirSync(join(current(), file, '..')).includes(sent.split('/').pop()!);
        const res = await fetchRaw(rig, path, { headers });
        const where = `${path} ${JSON.stringify(headers)}`;
        expect(res.status, where).toBe(200);
        expect(res.headers['content-type'], where).toBe(type);
        expect(res.headers['cache-control'], where).toBe(cache);
        expect(res.headers['content-encoding'], where).toBe(hasSibling ? encoding : undefined);
        const expected = hasSibling ? readFileSync(join(current(), sent)) : plain;
        expect(res.body.equals(expected), `${where}: body is ${sent}`).toBe(true);
        expect(Number(res.headers['content-length']), where).toBe(expected.length);
        // Caches must keep one copy per encoding of anything that has several.
        if (existsSync(join(current(), `${file}.br`))) expect(res.headers.vary, where).toBe('Accept-Encoding');
        expect(res.headers['access-control-allow-origin'], where).toBe(cors ? '*' : undefined);
        for (const [name, value] of Object.entries(SECURITY)) expect(res.headers[name], `${where} ${name}`).toBe(value);
        expect(res.headers.server, where).toBe('nginx');
        if (hasSibling && encoding) seen.push(encoding);
      }
    }
    // The precompressed path was really exercised for both encodings.
    expect(seen.filter((e) => e === 'br').length).toBeGreaterThan(10);
    expect(seen.filter((e) => e === 'gzip').length).toBeGreaterThan(10);
  });

  test("a missing address gets the site's 404 page with the security headers", async () => {
    for (const path of ['/no-such-page/', '/api/v2/no-such.json', '/feeds/nope.atom']) {
      const res = await fetchRaw(rig, path, { headers: { 'accept-encoding': 'br' } });
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body.equals(readFileSync(join(current(), '404.html.br'))), path).toBe(true);
      for (const [name, value] of Object.entries(SECURITY)) expect(res.headers[name], `${path} ${name}`).toBe(value);
    }
    // The 404 page itself is not an address.
    expect((await fetchRaw(rig, '/404.html')).status).toBe(404);
  });

  test("a folder without its slash is redirected relatively, keeping the reader's host", async () => {
    const res = await fetchRaw(rig, '/incidents');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/incidents/');
  });

  test("a browser's CORS preflight for the API and feeds is answered", async () => {
    for (const path of ['/api/v2/summary.json', '/feeds/all.atom']) {
      const res = await fetchRaw(rig, path, { method: 'OPTIONS', headers: { origin: 'https://www.jabber.org', 'access-control-request-method': 'GET' } });
      expect(res.status, path).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
    }
  });

  test('plain HTTP is sent to HTTPS', async () => {
    const res = await fetchRaw(rig, '/api/v2/summary.json?x=1', { plain: true });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('https://127.0.0.1/api/v2/summary.json?x=1');
  });

  test('no page needs anything the Content-Security-Policy forbids (no inline scripts or styles, no other origins)', () => {
    const pages = listFiles(current()).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(20);
    for (const page of pages) {
      const html = readFileSync(join(current(), page), 'utf8');
      expect(html, page).not.toMatch(/<style|\sstyle=|\son[a-z]+=|<iframe|<form/i);
      // Scripts only as external files of this site, which script-src 'self' allows (issue 12).
      for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? [])
        expect(tag, page).toMatch(/^<script src="\/_astro\/[^"]+\.js" defer><\/script>$/);
      // Stylesheets, images and fonts come from this site only.
      for (const m of html.matchAll(/<(?:link|img|source)\b[^>]*\b(?:href|src)="([^"]+)"/g)) {
        const tag = m[0];
        if (/rel="(alternate|canonical|icon)"/.test(tag) && !/stylesheet/.test(tag)) continue;
        expect(m[1], `${page}: ${tag}`).toMatch(/^\/(?!\/)|^data:/);
      }
    }
  });
});

describe('switching releases while readers are reading', () => {
  test('no request fails or sees a mix while a publish and a rollback switch releases', async () => {
    const before = readlinkSync(current());
    // The bytes each release serves for the home page and the summary (brotli).
    const bodies = new Set<string>();
    const remember = (release: string) => {
      for (const f of ['index.html.br', 'api/v2/summary.json.br']) bodies.add(readFileSync(join(target, release, f)).toString('base64'));
    };
    remember(before);

    const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: rig.ca });
    const get = (path: string) =>
      new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: rig.httpsPort, path, agent, servername: 'status.jabber.org', headers: { 'accept-encoding': 'br' } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end();
      });

    let stop = false;
    const results: { path: string; status: number; body: Buffer }[] = [];
    const errors: string[] = [];
    const loop = async (path: string) => {
      // Bounded: stops when told, and after 20,000 requests whatever happens.
      for (let i = 0; i < 20_000 && !stop; i++) {
        try {
          results.push({ path, ...(await get(path)) });
        } catch (err) {
          errors.push(`${path}: ${(err as Error).message}`);
        }
      }
    };
    const loops = [loop('/'), loop('/api/v2/summary.json'), loop('/'), loop('/api/v2/summary.json')];

    const published = await publish(Number(SAMPLE_EPOCH) + 86_400);
    const after = readlinkSync(current());
    remember(after);
    const countAtSwitch = results.length;
    // Keep reading a little on the new release, then roll back under load too.
    await new Promise((r) => setTimeout(r, 300));
    const rolled = await publish(Number(SAMPLE_EPOCH) + 86_400, '--rollback');
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(loops);
    agent.destroy();

    expect(published.code, published.output).toBe(0);
    expect(rolled.code, rolled.output).toBe(0);
    expect(after).not.toBe(before);
    expect(readlinkSync(current())).toBe(before);
    expect(errors).toEqual([]);
    expect(results.length).toBeGreaterThan(countAtSwitch);
    expect(results.length).toBeGreaterThan(100);
    const bad = results.filter((r) => r.status !== 200 || !bodies.has(r.body.toString('base64')));
    expect(bad.map((r) => `${r.path} ${r.status} ${r.body.length} B`)).toEqual([]);
    // Both releases were really served during the run.
    const served = new Set(results.filter((r) => r.path === '/').map((r) => r.body.toString('base64')));
    expect(served.size).toBe(2);
  });
});

test('the shipped server blocks pass nginx -t as written apart from ports and paths', () => {
  // startNginx ran `nginx -t` on them before starting; this guards that the
  // snippets nginx read are the shipped files, byte for byte.
  for (const name of ['site.conf', 'headers.conf', 'cors.conf']) {
    expect(readFileSync(join(rig.prefix, 'snippets', 'jabber-status', name), 'utf8')).toBe(
      readFileSync(join('deploy', 'nginx', 'snippets', 'jabber-status', name), 'utf8'),
    );
  }
});
