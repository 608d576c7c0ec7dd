/**
 * The probe CLI against real servers on loopback: Prosody (XMPP), dnsmasq
 * (SRV records) and a Node HTTPS/HTTP site, all started here. Each
 * certificate variant is a Prosody VirtualHost, chosen by SNI / stream `to`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseProbeLog } from '../src/lib/monitoring/probe-log.ts';
import type { ProbeRecord } from '../src/lib/schemas.ts';
import { startDnsmasq, type DnsRig } from './helpers/dnsmasq-rig.ts';
import { freePort } from './helpers/free-port.ts';
import { startProsody, type ProsodyRig } from './helpers/prosody-rig.ts';

let prosody: ProsodyRig;
let dns: DnsRig;
let root: string;
const servers: Server[] = [];
let httpsPort: number;
let httpPort: number;

/** SRV records pointing every test domain at the one Prosody. */
function srvFor(domain: string, rig: ProsodyRig) {
  return [
    { name: `_xmpp-client._tcp.${domain}`, target: 'xmpp.test', port: rig.ports.c2s },
    { name: `_xmpps-client._tcp.${domain}`, target: 'xmpp.test', port: rig.ports.directTls },
    { name: `_xmpp-server._tcp.${domain}`, target: 'xmpp.test', port: rig.ports.s2s },
  ];
}

beforeAll(async () => {
  prosody = await startProsody();
  dns = await startDnsmasq({
    srv: [
      ...['xmpp.test', 'xmpponly.test', 'selfsigned.test', 'expired.test', 'wrongname.test', 'closed.test'].flatMap((d) => srvFor(d, prosody)),
      // nodirect.test says "no direct TLS here" with a "." target.
      { name: '_xmpp-client._tcp.nodirect.test', target: 'xmpp.test', port: prosody.ports.c2s },
      { name: '_xmpps-client._tcp.nodirect.test', target: '.' },
    ],
    // nosrv.test has an address but no SRV records: the probe falls back to :5222.
    hosts: ['xmpp.test', 'nosrv.test', 'nodirect.test'],
  });
  // The service's website: a real HTTPS server with the CA-signed certificate,
  // and plain HTTP that redirects to it.
  httpsPort = await freePort();
  httpPort = await freePort();
  const tlsOptions = { key: readFileSync(join(prosody.dir, 'certs/xmpp.test.key')), cert: readFileSync(join(prosody.dir, 'certs/xmpp.test.crt')) };
  const https = createHttps(tlsOptions, (_req, res) => res.end('<h1>xmpp.test</h1>'));
  const http = createHttp((_req, res) => res.writeHead(301, { location: `https://xmpp.test:${httpsPort}/` }).end());
  await Promise.all([new Promise<void>((r) => https.listen(httpsPort, '127.0.0.1', r)), new Promise<void>((r) => http.listen(httpPort, '127.0.0.1', r))]);
  servers.push(https, http);
  // Site config naming the website URLs, since the test site is not on :443/:80.
  root = mkdtempSync(join(tmpdir(), 'probe-root-'));
  mkdirSync(join(root, 'content'));
  writeFileSync(
    join(root, 'content/site.yaml'),
    `name: Test\ndescription: Test.\nurl: https://status.xmpp.test\nservice: xmpp.test\nserviceUrl: https://xmpp.test/\nslaTarget: 99.9\n` +
      `groups: [{ id: xmpp, name: XMPP }]\ncomponents: [{ id: c2s, name: Clients, description: Logins., group: xmpp }]\n` +
      `probes:\n  targets:\n    - domain: xmpp.test\n      websites: ['https://xmpp.test:${httpsPort}/', 'http://xmpp.test:${httpPort}/']\n` +
      // Real federation needs peers on the internet; another host on the same
      // Prosody exercises the remote-ping path (routed locally, not over s2s).
      `  remoteDomain: xmpponly.test\n`,
  );
});

afterAll(async () => {
  for (const s of servers) s.close();
  await dns?.stop();
  await prosody?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/**
 * Runs `npm run probe` as an operator would and returns the records it wrote.
 * Asynchronous on purpose: the website under test lives in this process.
 */
async function probe(domains: string[], options: { account?: boolean; password?: string; extra?: string[] } = {}) {
  const out = mkdtempSync(join(tmpdir(), 'probe-out-'));
  const env: Record<string, string | undefined> = { ...process.env, STATUS_CONTENT_ROOT: root, PROBE_JID: undefined, PROBE_PASSWORD: undefined };
  if (options.account) Object.assign(env, { PROBE_JID: prosody.account.jid, PROBE_PASSWORD: options.password ?? prosody.account.password });
  const child = spawn(
    process.execPath,
    ['scripts/probe.ts', ...domains, '--resolver', dns.address, '--ca', prosody.caFile, '--out', out, '--vantage', 'test', '--timeout', '4000', '--retry-delay', '100', ...(options.extra ?? [])],
    { env },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const run = { status, stdout, stderr };
  const files = readdirSync(join(out, 'test'));
  const records = files.flatMap((f) => {
    const parsed = parseProbeLog(f, readFileSync(join(out, 'test', f), 'utf8'));
    expect(parsed.problems).toEqual([]);
    return parsed.records;
  });
  rmSync(out, { recursive: true, force: true });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, records };
}

const byCheck = (records: ProbeRecord[], check: string, domain?: string) => records.filter((r) => r.check === check && (!domain || r.domain === domain));
const summary = (records: ProbeRecord[]) => records.map((r) => `${r.domain} ${r.check} ${r.target.replace(/:\d+/, ':PORT')} ${r.ok ? 'ok' : `FAIL: ${r.error}`}`).sort();

describe('the healthy test service', () => {
  let result: Awaited<ReturnType<typeof probe>>;
  beforeAll(async () => void (result = await probe(['xmpp.test'], { account: true })));

  test('every check passes, with and without an account', () => {
    expect(result.code).toBe(0);
    expect(summary(result.records)).toEqual([
      'xmpp.test c2s-directtls xmpp.test:PORT ok',
      'xmpp.test c2s-starttls xmpp.test:PORT ok',
      'xmpp.test contact xmpp.test ok',
      'xmpp.test disco xmpp.test ok',
      'xmpp.test dns xmpp.test ok',
      'xmpp.test ping xmpp.test ok',
      'xmpp.test ping xmpponly.test ok',
      'xmpp.test register xmpp.test:PORT ok',
      'xmpp.test s2s-starttls xmpp.test:PORT ok',
      'xmpp.test version xmpp.test ok',
      'xmpp.test website http://xmpp.test:PORT/ ok',
      'xmpp.test website https://xmpp.test:PORT/ ok',
    ]);
  });

  test('the client check records STARTTLS, TLS, certificate, SASL and registration facts', () => {
    const [c2s] = byCheck(result.records, 'c2s-starttls');
    expect(c2s!.detail).toMatchObject({
      starttls: { offered: true, required: true },
      tls: { protocol: 'TLSv1.3' },
      cert: { trusted: true, identity: 'SRV-ID', issuer: 'Probe Test CA', subject: 'xmpp.test' },
      register: true,
    });
    expect(c2s!.detail.mechanisms).toContain('SCRAM-SHA-1');
    expect((c2s!.detail.cert as { daysLeft: number }).daysLeft).toBeGreaterThanOrEqual(5);
    // A 7-day certificate is inside the 30-day warning window.
    expect(c2s!.detail.warning).toMatch(/^certificate expires in \d days/);
  });

  test('direct TLS offers ALPN xmpp-client and s2s offers dialback after STARTTLS', () => {
    expect(byCheck(result.records, 'c2s-directtls')[0]!.detail.tls).toMatchObject({ protocol: 'TLSv1.3' });
    expect(byCheck(result.records, 's2s-starttls')[0]!.detail).toMatchObject({ starttls: { offered: true, required: true }, auth: ['dialback'], cert: { identity: 'SRV-ID' } });
  });

  test('the DNS check reports the SRV plan for each service', () => {
    const detail = byCheck(result.records, 'dns')[0]!.detail as { srv: Record<string, { kind: string }> };
    expect(detail.srv['xmpp-client']!.kind).toBe('srv');
    expect(detail.srv['xmpps-server']!.kind).toBe('fallback');
  });

  test('registration returns the XEP-0077 form without submitting it', () => {
    expect(byCheck(result.records, 'register')[0]!.detail).toMatchObject({ inBand: { feature: true, fields: expect.arrayContaining(['username', 'password']) } });
  });

  test('logged-in checks find the add-on services, the admin contacts and the software', () => {
    expect(byCheck(result.records, 'disco')[0]!.detail).toMatchObject({ muc: ['conference.xmpp.test'], proxy: ['proxy.xmpp.test'] });
    expect(byCheck(result.records, 'contact')[0]!.detail).toMatchObject({ addresses: { 'admin-addresses': ['xmpp:admin@xmpp.test', 'mailto:xmpp@xmpp.test'] } });
    expect(byCheck(result.records, 'version')[0]!.detail).toMatchObject({ name: 'Prosody', os: 'Linux' });
  });

  test('the website check follows the redirect and verifies the certificate', () => {
    const http = result.records.find((r) => r.check === 'website' && r.target.startsWith('http:'));
    expect(http!.detail).toMatchObject({ status: 200, redirects: 1, cert: { trusted: true, identity: 'DNS-ID' } });
  });

  test('the password appears nowhere in the output or the records', () => {
    expect(JSON.stringify(result.records) + result.stdout + result.stderr).not.toContain(prosody.account.password);
  });
});

describe('broken services', () => {
  let result: Awaited<ReturnType<typeof probe>>;
  beforeAll(async () => void (result = await probe(['selfsigned.test', 'expired.test', 'wrongname.test', 'xmpponly.test', 'closed.test', 'nodirect.test', 'nosrv.test'], { extra: ['--concurrency', '7'] })));

  test('a self-signed certificate fails every TLS check with "self-signed"', () => {
    for (const check of ['c2s-starttls', 'c2s-directtls', 's2s-starttls']) {
      expect(byCheck(result.records, check, 'selfsigned.test')[0]!.error).toBe('self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
    }
  });

  test('an expired certificate says when it expired', () => {
    expect(byCheck(result.records, 'c2s-starttls', 'expired.test')[0]!.error).toBe('certificate expired on 2020-02-01 (CERT_HAS_EXPIRED)');
  });

  test('a certificate for another name says which names it has', () => {
    expect(byCheck(result.records, 'c2s-directtls', 'wrongname.test')[0]!.error).toBe('certificate is not valid for wrongname.test (it names DNS:other.example)');
  });

  test('a certificate with only XmppAddr and SRV-ID names is accepted', () => {
    const records = result.records.filter((r) => r.domain === 'xmpponly.test' && r.check.includes('tls'));
    expect(records.map((r) => [r.check, r.ok, (r.detail.cert as { identity: string }).identity]).sort()).toEqual([
      ['c2s-directtls', true, 'SRV-ID'],
      ['c2s-starttls', true, 'SRV-ID'],
      ['s2s-starttls', true, 'SRV-ID'],
    ]);
  });

  test('registration switched off fails the register check with the server\'s reason', () => {
    const [register] = byCheck(result.records, 'register', 'closed.test');
    expect(register!.ok).toBe(false);
    expect(register!.error).toMatch(/^in-band registration refused: /);
  });

  test('a "." SRV target means direct TLS is not offered', () => {
    expect(byCheck(result.records, 'c2s-directtls', 'nodirect.test')[0]).toMatchObject({ ok: false, error: 'not offered: _xmpps-client._tcp points to "."' });
    // nodirect.test is not a host on this Prosody: a real stream error, reported as such.
    expect(byCheck(result.records, 'c2s-starttls', 'nodirect.test')[0]!.error).toMatch(/^stream error: host-unknown/);
  });

  test('without SRV records the probe falls back to the domain on 5222 and retries a refused connection once', () => {
    const [c2s] = byCheck(result.records, 'c2s-starttls', 'nosrv.test');
    expect(c2s).toMatchObject({ target: 'nosrv.test:5222', ok: false, attempts: 2, error: 'connection refused (nosrv.test:5222)' });
    expect(c2s!.detail.firstAttemptError).toBe('connection refused (nosrv.test:5222)');
    expect(byCheck(result.records, 'dns', 'nosrv.test')[0]!.detail).toMatchObject({ srv: { 'xmpp-client': { kind: 'fallback', targets: ['nosrv.test:5222'] } } });
  });

  test('the run still exits 0: every check ran, whatever the services\' state', () => {
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\d+ passed, \d+ failed \(\d+ checks on 7 domains\)/);
  });
});

test('a wrong password fails every logged-in check with the server\'s reason', async () => {
  const { records } = await probe(['xmpp.test'], { account: true, password: 'wrong' });
  for (const check of ['disco', 'contact', 'version', 'ping']) expect(byCheck(records, check)[0]!.error).toMatch(/^login failed: not-authorized/);
});

test('--json prints exactly the records it wrote, one per line', async () => {
  const { stdout, records, code } = await probe(['xmpp.test'], { extra: ['--json'] });
  expect(code).toBe(0);
  const printed = stdout.trim().split('\n').map((l) => JSON.parse(l) as ProbeRecord);
  expect(printed).toEqual(records);
});
