/**
 * The listing policy (issue 17) against probe results from the real Prosody
 * rig: a compliant service, then one variant per fault (self-signed,
 * certificate for the wrong name, expired, no direct TLS, no
 * server-to-server, registration off, no contact addresses). The probe runs
 * as the directory runs it; `npm run policy` runs as an operator runs it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:https';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseProbeLog } from '../src/lib/monitoring/probe-log.ts';
import { observationsFromRecords } from '../src/lib/directory/evidence.ts';
import { serviceTemplate } from '../src/lib/directory/service-template.ts';
import { evaluatePolicy, type DeclaredService, type ItemResult } from '../src/lib/directory/policy.ts';
import type { ProbeRecord } from '../src/lib/schemas.ts';
import { withText } from './helpers/record-text.ts';
import { createResolver } from '../src/lib/xmpp/connect-io.ts';
import { runProbe } from '../src/lib/xmpp/run-probe-io.ts';
import { SITE_YAML } from './helpers/content-files.ts';
import { startDnsmasq, type DnsRig } from './helpers/dnsmasq-rig.ts';
import { freePort } from './helpers/free-port.ts';
import { startProsody, type ProsodyRig } from './helpers/prosody-rig.ts';

let prosody: ProsodyRig;
let dns: DnsRig;
let web: Server;
let webPort: number;
/** A listener that only counts connections: the address a hostile entry points the probe at. */
let trap: NetServer;
let trapPort: number;
let trapConnections = 0;
const checklists = new Map<string, ItemResult[]>();

const srv = (domain: string, { direct = true, s2s = true } = {}) => [
  { name: `_xmpp-client._tcp.${domain}`, target: 'xmpp.test', port: prosody.ports.c2s },
  direct ? { name: `_xmpps-client._tcp.${domain}`, target: 'xmpp.test', port: prosody.ports.directTls } : { name: `_xmpps-client._tcp.${domain}`, target: '.' },
  s2s ? { name: `_xmpp-server._tcp.${domain}`, target: 'xmpp.test', port: prosody.ports.s2s } : { name: `_xmpp-server._tcp.${domain}`, target: '.' },
];

/** What each service would declare in content/services/<domain>.md. */
const declared: DeclaredService = {
  website: 'https://xmpp.test/',
  registration: { method: 'in-band' },
  administrator: { name: 'Rig Admin', jid: 'admin@xmpp.test' },
  location: { country: 'DE', countryName: 'Germany', city: 'Berlin' },
};

/** Domains, and whether the probe account can log in there (only on its own domain). */
const VARIANTS = ['xmpp.test', 'selfsigned.test', 'wrongname.test', 'expired.test', 'nodtls.test', 'nofed.test', 'closed.test', 'nocontact.test'];
const WITH_ACCOUNT = new Set(['xmpp.test', 'nocontact.test', 'nofed.test']);

beforeAll(async () => {
  prosody = await startProsody();
  trapPort = await freePort();
  trap = createNetServer((socket) => {
    trapConnections++;
    socket.destroy();
  });
  await new Promise<void>((r) => trap.listen(trapPort, '127.0.0.1', r));
  const rigService = (domain: string) => [
    { name: `_xmpp-client._tcp.${domain}`, target: 'xmpp.test', port: prosody.ports.c2s },
    { name: `_xmpps-client._tcp.${domain}`, target: 'xmpp.test', port: prosody.ports.directTls },
    { name: `_xmpp-server._tcp.${domain}`, target: 'xmpp.test', port: prosody.ports.s2s },
  ];
  dns = await startDnsmasq({
    srv: [
      ...['xmpp.test', 'selfsigned.test', 'wrongname.test', 'expired.test', 'closed.test', 'nocontact.test'].flatMap((d) => srv(d)),
      ...srv('nodtls.test', { direct: false }),
      ...srv('nofed.test', { s2s: false }),
      ...['one', 'two', 'gone'].flatMap((d) => rigService(`${d}.rig.sample.jabber.org`)),
      ...['xmpp-client', 'xmpps-client', 'xmpp-server'].map((s) => ({
        name: `_${s}._tcp.scan.rig.sample.jabber.org`,
        target: 'trap.rig.sample.jabber.org',
        port: trapPort,
      })),
    ],
    hosts: ['xmpp.test', 'www.rig.sample.jabber.org', 'trap.rig.sample.jabber.org'],
  });
  // The services' website: HTTPS with the rig's CA-signed certificate for xmpp.test.
  webPort = await freePort();
  web = createServer(
    { key: readFileSync(join(prosody.dir, 'certs/xmpp.test.key')), cert: readFileSync(join(prosody.dir, 'certs/xmpp.test.crt')) },
    (_req, res) => res.end('<h1>About this service</h1>'),
  );
  await new Promise<void>((r) => web.listen(webPort, '127.0.0.1', r));
  const records: ProbeRecord[] = (
    await Promise.all(
      VARIANTS.map((domain) =>
        runProbe([{ domain, websites: [`https://xmpp.test:${webPort}/`] }], {
          vantage: 'rig',
          retryDelayMs: 100,
          concurrency: 1,
          account: WITH_ACCOUNT.has(domain) ? { jid: `probe@${domain}`, password: prosody.account.password } : {},
          context: {
            now: () => new Date(),
            timeoutMs: 4000,
            maxBytes: 256 * 1024,
            extraCa: [readFileSync(prosody.caFile, 'utf8')],
            resolver: createResolver(dns.address, 4000),
            s2sFrom: 'status-probe.invalid',
            addressRule: { allowLoopback: true },
            random: Math.random,
          },
        }),
      ),
    )
  ).flat();
  for (const domain of VARIANTS) {
    checklists.set(
      domain,
      evaluatePolicy({
        domain,
        declared,
        observations: observationsFromRecords(records, domain),
        uptime: { kind: 'one-off' },
        quorum: 0.5,
        webPorts: [webPort],
      }),
    );
  }
}, 120_000);

afterAll(async () => {
  web?.close();
  trap?.close();
  await dns?.stop();
  await prosody?.stop();
});

/** `{ 1: 'pass', 2: 'fail', … }` for one service. */
const verdicts = (domain: string) => Object.fromEntries(checklists.get(domain)!.map((r) => [r.number, r.verdict]));
const item = (domain: string, n: number) => checklists.get(domain)!.find((r) => r.number === n)!;

describe('the compliant rig service', () => {
  test('passes every automated item that a one-off probe can judge; uptime and the telephone stay unknown', () => {
    expect(verdicts('xmpp.test')).toEqual({ 1: 'pass', 2: 'pass', 3: 'pass', 4: 'pass', 5: 'pass', 6: 'pass', 7: 'unknown', 8: 'pass', 9: 'unknown' });
    expect(item('xmpp.test', 7).reason).toBe('not measured in a one-off test: uptime is measured continuously once the service is in the directory');
  });

  test('item 6 lists the add-on services that service discovery found', () => {
    expect(item('xmpp.test', 6).found).toMatchObject({ 'chat rooms': ['conference.xmpp.test'], 'file-transfer proxies': ['proxy.xmpp.test'] });
    expect(item('xmpp.test', 6).reason).toContain('found chat rooms: conference.xmpp.test');
  });

  test('item 8 shows the declared administrator and the published XEP-0157 addresses', () => {
    const r = item('xmpp.test', 8);
    expect(r.reason).toBe('administrator and location declared; contact addresses published (XEP-0157)');
    expect(r.evidence.map((e) => e.seen)).toEqual(
      expect.arrayContaining(['Rig Admin (admin@xmpp.test); Berlin, Germany', expect.stringContaining('admin: xmpp:admin@xmpp.test mailto:xmpp@xmpp.test')]),
    );
  });

  test('evidence says which check, from where, against what and when', () => {
    const e = item('xmpp.test', 1).evidence.find((x) => x.check === 'c2s-starttls')!;
    expect(e).toMatchObject({ vantage: 'rig', target: `xmpp.test:${prosody.ports.c2s}`, ok: true });
    expect(e.seen).toBe(`certificate from Probe Test CA, valid until ${e.seen.match(/\d{4}-\d{2}-\d{2}/)![0]}, matches the domain (SRV-ID)`);
    expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 120_000);
  });
});

describe('each fault fails its item, with the reason', () => {
  test.each([
    // [domain, item, reason, the other items that must still pass]
    [
      'selfsigned.test',
      1,
      /^self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\) \(client STARTTLS from rig; client direct TLS from rig; server-to-server from rig\)$/,
      [2, 3, 4],
    ],
    ['wrongname.test', 1, /^certificate is not valid for wrongname\.test \(it names DNS:other\.example\)/, [2, 3, 4]],
    ['expired.test', 1, /^certificate expired on 2020-02-01 \(CERT_HAS_EXPIRED\)/, [2, 3, 4]],
    ['nodtls.test', 2, /^client direct TLS: not offered: _xmpps-client\._tcp points to "\." \(from rig\)$/, [1, 3, 4, 5]],
    ['nofed.test', 3, /^server-to-server: not offered: _xmpp-server\._tcp points to "\." \(from rig\)$/, [1, 2, 4, 5]],
    ['closed.test', 5, /^in-band registration is closed/, [1, 2, 3, 4]],
    ['nocontact.test', 8, /^server publishes no admin-addresses \(XEP-0157\)$/, [1, 2, 3, 4, 5, 6]],
  ] as const)('%s fails item %i', (domain, n, reason, passing) => {
    const r = item(domain, n);
    expect(r.verdict).toBe('fail');
    expect(r.reason).toMatch(reason);
    expect(r.fix).toBeTruthy();
    for (const p of passing) expect(item(domain, p).verdict, `${domain} item ${p}: ${item(domain, p).reason}`).toBe('pass');
  });

  test('without a probe account on the service, items 6 and 8 are unknown for discovery, never failing', () => {
    expect(item('selfsigned.test', 6)).toMatchObject({
      verdict: 'unknown',
      reason: 'service discovery was not probed (no probe account (PROBE_JID and PROBE_PASSWORD are not set)); this is never a failure',
    });
    expect(item('closed.test', 8)).toMatchObject({
      verdict: 'pass',
      reason: 'administrator and location declared; contact addresses not probed (no probe account)',
    });
  });
});

/** Runs `npm run policy` as an operator would. */
async function policy(domain: string, env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    [
      'scripts/policy.ts',
      domain,
      '--resolver',
      dns.address,
      '--ca',
      prosody.caFile,
      '--timeout',
      '4000',
      '--retry-delay',
      '100',
      '--website',
      `https://xmpp.test:${webPort}/`,
      '--web-ports',
      String(webPort),
      '--allow-loopback',
    ],
    { env: { ...process.env, PROBE_JID: '', PROBE_PASSWORD: '', ...env } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  return { code, stdout, stderr };
}

describe('npm run policy, the operator self-test', () => {
  test('prints a passing checklist for the compliant rig and exits 0', async () => {
    const run = await policy('xmpp.test', { PROBE_JID: 'probe@xmpp.test', PROBE_PASSWORD: prosody.account.password });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^Policy checklist for xmpp\.test \(one-off test, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)$/);
    expect(lines.filter((l) => /^ ?\d\. /.test(l)).map((l) => l.trim().replace(/\s+/g, ' '))).toEqual([
      '1. PASS TLS with a trusted certificate',
      '2. PASS Client connections',
      '3. PASS Server-to-server connections',
      '4. PASS A website about the service',
      '5. PASS Account registration',
      '6. PASS Add-on services can be probed',
      '7. UNKNOWN 99.9% uptime',
      '8. UNKNOWN Administrator and location',
      '9. UNKNOWN Verified by telephone (not automated)',
    ]);
    expect(run.stdout).toContain('not measured in a one-off test');
    expect(lines.at(-2)).toBe('No item fails; 3 unknown (7, 8, 9), see the reasons above. See /services/apply/ on the status site to apply.');
  }, 60_000);

  test('names the failing item, the reason and the fix for a self-signed certificate, and exits 1', async () => {
    const run = await policy('selfsigned.test');
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain(' 1. FAIL    TLS with a trusted certificate\n             self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
    expect(run.stdout).toContain("How to fix: Serve a certificate from a recognized CA (for example Let's Encrypt) that names selfsigned.test");
    expect(run.stdout.trim().split('\n').at(-1)).toBe('2 items fail (1, 5): fix them before applying.');
  }, 60_000);
});

/** Writes a content tree with the given directory entries, for `npm run probe -- --services`. */
function servicesRoot(services: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'directory-root-'));
  mkdirSync(join(root, 'content/services'), { recursive: true });
  writeFileSync(join(root, 'content/site.yaml'), SITE_YAML);
  for (const [domain, text] of Object.entries(services)) writeFileSync(join(root, `content/services/${domain}.md`), text);
  return root;
}

/** Runs `npm run probe -- --services` on a content tree; returns its exit code, stderr and records. */
async function probeServices(root: string, extra: string[]): Promise<{ code: number | null; stderr: string; records: ProbeRecord[] }> {
  const out = mkdtempSync(join(tmpdir(), 'directory-out-'));
  const child = spawn(
    process.execPath,
    [
      'scripts/probe.ts',
      '--services',
      '--resolver',
      dns.address,
      '--ca',
      prosody.caFile,
      '--out',
      out,
      '--vantage',
      'rig',
      '--timeout',
      '4000',
      '--retry-delay',
      '100',
      ...extra,
    ],
    {
      env: { ...process.env, STATUS_CONTENT_ROOT: root, PROBE_JID: '', PROBE_PASSWORD: '' },
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const records = code === 0 ? readdirSync(join(out, 'rig')).flatMap((f) => parseProbeLog(f, readFileSync(join(out, 'rig', f), 'utf8')).records) : [];
  rmSync(out, { recursive: true, force: true });
  return { code, stderr, records };
}

// Directory entries must name public DNS names (issue 22), so the rig's
// services live under rig.sample.jabber.org, which only the rig's dnsmasq
// answers: their SRV records point at the rig's Prosody on loopback.
const service = (domain: string, website: string, extra = '') =>
  serviceTemplate(domain, '2026-11-01')
    .replace(`website: https://${domain}/`, `website: ${website}`)
    .replace('applied: 2026-11-01', `applied: 2026-11-01${extra}`);

test('npm run probe -- --services --allow-loopback probes every service of the directory that is not withdrawn, with its declared website', async () => {
  const website = `https://www.rig.sample.jabber.org:${webPort}/`;
  const root = servicesRoot({
    'one.rig.sample.jabber.org': service('one.rig.sample.jabber.org', website),
    'two.rig.sample.jabber.org': service('two.rig.sample.jabber.org', website),
    'gone.rig.sample.jabber.org': service('gone.rig.sample.jabber.org', website, '\nwithdrawn: 2026-11-02'),
  });
  const { code, stderr, records } = await probeServices(root, ['--allow-loopback']);
  expect(code, stderr).toBe(0);
  expect([...new Set(records.map((r) => r.domain))].sort()).toEqual(['one.rig.sample.jabber.org', 'two.rig.sample.jabber.org']);
  expect(records.filter((r) => r.check === 'website').map((r) => r.target)).toEqual([website, website]);
  // Prosody does not host these names, so the stream fails after connecting: reached, not refused.
  const c2s = records.find((r) => r.check === 'c2s-starttls')!;
  expect(c2s.target).toBe(`xmpp.test:${prosody.ports.c2s}`);
  expect(withText(c2s).error ?? '').not.toMatch(/^refused/);
  rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('a directory entry cannot make the probe scan the probe host (issue 22)', () => {
  test('without --allow-loopback, an entry whose SRV targets and website resolve to loopback is refused before any connection', async () => {
    // The entry is valid content: a public-looking name whose DNS says 127.0.0.1.
    const root = servicesRoot({ 'scan.rig.sample.jabber.org': service('scan.rig.sample.jabber.org', `https://trap.rig.sample.jabber.org:${trapPort}/`) });
    trapConnections = 0;
    const { code, stderr, records } = await probeServices(root, []);
    expect(code, stderr).toBe(0);
    expect(trapConnections).toBe(0);
    const contacted = records.filter((r) => r.check !== 'dns' && !r.notRun).map(withText);
    expect(contacted.map((r) => [r.check, r.target, r.ok, r.error])).toEqual(
      expect.arrayContaining([
        [
          'c2s-starttls',
          `trap.rig.sample.jabber.org:${trapPort}`,
          false,
          `refused: trap.rig.sample.jabber.org resolves to 127.0.0.1, a loopback address; the probe connects only to public addresses`,
        ],
        [
          'website',
          `https://trap.rig.sample.jabber.org:${trapPort}/`,
          false,
          `refused: trap.rig.sample.jabber.org resolves to 127.0.0.1, a loopback address; the probe connects only to public addresses`,
        ],
      ]),
    );
    for (const r of contacted) expect(r.error, `${r.check} ${r.target}`).toMatch(/^refused: /);
    // Refusals are not retried: nothing about them is transient.
    expect(contacted.every((r) => r.attempts === 1)).toBe(true);
    // The same run with the command-line option does reach the trap: the test above could fail.
    const allowed = await probeServices(root, ['--allow-loopback']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(trapConnections).toBeGreaterThan(0);
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  test('content cannot turn the allowance on: an allowLoopback key in a service file or in site.yaml is refused by the check', async () => {
    const root = servicesRoot({
      'scan.rig.sample.jabber.org': service('scan.rig.sample.jabber.org', 'https://www.rig.sample.jabber.org/').replace(
        'applied: ',
        'allowLoopback: true\napplied: ',
      ),
    });
    const { code, stderr } = await probeServices(root, []);
    expect(code).toBe(2);
    expect(stderr).toContain('content/services/scan.rig.sample.jabber.org.md');
    expect(stderr).toMatch(/allowLoopback/);
    writeFileSync(join(root, 'content/services/scan.rig.sample.jabber.org.md'), service('scan.rig.sample.jabber.org', 'https://www.rig.sample.jabber.org/'));
    writeFileSync(join(root, 'content/site.yaml'), `${SITE_YAML}probes:\n  allowLoopback: true\n`);
    const viaConfig = await probeServices(root, []);
    expect(viaConfig.code).toBe(2);
    expect(viaConfig.stderr).toMatch(/allowLoopback/);
    rmSync(root, { recursive: true, force: true });
  }, 60_000);
});
