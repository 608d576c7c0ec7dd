/**
 * Alerts reach every admin on either XMPP server (issue 26, with more than
 * one of everything): `npm run alert` as its own process, as the publish
 * unit runs it, sends one cause to three admins on Prosody and on ejabberd,
 * each running the README's configuration (deploy/xmpp/): two online, one
 * offline until afterwards. Every admin gets the alert once, and "resolved"
 * once when it clears. (tests/alerts-delivery.test.ts covers mail, the
 * webhook and the outside watch on Prosody.)
 */
import { until } from './helpers/until.ts';
import { xmppPager } from './helpers/xmpp-pager.ts';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { xml, type XmppClient } from '@xmpp/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startStatusServer, type ServerKind, type StatusServer } from './helpers/status-servers.ts';

const PASSWORD = 'alert-test-password';
const ADMINS = ['alice', 'bob', 'carol'] as const;

describe.each<ServerKind>(['prosody', 'ejabberd'])('alerts to three admins on %s', (kind) => {
  let server: StatusServer;
  const site = mkdtempSync(join(tmpdir(), `alerts-${kind}-`));
  const got: Record<string, string[]> = { alice: [], bob: [], carol: [] };
  const clients: XmppClient[] = [];

  function pager(name: string): XmppClient {
    const c = xmppPager({ port: server.port, domain: 'jabber.org', password: PASSWORD }, name, got[name]!);
    clients.push(c);
    return c;
  }

  function alert(): Promise<{ code: number | null; output: string }> {
    const env = {
      ...process.env,
      NODE_EXTRA_CA_CERTS: server.caFile,
      ALERT_XMPP_JID: 'status@jabber.org',
      ALERT_XMPP_PASSWORD: PASSWORD,
      ALERT_XMPP_TO: ADMINS.map((a) => `${a}@jabber.org`).join(','),
      ALERT_XMPP_SERVER: `127.0.0.1:${server.port}`,
    };
    const child = spawn(process.execPath, ['scripts/alert.ts', '--site', site, '--state', join(site, 'alerts.json')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    return new Promise((r) => child.once('exit', (code) => r({ code, output })));
  }

  const status = (alerts: { key: string; text: string }[]) =>
    writeFileSync(
      join(site, 'publish-status.json'),
      JSON.stringify({
        ranAt: new Date().toISOString(),
        result: 'published',
        lastSuccessAt: new Date().toISOString(),
        live: null,
        commit: null,
        hold: null,
        alerts,
      }),
    );

  beforeAll(async () => {
    server = await startStatusServer(kind);
    for (const user of ['status', ...ADMINS]) await server.register(user, PASSWORD);
    setDefaultCACertificates([...getCACertificates('default'), readFileSync(server.caFile, 'utf8')]);
    for (const name of ['alice', 'bob']) {
      const c = pager(name);
      await c.start();
      await c.send(xml('presence', {}));
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) await c.stop().catch(() => undefined);
    await server?.stop();
    rmSync(site, { recursive: true, force: true });
  });

  test('an alert and its "resolved" reach the two admins online, each once', async () => {
    status([{ key: 'build-failed:abc', text: 'The build failed for commit abc; the live release is unchanged.' }]);
    const raised = await alert();
    expect(raised.code, raised.output).toBe(0);
    await until('alice and bob to have the alert', () => got.alice!.length >= 1 && got.bob!.length >= 1);
    status([]);
    const cleared = await alert();
    expect(cleared.code, cleared.output).toBe(0);
    await until('alice and bob to have "resolved"', () => got.alice!.length >= 2 && got.bob!.length >= 2);
    await new Promise((r) => setTimeout(r, 1000));
    for (const name of ['alice', 'bob']) {
      expect(got[name]!.map((t) => t.split(':')[0])).toEqual(['[jabber.org status] ALERT', '[jabber.org status] RESOLVED']);
    }
    expect(got.alice![0]).toContain('The build failed for commit abc');
  }, 60_000);

  test('the admin who was offline finds both messages on logging in', async () => {
    const c = pager('carol');
    await c.start();
    await c.send(xml('presence', {}));
    await until('carol to have both stored messages', () => got.carol!.length >= 2);
    expect(got.carol).toEqual(got.alice);
  }, 60_000);
});
