/**
 * The ejabberd rig itself: a second real XMPP server that the probe and
 * notifier tests rely on. If this fails, every ejabberd test would fail for
 * the rig's sake, so it says so first.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { client } from '@xmpp/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEjabberd, makeEjabberdDir, type EjabberdServer } from './helpers/ejabberd-server.ts';
import { freePort } from './helpers/free-port.ts';
import { openssl } from './helpers/prosody-rig.ts';

let server: EjabberdServer;
let port: number;
let dir: string;

beforeAll(async () => {
  dir = makeEjabberdDir();
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '7',
    '-subj',
    '/CN=smoke.test',
    '-addext',
    'subjectAltName=DNS:smoke.test',
    '-keyout',
    'k.pem',
    '-out',
    'c.pem',
  ]);
  port = await freePort();
  writeFileSync(
    join(dir, 'ejabberd.yml'),
    `hosts: [smoke.test]\nloglevel: info\ncertfiles: ["${dir}/c.pem", "${dir}/k.pem"]\nlisten:\n  - {port: ${port}, ip: "127.0.0.1", module: ejabberd_c2s, starttls_required: true}\nmodules:\n  mod_roster: {}\n  mod_ping: {}\nauth_method: internal\n`,
  );
  server = await startEjabberd(dir, [port]);
  await server.ctl(['register', 'alice', 'smoke.test', 'alice-password']);
});

afterAll(async () => {
  await server?.stop();
});

test('ejabberd starts on loopback and an account made with ejabberdctl logs in with @xmpp/client', async () => {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  const xmpp = client({ service: `xmpp://127.0.0.1:${port}`, domain: 'smoke.test', username: 'alice', password: 'alice-password' });
  xmpp.on('error', () => undefined);
  const jid = await xmpp.start();
  expect(String(jid)).toMatch(/^alice@smoke\.test\//);
  await xmpp.stop();
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
});
