/**
 * Alerts reach the admins (issue 26), asserted at real receivers: an admin's
 * XMPP client on a real Prosody, an SMTP server, and a webhook receiver that
 * checks signatures with the Standard Webhooks reference library. `npm run
 * alert` and `npm run alert:watch` run as their own processes, as the units
 * run them.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { join } from 'node:path';
import { xml, type XmppClient } from '@xmpp/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startNotifyProsody, type NotifyProsody } from './helpers/prosody-notify-rig.ts';
import { startSmtp, type ReceivedMail } from './helpers/smtp-rig.ts';
import { startWebhookReceiver, type WebhookDelivery } from './helpers/webhook-rig.ts';
import { until } from './helpers/until.ts';
import { xmppPager } from './helpers/xmpp-pager.ts';

const SECRET = 'whsec_' + Buffer.from('alert-test-secret-32-bytes-long!').toString('base64');
const site = mkdtempSync(join(tmpdir(), 'alerts-site-'));
const stateDir = mkdtempSync(join(tmpdir(), 'alerts-state-'));
let prosody: NotifyProsody;
let smtp: { port: number; mails: ReceivedMail[]; stop(): Promise<void> };
let hook: { url: string; deliveries: WebhookDelivery[]; stop(): Promise<void> };
let admin: XmppClient;
let second: XmppClient;
const chats: string[] = [];
/** What the second admin online (bob) received; carol, the third, is offline until the last test. */
const bobChats: string[] = [];
let env: NodeJS.ProcessEnv;

async function alert(...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['scripts/alert.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  return { code, output };
}

/** A mail header as read (RFC 2047 encoded words decoded, folded parts joined). */
function header(mail: ReceivedMail, name: string): string {
  const raw = mail.headers.get(name)?.[0] ?? '';
  return raw.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_, q: string) =>
    Buffer.from(
      q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8'),
  );
}

function publishStatus(alerts: { key: string; text: string }[], lastSuccessAt = '2026-11-21T21:26:00.000Z'): void {
  writeFileSync(
    join(site, 'publish-status.json'),
    JSON.stringify({ ranAt: '2026-11-21T21:26:00.000Z', result: 'published', lastSuccessAt, live: null, commit: null, hold: null, alerts }),
  );
}

const broken = {
  key: 'content-check-failed:69644cdd9321',
  text: 'The newest commit 69644cdd9321 ("Add an incident with a typo") on main fails the content check, so it is not published; the page is built from 2d14e837ba15 with fresh monitoring instead. Fix and push:\n  incidents/2026/2026-11-21-broken.md:3: impact: "severe" is not allowed. Use one of: none, minor, major, critical',
};

beforeAll(async () => {
  [prosody, smtp, hook] = await Promise.all([startNotifyProsody(), startSmtp(), startWebhookReceiver(SECRET)]);
  // The admin's client (in this process) trusts the test CA like the alert command (NODE_EXTRA_CA_CERTS).
  setDefaultCACertificates([...getCACertificates('default'), readFileSync(prosody.caFile, 'utf8')]);
  admin = pager('alice', chats);
  await admin.start();
  await admin.send(xml('presence', {}));
  // More than one admin: the alert must reach every address in ALERT_XMPP_TO, not only the first.
  second = pager('bob', bobChats);
  await second.start();
  await second.send(xml('presence', {}));
  mkdirSync(join(site, 'current'), { recursive: true });
  env = {
    ...process.env,
    NODE_EXTRA_CA_CERTS: prosody.caFile,
    SOURCE_DATE_EPOCH: String(Date.parse('2026-11-21T21:26:30Z') / 1000),
    ALERT_XMPP_JID: 'status@xmpp.test',
    ALERT_XMPP_PASSWORD: prosody.password,
    ALERT_XMPP_TO: 'alice@xmpp.test, bob@xmpp.test,carol@xmpp.test',
    ALERT_XMPP_SERVER: `127.0.0.1:${prosody.port}`,
    ALERT_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    ALERT_MAIL_FROM: 'status@status.test',
    ALERT_MAIL_TO: 'admins@status.test',
    ALERT_WEBHOOK_URL: hook.url,
    ALERT_WEBHOOK_SECRET: SECRET,
  };
}, 60_000);

/** An admin's chat client on the rig, collecting chat bodies into `into`. */
const pager = (username: string, into: string[]): XmppClient =>
  xmppPager({ port: prosody.port, domain: 'xmpp.test', password: prosody.password }, username, into);

afterAll(async () => {
  await admin?.stop().catch(() => undefined);
  await second?.stop().catch(() => undefined);
  await Promise.all([prosody?.stop(), smtp?.stop(), hook?.stop()]);
  for (const d of [site, stateDir]) rmSync(d, { recursive: true, force: true });
});

describe('npm run alert on the build host', () => {
  const state = () => join(stateDir, 'build.json');

  test('a content check failure reaches the admin over XMPP, mail and the webhook, naming the commit and file:line', async () => {
    publishStatus([broken]);
    const result = await alert('--site', site, '--state', state());
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('Sent 1 alert message by mail, webhook, xmpp.');
    await until('the chat message', () => chats.length === 1 && bobChats.length === 1);
    expect(chats[0]).toContain('[jabber.org status] ALERT: The newest commit 69644cdd9321');
    expect(bobChats).toEqual(chats);
    expect(chats[0]).toContain('incidents/2026/2026-11-21-broken.md:3: impact:');
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(['admins@status.test']);
    expect(header(smtp.mails[0]!, 'subject')).toMatch(/^\[jabber\.org status\] ALERT: The newest commit 69644cdd9321 .*…$/);
    expect(hook.deliveries).toHaveLength(1);
    expect(hook.deliveries[0]).toMatchObject({ verified: true, status: 204, body: { type: 'alert.raised', key: broken.key } });
  }, 60_000);

  test('the same cause a minute later is not sent again', async () => {
    const result = await alert('--site', site, '--state', state());
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('1 alert open, already sent: content-check-failed:69644cdd9321.');
    await new Promise((r) => setTimeout(r, 1000));
    expect([chats.length, smtp.mails.length, hook.deliveries.length]).toEqual([1, 1, 1]);
  }, 60_000);

  test('when it clears, every path gets "resolved"', async () => {
    publishStatus([]);
    const result = await alert('--site', site, '--state', state());
    expect(result.code, result.output).toBe(0);
    await until('the resolved chat message', () => chats.length === 2 && bobChats.length === 2);
    expect(chats[1]).toMatch(/^\[jabber\.org status\] RESOLVED: The newest commit 69644cdd9321/);
    expect(bobChats).toEqual(chats);
    expect(header(smtp.mails[1]!, 'subject')).toMatch(/^\[jabber\.org status\] RESOLVED: The newest commit/);
    expect(hook.deliveries[1]).toMatchObject({ verified: true, body: { type: 'alert.resolved' } });
  }, 60_000);

  test('a component monitoring sees down with no incident declared is an alert', async () => {
    mkdirSync(join(site, 'current/api/v2/incidents'), { recursive: true });
    writeFileSync(
      join(site, 'current/api/v2/components.json'),
      JSON.stringify({
        components: [{ id: 'c2s', name: 'Client connections (port 5222)', group: false, monitoring: { verdict: 'down', locations_reporting: 3 } }],
      }),
    );
    writeFileSync(join(site, 'current/api/v2/incidents/unresolved.json'), JSON.stringify({ incidents: [] }));
    const result = await alert('--site', site, '--state', state());
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('ALERT: Monitoring sees Client connections (port 5222) down (3 locations reporting) and no incident is declared.');
    expect(hook.deliveries.at(-1)).toMatchObject({ body: { key: 'monitoring-down:c2s' } });
  }, 60_000);
});

describe('npm run alert:watch on the probe hosts', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ranAt: '2026-11-21T21:25:00.000Z', lastSuccessAt: '2026-11-21T21:20:00.000Z' })),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/publish-status.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('two probe hosts notice a publish loop silent for over 5 minutes, and the admin gets one delivery id', async () => {
    const before = hook.deliveries.length;
    const ams = await alert('--watch', url, '--state', join(stateDir, 'ams.json'));
    const fra = await alert('--watch', url, '--state', join(stateDir, 'fra.json'));
    expect(ams.code, ams.output).toBe(0);
    expect(fra.code, fra.output).toBe(0);
    expect(ams.output).toContain('ALERT: The status page has not been published successfully for over 5 minutes (last success: 7 min ago');
    const ids = hook.deliveries.slice(before).map((d) => d.id);
    expect(ids).toHaveLength(2);
    // The same webhook-id (and Idempotency-Key): a receiver that dedupes shows one alert.
    expect(new Set(ids).size).toBe(1);
  }, 60_000);
});

test('the third admin, offline while the alerts went out, finds every one of them on logging in', async () => {
  // Counted after every other test has sent: carol never had a client online.
  const expected = chats.length;
  expect(expected).toBeGreaterThanOrEqual(3);
  const carolChats: string[] = [];
  const carol = pager('carol', carolChats);
  try {
    await carol.start();
    await carol.send(xml('presence', {}));
    await until('the offline messages', () => carolChats.length >= expected);
    expect(carolChats).toEqual(chats);
  } finally {
    await carol.stop().catch(() => undefined);
  }
}, 60_000);
