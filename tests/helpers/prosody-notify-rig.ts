/**
 * A real Prosody on loopback for the notifier (issue 15): one host with the
 * status account, two subscriber accounts, a PubSub component whose admin is
 * the status account (so it may create nodes, as the README's server
 * configuration says) and a MUC component. Certificates are made now with
 * openssl and Prosody is started by the helpers of prosody-rig.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { openssl, runProsody } from './prosody-rig.ts';
import { stopChild } from './stop-child.ts';
import { requireTools, TOOLS } from './system-tools.ts';

export interface NotifyProsody {
  dir: string;
  /** PEM of the test CA; pass as NODE_EXTRA_CA_CERTS to clients. */
  caFile: string;
  port: number;
  domain: 'xmpp.test';
  pubsub: 'pubsub.xmpp.test';
  muc: 'conference.xmpp.test';
  password: string;
  stop(): Promise<void>;
}

export const NOTIFY_ACCOUNTS = ['status', 'alice', 'bob', 'carol'] as const;

export async function startNotifyProsody(): Promise<NotifyProsody> {
  requireTools([TOOLS.prosody, TOOLS.prosodyctl, TOOLS.openssl]);
  const dir = mkdtempSync(join(tmpdir(), 'prosody-notify-'));
  mkdirSync(join(dir, 'certs'));
  mkdirSync(join(dir, 'data'));
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Notify Test CA',
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
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:xmpp.test,DNS:*.xmpp.test\n',
  );
  openssl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=xmpp.test', '-keyout', 'certs/xmpp.test.key', '-out', 'leaf.csr']);
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
    'certs/xmpp.test.crt',
  ]);
  const port = await freePort();
  const cfg = join(dir, 'prosody.cfg.lua');
  writeFileSync(
    cfg,
    `-- Written by tests/helpers/prosody-notify-rig.ts
pidfile = "prosody.pid"
data_path = "data"
certificates = "certs"
${process.getuid?.() === 0 ? 'run_as_root = true' : ''}
log = { { levels = { min = "info" }, to = "console" } }
interfaces = { "127.0.0.1" }; local_interfaces = { "127.0.0.1" }
c2s_ports = { ${port} }
c2s_direct_tls_ports = { }; legacy_ssl_ports = { }; s2s_ports = { }; s2s_direct_tls_ports = { }
http_ports = { }; https_ports = { }; proxy65_ports = { }
c2s_require_encryption = true
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "ping"; "offline" }
modules_disabled = { "s2s" }
authentication = "internal_hashed"; storage = "internal"
ssl = { certificate = "certs/xmpp.test.crt"; key = "certs/xmpp.test.key" }

VirtualHost "xmpp.test"

-- The status account administers the PubSub service, so it may create its nodes.
Component "pubsub.xmpp.test" "pubsub"
  admins = { "status@xmpp.test" }
  pubsub_max_items = 10000

Component "conference.xmpp.test" "muc"
  restrict_room_creation = "local"
`,
  );
  const password = 'notify-test-password';
  for (const user of NOTIFY_ACCOUNTS)
    execFileSync(TOOLS.prosodyctl.path, ['--config', cfg, 'register', user, 'xmpp.test', password], { cwd: dir, stdio: 'pipe' });
  const child = await runProsody(cfg, dir, [port]);
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    port,
    domain: 'xmpp.test',
    pubsub: 'pubsub.xmpp.test',
    muc: 'conference.xmpp.test',
    password,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
