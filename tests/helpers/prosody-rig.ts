/**
 * A real Prosody on loopback for the probe tests, set up the way
 * shared/research/xmpp-probing.md §5 verified: certificates made now with
 * openssl (so none expire in the repo), one VirtualHost per certificate
 * variant (Prosody picks the certificate by SNI or stream `to`), MUC, a
 * SOCKS5 proxy, XEP-0157 contact addresses, and an account for logged-in
 * checks.
 *
 * Some hosts reproduce faults other servers were seen to have (issue 13).
 * Where Prosody 0.12 has an option for it, the host uses that option; where
 * it has none, a few lines of Prosody plugin in the rig's `plugins/` make the
 * real server behave as the other server did (each plugin says which).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port.ts';
import { stopChild } from './stop-child.ts';
import { requireTools, TOOLS } from './system-tools.ts';

export interface ProsodyRig {
  dir: string;
  caFile: string;
  ports: { c2s: number; directTls: number; s2s: number };
  account: { jid: string; password: string };
  stop(): Promise<void>;
}

/** Hosts served, and the subjectAltName of each one's certificate. */
const CA_SIGNED = {
  'xmpp.test':
    'DNS:xmpp.test,DNS:*.xmpp.test,otherName:1.3.6.1.5.5.7.8.5;UTF8:xmpp.test,otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-client.xmpp.test,otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.xmpp.test',
  // Only XMPP names: valid per RFC 6120, rejected by a DNS-only check.
  'xmpponly.test':
    'otherName:1.3.6.1.5.5.7.8.5;UTF8:xmpponly.test,otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-client.xmpponly.test,otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.xmpponly.test',
  'wrongname.test': 'DNS:other.example',
  'closed.test': 'DNS:closed.test',
  // Federation switched off (mod_s2s disabled) and its SRV target is ".".
  'nofed.test': 'DNS:nofed.test',
  // Federation refused by an access policy.
  'policy.test': 'DNS:policy.test',
  // Stanzas to remote domains vanish: a federation ping never comes back.
  'blackhole.test': 'DNS:blackhole.test',
  // Registration form answered, but no <register/> feature and submissions refused.
  'formonly.test': 'DNS:formonly.test',
  // Registration by invitation only (mod_invites_register).
  'invite.test': 'DNS:invite.test',
  // No in-band registration; the pre-login query is answered with a stream error.
  'noibr.test': 'DNS:noibr.test',
  // Hardened logins: SCRAM-SHA-256 only; the second also only TLS 1.2, so -PLUS (tls-unique) is offered.
  'sha256.test': 'DNS:sha256.test',
  'sha256plus.test': 'DNS:sha256plus.test',
  // Directory policy variants (issue 17): a compliant host whose DNS says
  // "no direct TLS", and one that publishes no XEP-0157 contact addresses.
  'nodtls.test': 'DNS:nodtls.test',
  'nocontact.test': 'DNS:nocontact.test',
};

/** Hosts with an account `probe@<host>` (same password) for the logged-in checks. */
export const ACCOUNT_HOSTS = ['xmpp.test', 'nofed.test', 'policy.test', 'blackhole.test', 'sha256.test', 'sha256plus.test', 'nocontact.test'] as const;

/**
 * Prosody plugins for faults that Prosody 0.12 has no option for. Each
 * copies what another server does, as described in issue 13.
 */
const PLUGINS: Record<string, string> = {
  // Like an s2s access rule (ejabberd's `s2s_access`, or mod_s2s_whitelist with
  // an empty list): every stanza to a remote domain is refused locally.
  rig_s2s_policy: `local st = require "util.stanza";
module:hook("route/remote", function (event)
  local stanza = event.stanza;
  if stanza.attr.type == "error" or stanza.attr.type == "result" then return true; end
  module:send(st.error_reply(stanza, "cancel", "forbidden", "Access denied by service policy"));
  return true;
end, 100);
`,
  // Like a remote server that accepted the s2s connection and then froze:
  // stanzas to remote domains are dropped without an answer.
  rig_s2s_blackhole: `module:hook("route/remote", function () return true; end, 100);
`,
  // Stops advertising <register/> while mod_register_ibr still answers the
  // query with its form (submissions are refused by registration_blocklist).
  rig_hide_register_feature: `module:hook("stream-features", function (event)
  event.features:maptags(function (tag)
    if tag.name == "register" and tag.attr.xmlns == "http://jabber.org/features/iq-register" then return nil; end
    return tag;
  end);
end, -100);
`,
  // RFC 6120 §4.9.3.12 lets a server answer any stanza sent before
  // authentication with a not-authorized stream error; some do for the
  // registration query when in-band registration is off.
  rig_unauthed_not_authorized: `module:hook("stanza/iq/jabber:iq:register:query", function (event)
  if event.origin.type == "c2s_unauthed" then
    event.origin:close("not-authorized");
    return true;
  end
end, 100);
`,
};

/** Runs openssl in `dir` (certificates for the rigs), failing with its error output. */
export function openssl(dir: string, args: string[]): void {
  execFileSync(TOOLS.openssl.path, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Starts Prosody in the foreground with `cfg` and waits until every port
 * listens; if it does not, kills it and fails with what Prosody printed.
 * @param ports e.g. `[5222, 5223, 5269]` as chosen by `freePort()`
 */
export async function runProsody(cfg: string, dir: string, ports: readonly number[]): Promise<ChildProcess> {
  let log = '';
  const child: ChildProcess = spawn(TOOLS.prosody.path, ['-F', '--config', cfg], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  try {
    await Promise.all(ports.map((port) => waitForPort(port)));
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`Prosody did not start: ${(err as Error).message}\n${log}`);
  }
  return child;
}

function makeCertificates(dir: string, extraHosts: boolean): void {
  // Benchmarks serve many domains under one wildcard certificate.
  makeTestCertificates(dir, extraHosts ? { ...CA_SIGNED, 'bench.test': 'DNS:*.bench.test' } : CA_SIGNED);
}

/**
 * Writes `ca.crt` (a test CA made now) and, in `certs/`, a CA-signed
 * `<host>.crt`/`.key` for each host with the given subjectAltName, plus
 * `selfsigned.test` and `expired.test` (expired in 2020, same CA). Shared
 * by the Prosody and ejabberd probe rigs, so both serve the same variants.
 * @param hosts e.g. `{ 'wrongname.test': 'DNS:other.example' }`
 */
export function makeTestCertificates(dir: string, hosts: Record<string, string>): void {
  mkdirSync(join(dir, 'certs'));
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '30',
    '-subj',
    '/CN=Probe Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ]);
  for (const [host, san] of Object.entries(hosts)) {
    writeFileSync(
      join(dir, `${host}.ext`),
      `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=${san}\n`,
    );
    openssl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${host}`, '-keyout', `certs/${host}.key`, '-out', `${host}.csr`]);
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${host}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '7',
      '-extfile',
      `${host}.ext`,
      '-out',
      `certs/${host}.crt`,
    ]);
  }
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '7',
    '-subj',
    '/CN=selfsigned.test',
    '-addext',
    'subjectAltName=DNS:selfsigned.test',
    '-keyout',
    'certs/selfsigned.test.key',
    '-out',
    'certs/selfsigned.test.crt',
  ]);
  // An expired certificate from the same CA: `openssl ca` can set past dates.
  mkdirSync(join(dir, 'caDB'));
  writeFileSync(join(dir, 'caDB/index.txt'), '');
  writeFileSync(join(dir, 'caDB/serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ ca ]\ndefault_ca = testca\n[ testca ]\ndir = .\ndatabase = caDB/index.txt\nserial = caDB/serial\nnew_certs_dir = caDB\ncertificate = ca.crt\nprivate_key = ca.key\ndefault_md = sha256\npolicy = any\n[ any ]\ncommonName = supplied\n[ ext ]\nbasicConstraints=CA:FALSE\nsubjectAltName=DNS:expired.test\n`,
  );
  openssl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=expired.test', '-keyout', 'certs/expired.test.key', '-out', 'expired.csr']);
  openssl(dir, [
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-extensions',
    'ext',
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200201000000Z',
    '-in',
    'expired.csr',
    '-out',
    'certs/expired.test.crt',
  ]);
}

function config(dir: string, ports: ProsodyRig['ports'], extraHosts: readonly string[]): string {
  const host = (name: string, extra = '', cert = name, ssl = '') =>
    `VirtualHost "${name}"\n  ssl = { certificate = "certs/${cert}.crt"; key = "certs/${cert}.key"${ssl} }\n${extra}`;
  return `-- Written by tests/helpers/prosody-rig.ts
pidfile = "prosody.pid" -- inside data_path (Prosody chdirs there)
data_path = "data"
certificates = "certs"
plugin_paths = { "${join(dir, 'plugins')}" }
${process.getuid?.() === 0 ? 'run_as_root = true' : ''}
log = { { levels = { min = "info" }, to = "console" } }
interfaces = { "127.0.0.1" }; local_interfaces = { "127.0.0.1" }
c2s_ports = { ${ports.c2s} }
c2s_direct_tls_ports = { ${ports.directTls} }
s2s_ports = { ${ports.s2s} }
legacy_ssl_ports = { }
s2s_direct_tls_ports = { }
http_ports = { }; https_ports = { }
proxy65_ports = { }
c2s_require_encryption = true; s2s_require_encryption = true
s2s_secure_auth = false
modules_enabled = { "roster"; "saslauth"; "tls"; "dialback"; "disco"; "version"; "uptime"; "time"; "ping"; "register"; "server_contact_info" }
allow_registration = true
authentication = "internal_hashed"; storage = "internal"
contact_info = {
  admin = { "xmpp:admin@xmpp.test", "mailto:xmpp@xmpp.test" };
  abuse = { "mailto:abuse@xmpp.test" };
  support = { "https://www.xmpp.test/support" };
}
disco_items = { { "gateway.example.net", "Example legacy-IM gateway" } }
${host('xmpp.test')}
${host('xmpponly.test')}
${host('selfsigned.test')}
${host('expired.test')}
${host('wrongname.test')}
${host('closed.test', '  allow_registration = false\n')}
${host('nofed.test', '  modules_disabled = { "s2s" }\n')}
${host('policy.test', '  modules_enabled = { "rig_s2s_policy" }\n')}
${host('blackhole.test', '  modules_enabled = { "rig_s2s_blackhole" }\n')}
${host('formonly.test', '  modules_enabled = { "rig_hide_register_feature" }\n  registration_allowlist = { }; registration_blocklist = { "127.0.0.1", "::1" }\n')}
${host('invite.test', '  allow_registration = false\n  modules_enabled = { "invites_register" }\n')}
${host('noibr.test', '  allow_registration = false\n  modules_enabled = { "rig_unauthed_not_authorized" }\n')}
${host('sha256.test', '  password_hash = "SHA-256"\n  disable_sasl_mechanisms = { "PLAIN", "DIGEST-MD5" }\n')}
${host('sha256plus.test', '  password_hash = "SHA-256"\n  disable_sasl_mechanisms = { "PLAIN", "DIGEST-MD5" }\n', 'sha256plus.test', '; protocol = "tlsv1_2"')}
${host('nodtls.test')}
${host('nocontact.test', '  contact_info = { }\n')}
${extraHosts.map((h) => host(h, '', 'bench.test')).join('\n')}
Component "conference.xmpp.test" "muc"
  restrict_room_creation = "local"
Component "proxy.xmpp.test" "proxy65"
  proxy65_address = "127.0.0.1"
`;
}

/**
 * @param options.extraHosts more domains under `.bench.test`, e.g. for the
 *   probe benchmark, all served with one `*.bench.test` certificate
 */
export async function startProsody(options: { extraHosts?: readonly string[] } = {}): Promise<ProsodyRig> {
  requireTools([TOOLS.prosody, TOOLS.prosodyctl, TOOLS.openssl]);
  const dir = mkdtempSync(join(tmpdir(), 'prosody-rig-'));
  const extraHosts = options.extraHosts ?? [];
  makeCertificates(dir, extraHosts.length > 0);
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'plugins'));
  for (const [name, lua] of Object.entries(PLUGINS))
    writeFileSync(join(dir, 'plugins', `mod_${name}.lua`), `-- Written by tests/helpers/prosody-rig.ts\n${lua}`);
  const ports = { c2s: await freePort(), directTls: await freePort(), s2s: await freePort() };
  const cfg = join(dir, 'prosody.cfg.lua');
  writeFileSync(cfg, config(dir, ports, extraHosts));
  const account = { jid: 'probe@xmpp.test', password: 'probe-test-password' };
  // prosodyctl resolves data_path against its cwd, so run it from the rig.
  for (const h of ACCOUNT_HOSTS) execFileSync(TOOLS.prosodyctl.path, ['--config', cfg, 'register', 'probe', h, account.password], { cwd: dir, stdio: 'pipe' });
  const child = await runProsody(cfg, dir, [ports.c2s, ports.directTls, ports.s2s]);
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    ports,
    account,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
