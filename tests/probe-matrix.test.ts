/**
 * The verdict matrix of the README's checks table, against both of the two
 * most deployed XMPP servers (issue 21): Debian's Prosody and Debian's
 * ejabberd, each started on loopback by this file with the same domain
 * names and certificate variants (tests/helpers/prosody-rig.ts and
 * ejabberd-probe-rig.ts), SRV records from dnsmasq and a sign-up page from
 * a Node HTTP server. Every row must give the same verdicts on both.
 *
 * Beside the probe, slixmpp (Debian's python3-slixmpp, a standard client)
 * logs in with the same accounts: wherever it logs in, the probe must too.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseProbeLog } from '../src/lib/monitoring/probe-log.ts';
import type { ProbeRecord } from '../src/lib/schemas.ts';
import { withText, type RecordWithText } from './helpers/record-text.ts';
import { startDnsmasq, type DnsRig } from './helpers/dnsmasq-rig.ts';
import { startEjabberdProbeRig } from './helpers/ejabberd-probe-rig.ts';
import { freePort } from './helpers/free-port.ts';
import { startProsody } from './helpers/prosody-rig.ts';
import { requireTools, TOOLS } from './helpers/system-tools.ts';

const execFileP = promisify(execFile);

interface Rig {
  caFile: string;
  ports: { c2s: number; directTls: number; s2s: number };
  stop(): Promise<void>;
}

const SERVERS: [string, () => Promise<Rig>][] = [
  ['Prosody', startProsody],
  ['ejabberd', startEjabberdProbeRig],
];

const PASSWORD = 'probe-test-password';
/** Domains probed with the account probe@xmpp.test (the others are "account elsewhere"). */
const MAIN_RUN = ['xmpp.test', 'selfsigned.test', 'expired.test', 'wrongname.test', 'closed.test', 'noibr.test'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  records: RecordWithText[];
}

/** One line per record: what the matrix compares, e.g. `closed.test register fail`. */
const verdicts = (records: readonly ProbeRecord[]) =>
  records
    .map(
      (r) =>
        `${r.domain} ${r.check} ${r.check === 'ping' || r.check === 'federation' ? `${r.target} ` : ''}${r.ok === true ? 'pass' : r.ok === null ? `not run (${r.notRun})` : 'fail'}`,
    )
    .sort();

describe.each(SERVERS)('the probe against %s', (server, start) => {
  let rig: Rig;
  let dns: DnsRig;
  let web: Server;
  let root: string;
  let fedRoot: string;
  let main: Run;
  let nofed: Run;
  let sha256: Run;
  let wrong: Run;
  const slixmpp: Record<string, { ok: boolean; mechanism?: string; error?: string }> = {};

  async function probe(domains: string[], jid: string, password: string, siteRoot = root): Promise<Run> {
    const out = mkdtempSync(join(tmpdir(), 'probe-matrix-'));
    const env: Record<string, string | undefined> = { ...process.env, STATUS_CONTENT_ROOT: siteRoot, PROBE_JID: jid, PROBE_PASSWORD: password };
    const child = spawn(
      process.execPath,
      [
        'scripts/probe.ts',
        ...domains,
        '--resolver',
        dns.address,
        '--ca',
        rig.caFile,
        '--out',
        out,
        '--vantage',
        'test',
        '--timeout',
        '5000',
        '--retry-delay',
        '100',
        '--concurrency',
        '10',
        '--allow-loopback',
      ],
      { env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const records = readdirSync(join(out, 'test')).flatMap((f) => parseProbeLog(f, readFileSync(join(out, 'test', f), 'utf8')).records.map(withText));
    rmSync(out, { recursive: true, force: true });
    return { code, stdout, stderr, records };
  }

  /** slixmpp's login with the same account, over the same client port and CA. */
  async function standardClient(jid: string, password: string) {
    requireTools([TOOLS.slixmpp]);
    const { stdout } = await execFileP('/usr/bin/python3', ['tests/helpers/slixmpp-login.py', jid, password, '127.0.0.1', String(rig.ports.c2s), rig.caFile], {
      timeout: 40_000,
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as { ok: boolean; mechanism?: string; error?: string };
  }

  beforeAll(async () => {
    rig = await start();
    const srv = (d: string) => [
      { name: `_xmpp-client._tcp.${d}`, target: 'xmpp.test', port: rig.ports.c2s },
      { name: `_xmpps-client._tcp.${d}`, target: 'xmpp.test', port: rig.ports.directTls },
      { name: `_xmpp-server._tcp.${d}`, target: 'xmpp.test', port: rig.ports.s2s },
    ];
    dns = await startDnsmasq({
      srv: [
        ...[...MAIN_RUN, 'sha256.test'].flatMap(srv),
        // Federation refused, and DNS says so with a "." target.
        ...srv('nofed.test').slice(0, 2),
        { name: '_xmpp-server._tcp.nofed.test', target: '.' },
      ],
      hosts: ['xmpp.test'],
    });
    // The service's website and the web sign-up page of noibr.test.
    const webPort = await freePort();
    web = createServer((_req, res) => res.end('<h1>xmpp.test</h1>'));
    await new Promise<void>((r) => web.listen(webPort, '127.0.0.1', r));
    const site = (remoteDomain?: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'probe-matrix-root-'));
      mkdirSync(join(dir, 'content'));
      writeFileSync(
        join(dir, 'content/site.yaml'),
        `name: Test\ndescription: Test.\nurl: https://status.xmpp.test\nservice: xmpp.test\nserviceUrl: https://xmpp.test/\nslaTarget: 99.9\n` +
          `groups: [{ id: xmpp, name: XMPP }]\ncomponents: [{ id: c2s, name: Clients, description: Logins., group: xmpp }]\n` +
          `probes:\n  targets:\n    - domain: xmpp.test\n      websites: ['http://xmpp.test:${webPort}/']\n` +
          ['selfsigned.test', 'expired.test', 'wrongname.test', 'closed.test', 'nofed.test', 'sha256.test']
            .map((d) => `    - domain: ${d}\n      websites: []\n`)
            .join('') +
          `    - domain: noibr.test\n      websites: []\n      registrationUrl: 'http://xmpp.test:${webPort}/signup'\n` +
          (remoteDomain ? `  remoteDomain: ${remoteDomain}\n` : ''),
      );
      return dir;
    };
    root = site();
    // remote.test is served by nobody: a ping to it needs federation, which nofed.test refuses.
    fedRoot = site('remote.test');
    [main, nofed, sha256, wrong] = await Promise.all([
      probe(MAIN_RUN, 'probe@xmpp.test', PASSWORD),
      probe(['nofed.test'], 'probe@nofed.test', PASSWORD, fedRoot),
      probe(['sha256.test'], 'probe@sha256.test', PASSWORD),
      probe(['xmpp.test'], 'probe@xmpp.test', 'wrong-password'),
    ]);
    const accounts: [string, string, string][] = [
      ['probe@xmpp.test', 'probe@xmpp.test', PASSWORD],
      ['probe@nofed.test', 'probe@nofed.test', PASSWORD],
      ['probe@sha256.test', 'probe@sha256.test', PASSWORD],
      ['wrong', 'probe@xmpp.test', 'wrong-password'],
    ];
    await Promise.all(accounts.map(async ([name, jid, password]) => void (slixmpp[name] = await standardClient(jid, password))));
  }, 240_000);

  afterAll(async () => {
    web?.close();
    await dns?.stop();
    await rig?.stop();
    for (const dir of [root, fedRoot]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a correctly configured server passes every check, the logged-in ones included', () => {
    expect(main.code).toBe(0);
    expect(verdicts(main.records.filter((r) => r.domain === 'xmpp.test'))).toEqual([
      'xmpp.test c2s-directtls pass',
      'xmpp.test c2s-starttls pass',
      'xmpp.test contact pass',
      'xmpp.test disco pass',
      'xmpp.test dns pass',
      'xmpp.test login pass',
      'xmpp.test ping xmpp.test pass',
      'xmpp.test register pass',
      'xmpp.test s2s-starttls pass',
      'xmpp.test version pass',
      'xmpp.test website pass',
    ]);
    expect(main.records.find((r) => r.domain === 'xmpp.test' && r.check === 'contact')!.detail).toMatchObject({
      addresses: { 'admin-addresses': ['xmpp:admin@xmpp.test', 'mailto:xmpp@xmpp.test'] },
    });
    expect(main.records.find((r) => r.domain === 'xmpp.test' && r.check === 'disco')!.detail).toMatchObject({ muc: ['conference.xmpp.test'] });
  });

  test.each([
    // domain, the probe's words for its certificate
    ['selfsigned.test', 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)'],
    ['expired.test', 'certificate expired on 2020-02-01 (CERT_HAS_EXPIRED)'],
    ['wrongname.test', 'certificate is not valid for wrongname.test (it names DNS:other.example)'],
  ])('%s fails every TLS check and registration with "%s"', (domain, words) => {
    const records = main.records.filter((r) => r.domain === domain);
    for (const check of ['c2s-starttls', 'c2s-directtls', 's2s-starttls'])
      expect(records.find((r) => r.check === check)).toMatchObject({ ok: false, error: words });
    expect(records.find((r) => r.check === 'register')).toMatchObject({
      ok: false,
      error: `clients refuse this server's certificate, so they cannot register: ${words}`,
    });
    // The account is on xmpp.test: here the logged-in checks did not run, and say so apart from failures.
    expect(verdicts(records.filter((r) => ['login', 'disco', 'contact', 'version', 'ping'].includes(r.check)))).toEqual([
      `${domain} contact not run (account-elsewhere)`,
      `${domain} disco not run (account-elsewhere)`,
      `${domain} login not run (account-elsewhere)`,
      `${domain} ping ${domain} not run (account-elsewhere)`,
      `${domain} version not run (account-elsewhere)`,
    ]);
  });

  test("registration closed in band, without a web sign-up page, fails with the server's answer", () => {
    expect(main.records.find((r) => r.domain === 'closed.test' && r.check === 'register')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^in-band registration is closed \(the server answered [a-z-]+\)$/),
    });
  });

  test('registration closed in band, with a web sign-up page that answers, passes', () => {
    expect(main.records.find((r) => r.domain === 'noibr.test' && r.check === 'register')).toMatchObject({
      ok: true,
      detail: { inBand: { verdict: 'closed' }, web: { status: 200 } },
    });
  });

  test('federation refused by the server\'s policy fails the remote ping, and a "." SRV target is "not offered"', () => {
    expect(verdicts(nofed.records)).toEqual([
      'nofed.test c2s-directtls pass',
      'nofed.test c2s-starttls pass',
      'nofed.test contact pass',
      'nofed.test disco pass',
      'nofed.test dns pass',
      'nofed.test login pass',
      'nofed.test ping nofed.test pass',
      'nofed.test ping remote.test fail',
      'nofed.test register pass',
      'nofed.test s2s-starttls not run (not-offered)',
      'nofed.test version pass',
    ]);
    expect(withText(nofed.records.find((r) => r.check === 'ping' && r.target === 'remote.test')!).error).toMatch(
      /^ping to remote\.test failed: [a-z-]+ .*; the error does not say remote\.test sent it$/,
    );
    expect(nofed.records.find((r) => r.check === 'dns')!.detail).toMatchObject({ notOffered: ['xmpp-server'] });
  });

  test('a server that offers only SCRAM-SHA-256 is logged in to with it', () => {
    expect(verdicts(sha256.records.filter((r) => ['login', 'disco', 'contact', 'version', 'ping'].includes(r.check)))).toEqual([
      'sha256.test contact pass',
      'sha256.test disco pass',
      'sha256.test login pass',
      'sha256.test ping sha256.test pass',
      'sha256.test version pass',
    ]);
    expect((sha256.records.find((r) => r.check === 'login')!.detail.login as { mechanism: string }).mechanism).toMatch(/^SCRAM-SHA-256(-PLUS)?$/);
  });

  test('a refused probe account is one "not run" login record and an alert, never a failed service', () => {
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/^Alert \(xmpp\.test\): the server refused the probe account probe@xmpp\.test \(login failed: not-authorized/m);
    expect(verdicts(wrong.records.filter((r) => ['login', 'disco', 'contact', 'version', 'ping'].includes(r.check)))).toEqual([
      'xmpp.test contact not run (login-failed)',
      'xmpp.test disco not run (login-failed)',
      'xmpp.test login not run (probe-account-refused)',
      'xmpp.test ping xmpp.test not run (login-failed)',
      'xmpp.test version not run (login-failed)',
    ]);
    expect(wrong.records.filter((r) => r.ok === false).map((r) => r.check)).toEqual([]);
  });

  test('wherever slixmpp logs in, the probe logs in too (and where it cannot, neither does the probe)', () => {
    const probeLogin = (run: Run, domain: string) => run.records.find((r) => r.check === 'login' && r.domain === domain)!.ok === true;
    expect({
      'probe@xmpp.test': [slixmpp['probe@xmpp.test']!.ok, probeLogin(main, 'xmpp.test')],
      'probe@nofed.test': [slixmpp['probe@nofed.test']!.ok, probeLogin(nofed, 'nofed.test')],
      'probe@sha256.test': [slixmpp['probe@sha256.test']!.ok, probeLogin(sha256, 'sha256.test')],
      'wrong password': [slixmpp['wrong']!.ok, probeLogin(wrong, 'xmpp.test')],
    }).toEqual({ 'probe@xmpp.test': [true, true], 'probe@nofed.test': [true, true], 'probe@sha256.test': [true, true], 'wrong password': [false, false] });
  });

  test('the mechanism and channel binding negotiated with each configuration', () => {
    const how = (run: Run, domain: string) => {
      const login = run.records.find((r) => r.check === 'login' && r.domain === domain)!.detail.login as { mechanism: string; channelBinding?: string };
      const tls = (run.records.find((r) => r.check === 'login' && r.domain === domain)!.detail.tls as { protocol: string }).protocol;
      return `${login.mechanism}${login.channelBinding ? ` + ${login.channelBinding}` : ''} over ${tls}`;
    };
    const table = { 'xmpp.test': how(main, 'xmpp.test'), 'nofed.test': how(nofed, 'nofed.test'), 'sha256.test': how(sha256, 'sha256.test') };
    // Prosody 0.12 offers no -PLUS over TLS 1.3; ejabberd 23.01 does, and takes tls-unique (issue 21).
    expect(table).toEqual(
      server === 'Prosody'
        ? { 'xmpp.test': 'SCRAM-SHA-1 over TLSv1.3', 'nofed.test': 'SCRAM-SHA-1 over TLSv1.3', 'sha256.test': 'SCRAM-SHA-256 over TLSv1.3' }
        : {
            'xmpp.test': 'SCRAM-SHA-1-PLUS + tls-unique over TLSv1.3',
            'nofed.test': 'SCRAM-SHA-1-PLUS + tls-unique over TLSv1.3',
            'sha256.test': 'SCRAM-SHA-256-PLUS + tls-unique over TLSv1.3',
          },
    );
    // Neither server lists its channel-binding types (XEP-0440), so the probe chose by what interoperates.
    expect(main.records.find((r) => r.domain === 'xmpp.test' && r.check === 'c2s-starttls')!.detail.channelBindings).toBeUndefined();
    // slixmpp chose the same mechanism with each account.
    const mechanism = (run: Run, domain: string) =>
      (run.records.find((r) => r.check === 'login' && r.domain === domain)!.detail.login as { mechanism: string }).mechanism;
    expect([slixmpp['probe@xmpp.test']!.mechanism, slixmpp['probe@nofed.test']!.mechanism, slixmpp['probe@sha256.test']!.mechanism]).toEqual([
      mechanism(main, 'xmpp.test'),
      mechanism(nofed, 'nofed.test'),
      mechanism(sha256, 'sha256.test'),
    ]);
  });
});
