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
import { withText } from './helpers/record-text.ts';
import { startDnsmasq, type DnsRig } from './helpers/dnsmasq-rig.ts';
import { freePort } from './helpers/free-port.ts';
import { startProsody, type ProsodyRig } from './helpers/prosody-rig.ts';

let prosody: ProsodyRig;
let dns: DnsRig;
let root: string;
/** Same site, but the federation ping goes to remote.test, a domain no local host serves. */
let fedRoot: string;
const servers: Server[] = [];
let httpsPort: number;
let httpPort: number;
let wrongNamePort: number;

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
      ...['policy.test', 'blackhole.test', 'formonly.test', 'invite.test', 'noibr.test', 'sha256.test', 'sha256plus.test'].flatMap((d) => srvFor(d, prosody)),
      // nofed.test has federation switched off and says so in DNS.
      ...srvFor('nofed.test', prosody).slice(0, 2),
      { name: '_xmpp-server._tcp.nofed.test', target: '.' },
      // nodirect.test says "no direct TLS here" with a "." target.
      { name: '_xmpp-client._tcp.nodirect.test', target: 'xmpp.test', port: prosody.ports.c2s },
      { name: '_xmpps-client._tcp.nodirect.test', target: '.' },
    ],
    // nosrv.test has an address but no SRV records: the probe falls back to :5222.
    hosts: ['xmpp.test', 'nosrv.test', 'nodirect.test', 'wrongname.test'],
  });
  // The service's website: a real HTTPS server with the CA-signed certificate,
  // and plain HTTP that redirects to it.
  httpsPort = await freePort();
  httpPort = await freePort();
  wrongNamePort = await freePort();
  const tlsOptions = { key: readFileSync(join(prosody.dir, 'certs/xmpp.test.key')), cert: readFileSync(join(prosody.dir, 'certs/xmpp.test.crt')) };
  const https = createHttps(tlsOptions, (_req, res) => res.end('<h1>xmpp.test</h1>'));
  const http = createHttp((_req, res) => res.writeHead(301, { location: `https://xmpp.test:${httpsPort}/` }).end());
  // wrongname.test's website uses its certificate for other.example.
  const wrongName = createHttps(
    { key: readFileSync(join(prosody.dir, 'certs/wrongname.test.key')), cert: readFileSync(join(prosody.dir, 'certs/wrongname.test.crt')) },
    (_req, res) => res.end('<h1>wrong name</h1>'),
  );
  await Promise.all([
    new Promise<void>((r) => https.listen(httpsPort, '127.0.0.1', r)),
    new Promise<void>((r) => http.listen(httpPort, '127.0.0.1', r)),
    new Promise<void>((r) => wrongName.listen(wrongNamePort, '127.0.0.1', r)),
  ]);
  servers.push(https, http, wrongName);
  // Site config naming the website URLs, since the test site is not on :443/:80.
  const site = (remoteDomain: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-root-'));
    mkdirSync(join(dir, 'content'));
    writeFileSync(
      join(dir, 'content/site.yaml'),
      `name: Test\ndescription: Test.\nurl: https://status.xmpp.test\nservice: xmpp.test\nserviceUrl: https://xmpp.test/\nslaTarget: 99.9\n` +
        `groups: [{ id: xmpp, name: XMPP }]\ncomponents: [{ id: c2s, name: Clients, description: Logins., group: xmpp }]\n` +
        `probes:\n  targets:\n    - domain: xmpp.test\n      websites: ['https://xmpp.test:${httpsPort}/', 'http://xmpp.test:${httpPort}/']\n` +
        `    - domain: wrongname.test\n      websites: ['https://wrongname.test:${wrongNamePort}/']\n` +
        // The web sign-up page answers 200 (after a redirect to https).
        `    - domain: noibr.test\n      websites: []\n      registrationUrl: 'http://xmpp.test:${httpPort}/signup'\n` +
        `  remoteDomain: ${remoteDomain}\n`,
    );
    return dir;
  };
  // Real federation needs peers on the internet; another host on the same
  // Prosody exercises the remote-ping path (routed locally, not over s2s).
  root = site('xmpponly.test');
  // remote.test is served by nobody: a ping to it needs s2s, which the
  // nofed.test and policy.test hosts refuse before any DNS lookup.
  fedRoot = site('remote.test');
});

afterAll(async () => {
  for (const s of servers) s.close();
  await dns?.stop();
  await prosody?.stop();
  for (const dir of [root, fedRoot]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `npm run probe` as an operator would and returns the records it wrote.
 * Asynchronous on purpose: the website under test lives in this process.
 */
async function probe(domains: string[], options: { account?: boolean | string; password?: string | null; extra?: string[]; root?: string } = {}) {
  const out = mkdtempSync(join(tmpdir(), 'probe-out-'));
  const env: Record<string, string | undefined> = { ...process.env, STATUS_CONTENT_ROOT: options.root ?? root };
  delete env.PROBE_JID;
  delete env.PROBE_PASSWORD;
  if (options.account) {
    // `account: 'probe@sha256.test'` logs in to another rig host with the same password.
    env.PROBE_JID = typeof options.account === 'string' ? options.account : prosody.account.jid;
    if (options.password !== null) env.PROBE_PASSWORD = options.password ?? prosody.account.password;
  }
  const child = spawn(
    process.execPath,
    [
      'scripts/probe.ts',
      ...domains,
      '--resolver',
      dns.address,
      '--ca',
      prosody.caFile,
      '--out',
      out,
      '--vantage',
      'test',
      '--timeout',
      '4000',
      '--retry-delay',
      '100',
      '--allow-loopback',
      ...(options.extra ?? []),
    ],
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
    return parsed.records.map(withText);
  });
  rmSync(out, { recursive: true, force: true });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, records };
}

const byCheck = (records: ProbeRecord[], check: string, domain?: string) =>
  records.filter((r) => r.check === check && (!domain || r.domain === domain)).map(withText);
const summary = (records: ProbeRecord[]) =>
  records.map((r) => `${r.domain} ${r.check} ${r.target.replace(/:\d+/, ':PORT')} ${r.ok ? 'ok' : `FAIL: ${withText(r).error}`}`).sort();

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
      'xmpp.test login xmpp.test:PORT ok',
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
    expect(byCheck(result.records, 's2s-starttls')[0]!.detail).toMatchObject({
      starttls: { offered: true, required: true },
      auth: ['dialback'],
      cert: { identity: 'SRV-ID' },
    });
  });

  test('the DNS check reports the SRV plan for each service', () => {
    const detail = byCheck(result.records, 'dns')[0]!.detail as { srv: Record<string, { kind: string }> };
    expect(detail.srv['xmpp-client']!.kind).toBe('srv');
    // Nothing connects to _xmpps-server without a record, so no made-up :5270 target is listed.
    expect(detail.srv['xmpps-server']).toEqual({ kind: 'no-records' });
  });

  test('logged-in checks count the login in their time and record how they logged in', () => {
    for (const check of ['disco', 'contact', 'version', 'ping']) {
      const [record] = byCheck(result.records, check);
      const login = record!.detail.login as { ms: number; mechanism: string };
      expect(login.mechanism).toBe('SCRAM-SHA-1');
      expect(login.ms).toBeGreaterThan(0);
      expect(record!.ms).toBeGreaterThanOrEqual(login.ms);
    }
  });

  test('registration returns the XEP-0077 form without submitting it', () => {
    expect(byCheck(result.records, 'register')[0]!.detail).toMatchObject({
      inBand: { feature: true, fields: expect.arrayContaining(['username', 'password']) },
    });
  });

  test('logged-in checks find the add-on services, the admin contacts and the software', () => {
    expect(byCheck(result.records, 'disco')[0]!.detail).toMatchObject({ muc: ['conference.xmpp.test'], proxy: ['proxy.xmpp.test'] });
    expect(byCheck(result.records, 'contact')[0]!.detail).toMatchObject({
      addresses: { 'admin-addresses': ['xmpp:admin@xmpp.test', 'mailto:xmpp@xmpp.test'] },
    });
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
  const domains = [
    'selfsigned.test',
    'expired.test',
    'wrongname.test',
    'xmpponly.test',
    'closed.test',
    'nodirect.test',
    'nosrv.test',
    'formonly.test',
    'invite.test',
    'noibr.test',
  ];
  beforeAll(async () => void (result = await probe(domains, { extra: ['--concurrency', String(domains.length), '--retry-delay', '1000'] })));

  test('a self-signed certificate fails every TLS check with "self-signed"', () => {
    for (const check of ['c2s-starttls', 'c2s-directtls', 's2s-starttls']) {
      expect(byCheck(result.records, check, 'selfsigned.test')[0]!.error).toBe('self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
    }
  });

  test('an expired certificate says when it expired', () => {
    expect(byCheck(result.records, 'c2s-starttls', 'expired.test')[0]!.error).toBe('certificate expired on 2020-02-01 (CERT_HAS_EXPIRED)');
  });

  test('a certificate for another name says which names it has', () => {
    expect(byCheck(result.records, 'c2s-directtls', 'wrongname.test')[0]!.error).toBe(
      'certificate is not valid for wrongname.test (it names DNS:other.example)',
    );
  });

  test('a certificate with only XmppAddr and SRV-ID names is accepted', () => {
    const records = result.records.filter((r) => r.domain === 'xmpponly.test' && r.check.includes('tls'));
    expect(records.map((r) => [r.check, r.ok, (r.detail.cert as { identity: string }).identity]).sort()).toEqual([
      ['c2s-directtls', true, 'SRV-ID'],
      ['c2s-starttls', true, 'SRV-ID'],
      ['s2s-starttls', true, 'SRV-ID'],
    ]);
  });

  test("registration switched off fails the register check with the server's reason", () => {
    const [register] = byCheck(result.records, 'register', 'closed.test');
    expect(register).toMatchObject({ ok: false, error: 'in-band registration is closed (the server answered service-unavailable)' });
  });

  // Issue 13, item 2. Prosody: mod_register_ibr answers the query with its
  // form, the rig's mod_rig_hide_register_feature drops <register/> from the
  // stream features, registration_blocklist refuses submissions.
  test('a registration form without the <register/> stream feature is closed registration, and says why', () => {
    const [register] = byCheck(result.records, 'register', 'formonly.test');
    expect(register).toMatchObject({
      ok: false,
      error: 'in-band registration is closed: the server does not advertise it (no <register/> stream feature), though it answers the query with a form',
      detail: { inBand: { verdict: 'closed', feature: false, form: true, fields: expect.arrayContaining(['username', 'password']) } },
    });
  });

  // Issue 13, item 2. Prosody: allow_registration = false plus
  // mod_invites_register. The open and the invitation-only server look the
  // same before a submission (both offer <register/>, the form and
  // urn:xmpp:ibr-token:0), so the probe says it cannot tell.
  test('registration that may need an invitation passes with a warning that says what cannot be seen', () => {
    const [register] = byCheck(result.records, 'register', 'invite.test');
    expect(register).toMatchObject({
      ok: true,
      detail: {
        inBand: { verdict: 'open', feature: true, invite: ['urn:xmpp:ibr-token:0', 'urn:xmpp:invite'] },
        warning:
          'the server also offers registration by invitation (urn:xmpp:ibr-token:0, urn:xmpp:invite); whether it requires one cannot be seen without submitting the form',
      },
    });
  });

  // Issue 13, item 3. Prosody: allow_registration = false plus the rig's
  // mod_rig_unauthed_not_authorized; the site names a sign-up page that answers 200.
  test('a not-authorized stream error closes in-band registration, and the web sign-up page is still tried', () => {
    const [register] = byCheck(result.records, 'register', 'noibr.test');
    expect(register).toMatchObject({
      ok: true,
      detail: { inBand: { verdict: 'closed', reason: 'in-band registration is closed (the server answered not-authorized)' }, web: { status: 200 } },
    });
  });

  // Issue 13, item 4. Prosody: the selfsigned/expired/wrongname hosts allow registration.
  test('registration fails over a certificate clients refuse', () => {
    expect(byCheck(result.records, 'register', 'selfsigned.test')[0]).toMatchObject({
      ok: false,
      error: "clients refuse this server's certificate, so they cannot register: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)",
    });
    expect(byCheck(result.records, 'register', 'expired.test')[0]!.error).toBe(
      "clients refuse this server's certificate, so they cannot register: certificate expired on 2020-02-01 (CERT_HAS_EXPIRED)",
    );
    expect(byCheck(result.records, 'register', 'wrongname.test')[0]!.error).toBe(
      "clients refuse this server's certificate, so they cannot register: certificate is not valid for wrongname.test (it names DNS:other.example)",
    );
  });

  test("a website certificate for another name is judged with the same words as XMPP's", () => {
    expect(byCheck(result.records, 'website', 'wrongname.test')[0]).toMatchObject({
      ok: false,
      error: 'certificate is not valid for wrongname.test (it names DNS:other.example)',
    });
  });

  test("a refused website connection is worded like the XMPP checks'", () => {
    expect(byCheck(result.records, 'website', 'nosrv.test').find((r) => r.target.startsWith('https:'))!.error).toBe('connection refused (nosrv.test:443)');
  });

  test('a "." SRV target means direct TLS is not offered: a fact, not a failure of DNS', () => {
    expect(byCheck(result.records, 'c2s-directtls', 'nodirect.test')[0]).toMatchObject({
      ok: null,
      notRun: 'not-offered',
      error: 'not offered: _xmpps-client._tcp points to "."',
    });
    // nodirect.test is not a host on this Prosody: a real stream error, reported as such.
    expect(byCheck(result.records, 'c2s-starttls', 'nodirect.test')[0]!.error).toMatch(/^stream error: host-unknown/);
  });

  test('without SRV records the probe falls back to the domain on 5222 and retries a refused connection once', () => {
    const [c2s] = byCheck(result.records, 'c2s-starttls', 'nosrv.test');
    expect(c2s).toMatchObject({ target: 'nosrv.test:5222', ok: false, attempts: 2, error: 'connection refused (nosrv.test:5222)' });
    expect(c2s!.detail.firstAttemptError).toBe('connection refused (nosrv.test:5222)');
    // The time covers both attempts and the pause between them (--retry-delay 1000).
    expect(c2s!.ms).toBeGreaterThanOrEqual(1000);
    expect(byCheck(result.records, 'dns', 'nosrv.test')[0]!.detail).toMatchObject({
      srv: { 'xmpp-client': { kind: 'fallback', targets: ['nosrv.test:5222'] } },
    });
  });

  test("the run still exits 0: every check ran, whatever the services' state", () => {
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\d+ passed, \d+ failed, \d+ not run \(\d+ checks on 10 domains\)/);
  });
});

// Issue 21: one failed login is one record; the checks that need it did not run.
test('a wrong password is one "not run" login record with the server\'s reason, an alert and exit code 3', async () => {
  const { records, code, stderr } = await probe(['xmpp.test'], { account: true, password: 'wrong' });
  expect(byCheck(records, 'login')).toEqual([
    expect.objectContaining({
      ok: null,
      notRun: 'probe-account-refused',
      error: expect.stringMatching(/^not run: the server refused the probe account probe@xmpp\.test \(login failed: not-authorized/),
    }),
  ]);
  for (const check of ['disco', 'contact', 'version', 'ping'])
    expect(byCheck(records, check)[0]).toMatchObject({
      ok: null,
      notRun: 'login-failed',
      error: expect.stringMatching(/^not run: the probe could not log in \(login failed: not-authorized/),
    });
  expect(code).toBe(3);
  expect(stderr).toContain('Alert (xmpp.test): the server refused the probe account probe@xmpp.test');
});

test('--json prints exactly the records it wrote, one per line', async () => {
  const { stdout, records, code } = await probe(['xmpp.test'], { extra: ['--json'] });
  expect(code).toBe(0);
  const printed = stdout
    .trim()
    .split('\n')
    .map((l) => withText(JSON.parse(l) as ProbeRecord));
  expect(printed).toEqual(records);
});

// Issue 13, item 1. Prosody: nofed.test has modules_disabled = { "s2s" }
// (answers not-allowed); policy.test loads the rig's mod_rig_s2s_policy
// (answers forbidden, "Access denied by service policy"). Neither error says
// remote.test sent it.
describe('federation switched off or refused by policy', () => {
  let off: Awaited<ReturnType<typeof probe>>;
  let policy: Awaited<ReturnType<typeof probe>>;
  beforeAll(async () => {
    [off, policy] = await Promise.all([
      probe(['nofed.test'], { account: 'probe@nofed.test', root: fedRoot }),
      probe(['policy.test'], { account: 'probe@policy.test', root: fedRoot }),
    ]);
  });

  test("a federation ping refused by the server's own policy fails", () => {
    expect(policy.records.find((r) => r.check === 'ping' && r.target === 'remote.test')).toMatchObject({
      ok: false,
      error: 'ping to remote.test failed: forbidden (Access denied by service policy); the error does not say remote.test sent it',
    });
    expect(policy.records.find((r) => r.check === 'ping' && r.target === 'policy.test')).toMatchObject({ ok: true });
  });

  test('a federation ping that never comes back names the domain it waited for', async () => {
    const { records } = await probe(['blackhole.test'], { account: 'probe@blackhole.test', root: fedRoot, extra: ['--timeout', '1500'] });
    expect(records.find((r) => r.check === 'ping' && r.target === 'remote.test')).toMatchObject({
      ok: false,
      error: 'ping to remote.test failed: timed out after 1500 ms waiting for the reply to an IQ get',
    });
  });

  test('a federation ping with s2s switched off fails', () => {
    expect(off.records.find((r) => r.check === 'ping' && r.target === 'remote.test')).toMatchObject({
      ok: false,
      error: 'ping to remote.test failed: not-allowed (Communication with remote domains is not enabled); the error does not say remote.test sent it',
    });
  });

  // Issue 13, item 7. dnsmasq: _xmpp-server._tcp.nofed.test has the target ".".
  test('a "." target for _xmpp-server passes DNS and is recorded once, as "not offered"', () => {
    const [dnsRecord] = byCheck(off.records, 'dns');
    expect(dnsRecord).toMatchObject({ ok: true, detail: { notOffered: ['xmpp-server'], srv: { 'xmpp-server': { kind: 'not-offered' } } } });
    expect(dnsRecord!.error).toBeUndefined();
    expect(byCheck(off.records, 's2s-starttls')).toEqual([
      expect.objectContaining({ ok: null, notRun: 'not-offered', error: 'not offered: _xmpp-server._tcp points to "."' }),
    ]);
  });
});

// Issue 13, item 5.
describe('logged-in checks that cannot run say why', () => {
  test('PROBE_JID without PROBE_PASSWORD: a usage warning, and each logged-in check recorded as not run', async () => {
    const { records, stderr, stdout } = await probe(['xmpp.test'], { account: true, password: null });
    expect(stderr).toContain('Warning: PROBE_JID is set but PROBE_PASSWORD is not, so disco, contact, version, ping and federation do not run.');
    const loggedIn = records.filter((r) => ['disco', 'contact', 'version', 'ping'].includes(r.check));
    expect(loggedIn.map((r) => `${r.check} ${r.target}`).sort()).toEqual([
      'contact xmpp.test',
      'disco xmpp.test',
      'ping xmpp.test',
      'ping xmpponly.test',
      'version xmpp.test',
    ]);
    for (const record of loggedIn) expect(record).toMatchObject({ ok: null, notRun: 'no-password', error: 'not run: PROBE_PASSWORD is not set' });
    expect(stdout).toMatch(/\n7 passed, 0 failed, 6 not run \(13 checks on 1 domain\)\n$/);
  });

  test('PROBE_JID on another domain: a usage warning, and the logged-in checks recorded as not run', async () => {
    const { records, stderr } = await probe(['xmpponly.test'], { account: true });
    expect(stderr).toContain(
      'Warning: PROBE_JID probe@xmpp.test is not on a probed domain (xmpponly.test), so disco, contact, version, ping and federation do not run there.',
    );
    expect(byCheck(records, 'disco')).toEqual([
      expect.objectContaining({ notRun: 'account-elsewhere', error: 'not run: the probe account probe@xmpp.test is not on xmpponly.test' }),
    ]);
  });
});

// Issue 13, item 6. Prosody: password_hash = "SHA-256" and
// disable_sasl_mechanisms = { "PLAIN", "DIGEST-MD5" } offer only SCRAM-SHA-256;
// sha256plus.test also allows only TLS 1.2, where Prosody 0.12 adds
// SCRAM-SHA-256-PLUS with tls-unique channel binding.
describe('servers that offer only SCRAM-SHA-256', () => {
  test('logs in with SCRAM-SHA-256 and records the mechanism', async () => {
    const { records } = await probe(['sha256.test'], { account: 'probe@sha256.test' });
    expect(byCheck(records, 'c2s-starttls')[0]!.detail.mechanisms).toEqual(['SCRAM-SHA-256']);
    expect(summary(records.filter((r) => ['disco', 'contact', 'version', 'ping'].includes(r.check)))).toEqual([
      'sha256.test contact sha256.test ok',
      'sha256.test disco sha256.test ok',
      'sha256.test ping sha256.test ok',
      'sha256.test ping xmpponly.test ok',
      'sha256.test version sha256.test ok',
    ]);
    expect(byCheck(records, 'version')[0]!.detail.login).toMatchObject({ mechanism: 'SCRAM-SHA-256' });
  });

  test('prefers SCRAM-SHA-256-PLUS with tls-unique channel binding over TLS 1.2', async () => {
    const { records } = await probe(['sha256plus.test'], { account: 'probe@sha256plus.test' });
    expect(byCheck(records, 'c2s-starttls')[0]!.detail).toMatchObject({
      tls: { protocol: 'TLSv1.2' },
      mechanisms: expect.arrayContaining(['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS']),
    });
    for (const check of ['disco', 'contact', 'version']) {
      expect(byCheck(records, check)[0]).toMatchObject({ ok: true, detail: { login: { mechanism: 'SCRAM-SHA-256-PLUS', channelBinding: 'tls-unique' } } });
    }
  });
});
