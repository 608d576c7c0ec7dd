/**
 * Certificate continuity (issue 30) with real parts: Prosody on loopback
 * serving certificates made now with openssl, dnsmasq for the SRV records,
 * the real probe (`scripts/probe.ts`) from two locations, the real summary
 * command (one location a full summary, the other a compact one, both format 3) and the
 * real build. The story, one build per step, the certificate history kept
 * between builds as on the build host:
 *
 * 1. a renewal that keeps the key → an expected change;
 * 2. a new key while the old certificate had months left → unexpected;
 * 3. a new key announced in content/certificates.yaml with its fingerprint
 *    → expected, announced; meanwhile a second location sees a certificate
 *    from another CA, twice in a row → the locations disagree.
 *
 * Each step is asserted on /certificates/, /api/certificates.json, the
 * certificates feed and the component page.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildSiteAsync, pageText } from './helpers/build-site.ts';
import { startDnsmasq, type DnsRig } from './helpers/dnsmasq-rig.ts';
import { freePort } from './helpers/free-port.ts';
import { openssl, runProsody } from './helpers/prosody-rig.ts';
import { stopChild } from './helpers/stop-child.ts';
import { requireTools, TOOLS } from './helpers/system-tools.ts';
import { parse, stringify } from 'yaml';
import { fingerprintBlocks } from '../src/lib/certs/fingerprint.ts';
import { startWebhookReceiver, type WebhookDelivery } from './helpers/webhook-rig.ts';

const DOMAIN = 'cert.test';
const SAN = `DNS:${DOMAIN},otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-client.${DOMAIN},otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.${DOMAIN}`;

const dir = mkdtempSync(join(tmpdir(), 'cert-continuity-'));
const root = join(dir, 'site');
const history = join(dir, 'history');
const cache = join(dir, 'cache');
let dns: DnsRig;
const SECRET = 'whsec_' + Buffer.from('certificate-continuity-webhook-secret').toString('base64');
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let prosody: ChildProcess | undefined;
let ports: { c2s: number; directTls: number; s2s: number };

/** A CA made now: `<name>.key`, `<name>.crt`. */
function makeCa(name: string, cn: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '30',
    '-subj',
    `/CN=${cn}/O=${cn} Org`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
  ]);
}
/** A key: RSA 2048 or EC P-256. */
function makeKey(name: string, type: 'rsa' | 'ec'): void {
  if (type === 'rsa') openssl(dir, ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', `${name}.key`]);
  else openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
}
/** A certificate for DOMAIN with `key`, signed by `ca`, valid `days`. */
function issue(name: string, key: string, ca: string, days: number): string {
  writeFileSync(
    join(dir, 'ext'),
    `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=${SAN}\n`,
  );
  openssl(dir, ['req', '-new', '-key', `${key}.key`, '-subj', `/CN=${DOMAIN}`, '-out', `${name}.csr`]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    String(days),
    '-extfile',
    'ext',
    '-out',
    `${name}.crt`,
  ]);
  copyFileSync(join(dir, `${key}.key`), join(dir, `${name}.key`));
  const out = execFileSync(TOOLS.openssl.path, ['x509', '-in', `${name}.crt`, '-noout', '-fingerprint', '-sha256'], { cwd: dir, encoding: 'utf8' });
  return out.trim().split('=')[1]!;
}

/** (Re)starts Prosody serving certificate `name` on the same ports. */
async function serve(name: string): Promise<void> {
  if (prosody) await stopChild(prosody);
  copyFileSync(join(dir, `${name}.crt`), join(dir, 'certs', `${DOMAIN}.crt`));
  copyFileSync(join(dir, `${name}.key`), join(dir, 'certs', `${DOMAIN}.key`));
  const cfg = join(dir, 'prosody.cfg.lua');
  writeFileSync(
    cfg,
    `pidfile = "prosody.pid"
data_path = "data"
${process.getuid?.() === 0 ? 'run_as_root = true' : ''}
log = { { levels = { min = "warn" }, to = "console" } }
interfaces = { "127.0.0.1" }; local_interfaces = { "127.0.0.1" }
c2s_ports = { ${ports.c2s} }
c2s_direct_tls_ports = { ${ports.directTls} }
s2s_ports = { ${ports.s2s} }
legacy_ssl_ports = { }; s2s_direct_tls_ports = { }; http_ports = { }; https_ports = { }
c2s_require_encryption = true; s2s_require_encryption = true; s2s_secure_auth = false
modules_enabled = { "roster"; "saslauth"; "tls"; "dialback"; "disco"; "register" }
authentication = "internal_hashed"; storage = "internal"
VirtualHost "${DOMAIN}"
  ssl = { certificate = "${join(dir, 'certs', `${DOMAIN}.crt`)}"; key = "${join(dir, 'certs', `${DOMAIN}.key`)}" }
`,
  );
  prosody = await runProsody(cfg, dir, [ports.c2s, ports.directTls, ports.s2s]);
}

/** One run of the real probe from `vantage`, trusting the CAs named. */
async function probe(vantage: string, cas: string[]): Promise<void> {
  const out = join(dir, 'raw', vantage);
  const child = spawn(
    process.execPath,
    [
      'scripts/probe.ts',
      DOMAIN,
      '--resolver',
      dns.address,
      ...cas.flatMap((c) => ['--ca', join(dir, `${c}.crt`)]),
      '--out',
      out,
      '--vantage',
      vantage,
      '--timeout',
      '4000',
      '--retry-delay',
      '100',
      '--allow-loopback',
      '--json',
    ],
    { env: { ...process.env, PROBE_PASSWORD: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise((r) => child.on('close', r));
  // Each record of the TLS checks must carry the key facts (issue 30).
  const records = output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { check: string; detail: { cert?: Record<string, unknown> } });
  const tls = records.filter((r) => ['c2s-starttls', 'c2s-directtls', 's2s-starttls'].includes(r.check));
  expect(tls.length, output).toBe(3);
  for (const r of tls)
    expect(r.detail.cert, output).toMatchObject({
      spki256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
      keyType: expect.any(String),
      keyBits: expect.any(Number),
    });
}

/** The summary of `vantage`'s raw records, as a probe host publishes it. */
function summarise(vantage: string, compact: boolean): void {
  execFileSync(
    process.execPath,
    [
      'scripts/probe-summary.ts',
      '--in',
      join(dir, 'raw', vantage),
      '--out',
      join(root, `${vantage}.json`),
      '--vantage',
      vantage,
      ...(compact ? ['--compact'] : []),
    ],
    { stdio: 'pipe' },
  );
}

async function build() {
  // The build's "now" is a minute after the newest summary (a summary from the future is refused).
  const epoch = String(Math.ceil(Date.now() / 1000) + 60);
  const result = await buildSiteAsync({ contentRoot: root, epoch, env: { STATUS_CACHE_DIR: cache, STATUS_HISTORY_DIR: history } });
  expect(result.code, result.output).toBe(0);
  return {
    out: result.outDir,
    page: pageText(result.outDir, 'certificates/index.html'),
    html: readFileSync(join(result.outDir, 'certificates/index.html'), 'utf8'),
    api: JSON.parse(readFileSync(join(result.outDir, 'api/certificates.json'), 'utf8')) as {
      components: {
        component: string;
        targets: {
          target: string;
          agreement: string;
          disagreeing_groups: { locations: string[] }[];
          locations: {
            location: string;
            sha256: string;
            spki_sha256: string;
            key_type: string;
            key_bits: number;
            dane: { lookup: string; sentences: string[]; level: string } | null;
          }[];
        }[];
      }[];
      changes: { verdict: string; key_unchanged: boolean | null; after_sha256: string; reasons: string[]; locations: string[] }[];
      planned_changes: unknown[];
    },
    feed: readFileSync(join(result.outDir, 'feeds/certificates.atom'), 'utf8'),
  };
}

let fp: Record<string, string> = {};
let keyHash: Record<string, string> = {};

/** `npm run notify` on the fixture site, with the build's certificate history; returns the certificate entries the webhook received this run. */
async function notify(): Promise<{ title: string; kind: string; text: string; components: string[] }[]> {
  const before = hook.deliveries.length;
  const child = spawn(process.execPath, ['scripts/notify.ts', '--root', root], {
    env: { ...process.env, STATUS_HISTORY_DIR: history, NOTIFY_WEBHOOK_SECRET: SECRET, SOURCE_DATE_EPOCH: String(Math.ceil(Date.now() / 1000) + 60) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise((r) => child.on('close', r));
  expect(code, output).toBe(0);
  return hook.deliveries
    .slice(before)
    .filter((d: WebhookDelivery) => d.verified && d.status === 204)
    .map((d) => (d.body as { entry: { title: string; kind: string; text: string; components: string[] } }).entry)
    .filter((e) => e.kind === 'certificate');
}

beforeAll(async () => {
  requireTools([TOOLS.prosody, TOOLS.openssl, TOOLS.dnsmasq]);
  mkdirSync(join(dir, 'certs'));
  mkdirSync(join(dir, 'data'));
  makeCa('ca', 'Test CA');
  makeCa('evil', 'Interception CA');
  makeKey('k1', 'rsa');
  makeKey('k2', 'rsa');
  makeKey('k3', 'ec');
  makeKey('k4', 'rsa');
  makeKey('k5', 'ec'); // the next key, announced for later and not yet in DNS
  fp = {
    a: issue('a', 'k1', 'ca', 90),
    b: issue('b', 'k1', 'ca', 90), // renewal, same key
    c: issue('c', 'k2', 'ca', 90), // new key, B still had 90 days
    d: issue('d', 'k3', 'ca', 90), // announced new key (EC)
    e: issue('e', 'k4', 'evil', 90), // what the interceptor presents
  };
  ports = { c2s: await freePort(), directTls: await freePort(), s2s: await freePort() };
  // DANE: port 5222's TLSA record is for key k3 (the announced one), 5223's for no key we use, 5269 has none.
  const spki = (key: string) =>
    createHash('sha256')
      .update(createPublicKey(readFileSync(join(dir, `${key}.key`))).export({ type: 'spki', format: 'der' }))
      .digest('hex')
      .toUpperCase();
  keyHash = { k3: spki('k3'), k5: spki('k5') };
  dns = await startDnsmasq({
    records: [
      { name: `_${ports.c2s}._tcp.${DOMAIN}`, type: 52, hex: `030101${keyHash.k3}` },
      { name: `_${ports.directTls}._tcp.${DOMAIN}`, type: 52, hex: `030101${'00'.repeat(32)}` },
    ],
    srv: [
      { name: `_xmpp-client._tcp.${DOMAIN}`, target: DOMAIN, port: ports.c2s },
      { name: `_xmpps-client._tcp.${DOMAIN}`, target: DOMAIN, port: ports.directTls },
      { name: `_xmpp-server._tcp.${DOMAIN}`, target: DOMAIN, port: ports.s2s },
    ],
    hosts: [DOMAIN],
  });
  // The fixture site: the sample's site.yaml, monitoring cert.test from two locations.
  mkdirSync(join(root, 'content/updates'), { recursive: true });
  writeFileSync(join(root, 'content/updates/2026-11-21.md'), '---\nauthor: T\nsummary: Fine.\n---\nText.\n');
  const site = readFileSync('content/site.yaml', 'utf8')
    .replace(/  sources:\n(    - .*\n)+/, `  sources:\n    - { name: ams, path: ams.json }\n`)
    .replace(
      /  components:\n(    [a-z0-9-]+: .*\n)+/,
      `  components:\n    c2s: [{ domain: ${DOMAIN}, check: c2s-starttls }]\n    c2s-directtls: [{ domain: ${DOMAIN}, check: c2s-directtls }]\n    s2s: [{ domain: ${DOMAIN}, check: s2s-starttls }]\n`,
    )
    .replace(/intervalSeconds: \d+/, 'intervalSeconds: 300');
  // Notifications go to a signed webhook (the other channels send the same entries: src/lib/notify/deliver.ts).
  hook = await startWebhookReceiver(SECRET);
  const config = parse(site) as Record<string, unknown>;
  config.notify = {
    stateFile: 'state/delivered.jsonl',
    retry: { attempts: 2, firstDelaySeconds: 0.2, maxDelaySeconds: 1 },
    webhooks: [{ name: 'ops', url: hook.url, format: 'json', secretEnv: 'NOTIFY_WEBHOOK_SECRET' }],
  };
  writeFileSync(join(root, 'content/site.yaml'), stringify(config));
}, 120_000);

afterAll(async () => {
  if (prosody) await stopChild(prosody);
  await dns?.stop();
  await hook?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a renewal that keeps the key is an expected change, with the key said to be unchanged', async () => {
  await serve('a');
  await probe('ams', ['ca']);
  await probe('ams', ['ca']);
  await serve('b');
  await probe('ams', ['ca']);
  await probe('ams', ['ca']);
  summarise('ams', false);
  const b = await build();
  // Now: B, seen from ams, on every port, its fingerprint in blocks of four pairs.
  const c2s = b.api.components.find((c) => c.component === 'c2s')!;
  expect(c2s.targets).toHaveLength(1);
  expect(c2s.targets[0]!.target).toBe(`${DOMAIN}:${ports.c2s}`);
  // A renewal is not "several certificates" (a load balancer): the location never went back to the old one.
  expect(c2s.targets[0]!.agreement).toBe('one-location');
  expect(c2s.targets[0]!.locations[0]).toMatchObject({ location: 'ams', sha256: fp.b, key_type: 'rsa', key_bits: 2048 });
  for (const block of fingerprintBlocks(fp.b!)) expect(b.page).toContain(block);
  expect(b.html).toContain(`<span>${fingerprintBlocks(fp.b!)[0]}</span>`);
  // The change: expected, key unchanged, one entry per port.
  expect(b.api.changes).toHaveLength(3);
  for (const change of b.api.changes) expect(change).toMatchObject({ verdict: 'expected', key_unchanged: true, after_sha256: fp.b });
  expect(b.feed).toContain(`<title>Certificate on port ${ports.c2s} (${DOMAIN}) changed: expected renewal</title>`);
  expect(b.feed).toContain(`new SHA-256 ${fp.b}; the key is unchanged.`);
  expect(b.page).toContain('Expected: a renewal: same names and issuer, the key is unchanged.');
  // The all feed and the component's feed carry it too.
  expect(readFileSync(join(b.out, 'feeds/all.atom'), 'utf8')).toContain(`changed: expected renewal`);
  expect(readFileSync(join(b.out, 'feeds/components/c2s.atom'), 'utf8')).toContain(`Certificate on port ${ports.c2s} (${DOMAIN}) changed`);
  expect(readFileSync(join(b.out, 'feeds/components/c2s.atom'), 'utf8')).not.toContain(`Certificate on port ${ports.s2s} (${DOMAIN}) changed`);
  // The notifier's first run marks what exists as delivered (its rule for every entry); later changes are sent.
  expect(await notify()).toEqual([]);
}, 240_000);

test('a new key while the old certificate had months left is unexpected, and the earlier change is still listed', async () => {
  await serve('c');
  await probe('ams', ['ca']);
  await probe('ams', ['ca']);
  summarise('ams', false);
  const c = await build();
  const unexpected = c.api.changes.filter((x) => x.verdict === 'unexpected');
  expect(unexpected).toHaveLength(3);
  expect(unexpected[0]).toMatchObject({ key_unchanged: false, after_sha256: fp.c });
  expect(unexpected[0]!.reasons).toEqual(['a new key while the old certificate still had 89 days left, and no announcement']);
  expect(c.api.changes.filter((x) => x.verdict === 'expected')).toHaveLength(3);
  expect(c.feed).toContain(`<title>Certificate on port ${ports.c2s} (${DOMAIN}) changed: unexpected</title>`);
  expect(c.feed).toContain('the key is new.');
  expect(c.page).toContain(
    'If your app warns about this certificate, do not accept it until it matches the fingerprint on the certificates page from several locations.',
  );
  // The notification: one per port, with the component it concerns.
  const sent = await notify();
  expect(sent.map((e) => e.title).sort()).toEqual(
    [ports.c2s, ports.directTls, ports.s2s].map((p) => `Certificate on port ${p} (${DOMAIN}) changed: unexpected`).sort(),
  );
  expect(sent.find((e) => e.title.includes(String(ports.c2s)))!.components).toEqual(['c2s']);
  expect(sent[0]!.text).toContain(`new SHA-256 ${fp.c}; the key is new.`);
  // Sent once: the next run has nothing new.
  expect(await notify()).toEqual([]);
}, 240_000);

test('an announced new key is expected; two locations that see different certificates are named on the page and the component page; TLSA records that match, mismatch and are missing are compared, and a rotation that would break them is warned of', async () => {
  const from = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const until = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  writeFileSync(
    join(root, 'content/certificates.yaml'),
    `announcements:\n  - domain: ${DOMAIN}\n    from: ${from}\n    until: ${until}\n    fingerprint256: "${fp.d!.replace(/:/g, '').toLowerCase()}"\n    note: We move to a new elliptic-curve key; your app may ask you to accept it.\n` +
      // The next change, a week ahead, to a key whose TLSA record is not published yet.
      `  - domain: ${DOMAIN}\n    checks: [c2s-starttls]\n    from: ${new Date(Date.now() + 7 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z')}\n    until: ${new Date(Date.now() + 8 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z')}\n    spki256: "${keyHash.k5}"\n    note: Next key.\n`,
  );
  const config = parse(readFileSync(join(root, 'content/site.yaml'), 'utf8')) as { probes: { sources: unknown[] } };
  config.probes.sources.push({ name: 'nyc', path: 'nyc.json' });
  writeFileSync(join(root, 'content/site.yaml'), stringify(config));
  await serve('d');
  await probe('ams', ['ca']);
  await probe('ams', ['ca']);
  // nyc's path is intercepted: it sees another CA's certificate, twice in a row.
  await serve('e');
  await probe('nyc', ['ca']);
  await probe('nyc', ['ca']);
  summarise('ams', false);
  summarise('nyc', true); // a compact summary (format 3 since issue 24's typed problems) is read the same way
  expect(JSON.parse(readFileSync(join(root, 'nyc.json'), 'utf8')).v).toBe(3);
  const d = await build();
  const announced = d.api.changes.filter((x) => x.after_sha256 === fp.d);
  expect(announced).toHaveLength(3);
  for (const x of announced) expect(x).toMatchObject({ verdict: 'expected', key_unchanged: false, reasons: ['announced in advance by the administrators'] });
  expect(d.feed).toContain(`<title>Certificate on port ${ports.c2s} (${DOMAIN}) changed: expected, announced</title>`);
  expect(d.feed).toContain('We move to a new elliptic-curve key');
  // The locations disagree on every port, in the JSON and on both pages.
  for (const id of ['c2s', 'c2s-directtls', 's2s']) {
    const t = d.api.components.find((c) => c.component === id)!.targets[0]!;
    expect(t.agreement).toBe('disagree');
    expect(t.disagreeing_groups.map((g) => g.locations)).toEqual([['ams'], ['nyc']]);
    expect(t.locations.find((l) => l.location === 'ams')).toMatchObject({ sha256: fp.d, key_type: 'ec', key_bits: 256 });
    expect(t.locations.find((l) => l.location === 'nyc')!.sha256).toBe(fp.e);
  }
  expect(d.page).toContain('Locations that disagree');
  expect(d.page).toContain('Locations disagree: ams sees one certificate, nyc another, each over two probe runs or more.');
  expect(pageText(d.out, 'components/c2s/index.html')).toContain(
    `Locations disagree about the certificate on ${DOMAIN}:${ports.c2s}: ams sees one certificate, nyc another.`,
  );
  // The planned change is shown while its window lasts.
  expect(d.page).toContain('Planned changes');
  expect(d.page).toContain(fingerprintBlocks(fp.d!)[0]!);
  // DANE, as each location saw it: a match (and the warning that the next announced key is not in DNS yet), a mismatch, none.
  const dane = (id: string, location: string) =>
    d.api.components.find((c) => c.component === id)!.targets[0]!.locations.find((l) => l.location === location)!.dane!;
  expect(dane('c2s', 'ams')).toMatchObject({
    lookup: 'found',
    dnssec: 'not-validated',
    level: 'warning',
    records: [{ usage: 3, selector: 1, mtype: 1, data: keyHash.k3, matches: true }],
  });
  expect(dane('c2s', 'ams').sentences[0]).toBe(
    `1 TLSA record at _${ports.c2s}._tcp.${DOMAIN}: record 1 (DANE-EE, public key, SHA-256) matches the certificate presented.`,
  );
  expect(dane('c2s', 'ams').sentences[1]).toContain('will break DANE: the records match only the key in use now');
  expect(dane('c2s', 'nyc')).toMatchObject({ level: 'warning', records: [{ matches: false }] });
  expect(dane('c2s-directtls', 'ams').sentences[0]).toBe(
    `1 TLSA record at _${ports.directTls}._tcp.${DOMAIN}, and none matches the certificate presented: clients that validate DANE will refuse to connect.`,
  );
  expect(dane('s2s', 'ams')).toMatchObject({
    lookup: 'none',
    level: 'none',
    sentences: [`No TLSA records at _${ports.s2s}._tcp.${DOMAIN}: DANE is not used for this port.`],
  });
  expect(d.page).toContain('The probe does not validate DNSSEC');
  const sent = await notify();
  expect(sent.map((e) => e.title).sort()).toEqual(
    [ports.c2s, ports.directTls, ports.s2s].map((p) => `Certificate on port ${p} (${DOMAIN}) changed: expected, announced`).sort(),
  );
  expect(sent[0]!.text).toContain('We move to a new elliptic-curve key');
  // nyc's view of the interceptor's certificate never becomes a "change" of jabber.org's history for ams.
  expect(d.api.changes.filter((x) => x.after_sha256 === fp.e)).toHaveLength(0);
}, 300_000);
