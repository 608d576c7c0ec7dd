/**
 * Prosody and ejabberd on loopback, each running the README's configuration
 * for the status site exactly: the rig writes only what differs per machine
 * (ports, certificates, folders, logging) and includes
 * deploy/xmpp/prosody-status.cfg.lua or deploy/xmpp/ejabberd-status.yml
 * unchanged (issue 23). The domain is jabber.org, as in those files; the
 * servers listen on 127.0.0.1 only and clients reach them through
 * `notify.xmpp.server`, so nothing leaves the machine.
 *
 * `openRegistration` (the bench only) lets any client on 127.0.0.1 register
 * accounts in band, without the servers' registration throttles.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeEjabberdDir, startEjabberd } from './ejabberd-server.ts';
import { freePort } from './free-port.ts';
import { openssl, runProsody } from './prosody-rig.ts';
import { stopChild } from './stop-child.ts';
import { requireTools, TOOLS } from './system-tools.ts';

export type ServerKind = 'prosody' | 'ejabberd';

export interface StatusServer {
  kind: ServerKind;
  domain: 'jabber.org';
  pubsub: 'pubsub.jabber.org';
  muc: 'conference.jabber.org';
  port: number;
  /** PEM of the rig's CA: NODE_EXTRA_CA_CERTS for processes, setDefaultCACertificates in this one. */
  caFile: string;
  /** Makes an account the way the README says (prosodyctl / ejabberdctl register). */
  register(user: string, password: string): Promise<void>;
  /** What the server logged, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

const DEPLOY = resolve('deploy/xmpp');

/** A CA and a certificate for jabber.org and its subdomains, signed by it. */
function makeCertificates(dir: string): { crt: string; key: string; ca: string } {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Status Rig CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ]);
  writeFileSync(
    join(dir, 'leaf.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:jabber.org,DNS:*.jabber.org\n',
  );
  openssl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=jabber.org', '-keyout', 'jabber.org.key', '-out', 'leaf.csr']);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'leaf.ext',
    '-out',
    'jabber.org.crt',
  ]);
  return { crt: join(dir, 'jabber.org.crt'), key: join(dir, 'jabber.org.key'), ca: join(dir, 'ca.crt') };
}

export async function startStatusServer(kind: ServerKind, o: { openRegistration?: boolean } = {}): Promise<StatusServer> {
  return kind === 'prosody' ? startProsody(o) : startEjabberdStatus(o);
}

async function startProsody(o: { openRegistration?: boolean }): Promise<StatusServer> {
  requireTools([TOOLS.prosody, TOOLS.prosodyctl, TOOLS.openssl, TOOLS.luaDbiSqlite]);
  const dir = mkdtempSync(join(tmpdir(), 'prosody-status-'));
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'certs'));
  const certs = makeCertificates(join(dir, 'certs'));
  const port = await freePort();
  const cfg = join(dir, 'prosody.cfg.lua');
  writeFileSync(
    cfg,
    `-- Written by tests/helpers/status-servers.ts: this machine's part; the status part is the Include at the end.
pidfile = "prosody.pid"
data_path = "${dir}/data"
plugin_paths = { "${DEPLOY}" }
${process.getuid?.() === 0 ? 'run_as_root = true' : ''}
log = { { levels = { min = "info" }, to = "console" } }
interfaces = { "127.0.0.1" }; local_interfaces = { "127.0.0.1" }
c2s_ports = { ${port} }
c2s_direct_tls_ports = { }; legacy_ssl_ports = { }; s2s_ports = { }; s2s_direct_tls_ports = { }
http_ports = { }; https_ports = { }; proxy65_ports = { }
c2s_require_encryption = true
modules_enabled = { "saslauth"; "tls"; "disco"${o.openRegistration ? '; "register"' : ''} }
modules_disabled = { "s2s" }
authentication = "internal_hashed"; storage = "internal"
ssl = { certificate = "${certs.crt}"; key = "${certs.key}" }
${o.openRegistration ? 'allow_registration = true\nregistration_whitelist = { "127.0.0.1" }\nwhitelist_registration_only = false\nmin_seconds_between_registrations = 0\n' : ''}
Include "${DEPLOY}/prosody-status.cfg.lua"
`,
  );
  const child = await runProsody(cfg, dir, [port]);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return {
    kind: 'prosody',
    domain: 'jabber.org',
    pubsub: 'pubsub.jabber.org',
    muc: 'conference.jabber.org',
    port,
    caFile: certs.ca,
    async register(user, password) {
      execFileSync(TOOLS.prosodyctl.path, ['--config', cfg, 'register', user, 'jabber.org', password], { cwd: dir, stdio: 'pipe' });
    },
    log: () => out,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startEjabberdStatus(o: { openRegistration?: boolean }): Promise<StatusServer> {
  const dir = makeEjabberdDir();
  const certs = makeCertificates(dir);
  const port = await freePort();
  // The bench needs in-band registration: ejabberd 23.01 has no way to add
  // a module beside an included `modules:` (a host_config `modules:`
  // replaces the list), so the bench gets a copy of the file with
  // mod_register appended to its `modules:`, the file's last section.
  let statusFile = join(DEPLOY, 'ejabberd-status.yml');
  if (o.openRegistration) {
    statusFile = join(dir, 'ejabberd-status-bench.yml');
    writeFileSync(statusFile, `${readFileSync(join(DEPLOY, 'ejabberd-status.yml'), 'utf8').trimEnd()}\n  mod_register:\n    access: all\n    ip_access: all\n`);
  }
  writeFileSync(
    join(dir, 'ejabberd.yml'),
    `# Written by tests/helpers/status-servers.ts: this machine's part; the status part is include_config_file.
hosts: [jabber.org]
loglevel: info
certfiles: ["${certs.crt}", "${certs.key}"]
auth_method: internal
listen:
  - port: ${port}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    starttls_required: true
    shaper: c2s_shaper
    access: c2s
include_config_file: "${statusFile}"
${o.openRegistration ? 'registration_timeout: infinity\n' : ''}`,
  );
  const server = await startEjabberd(dir, [port]);
  return {
    kind: 'ejabberd',
    domain: 'jabber.org',
    pubsub: 'pubsub.jabber.org',
    muc: 'conference.jabber.org',
    port,
    caFile: certs.ca,
    async register(user, password) {
      await server.ctl(['register', user, 'jabber.org', password]);
    },
    log: server.log,
    stop: server.stop,
  };
}
