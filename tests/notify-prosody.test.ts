/**
 * `npm run notify` and `npm run notify:contact` as real processes against a
 * real Prosody (PubSub + MUC), an SMTP server and a webhook receiver, all on
 * loopback (issue 15). Alice is an ordinary XMPP user with @xmpp/client: she
 * subscribes to the node, adds the status contact and joins the room, and
 * everything her client receives is recorded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { client, xml, type XmppClient } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { deliveryId } from '../src/lib/notify/message-id.ts';
import { parseState } from '../src/lib/notify/delivery-state.ts';
import { startNotifyProsody, type NotifyProsody } from './helpers/prosody-notify-rig.ts';
import { startSmtp } from './helpers/smtp-rig.ts';
import { startWebhookReceiver } from './helpers/webhook-rig.ts';
import { until } from './helpers/until.ts';

const NOW = '2026-11-21T06:00:00Z';
const SECRET = 'whsec_' + Buffer.from('notify-test-webhook-secret-0123456789').toString('base64');
const ROOM = 'status@conference.xmpp.test';
const NICK = 'jabber.org status';

let prosody: NotifyProsody;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let root: string;
let env: NodeJS.ProcessEnv;
let contact: ChildProcess;
let contactLog = '';
let alice: XmppClient;
/** Everything Alice's client received, in order. */
const received: { kind: 'pubsub' | 'contact' | 'room' | 'presence'; id: string; text: string }[] = [];

/** Runs `npm run notify` as its own process; asynchronously, since the SMTP and webhook servers live in this one. */
async function notify(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['scripts/notify.ts', '--root', root, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { status, stdout, stderr };
}

/** Settles: no new stanza for Alice for `quiet` ms. */
async function settle(quiet = 1500): Promise<void> {
  let n = -1;
  while (n !== received.length) {
    n = received.length;
    await new Promise((r) => setTimeout(r, quiet));
  }
}

function writeIncident(updates: string): void {
  writeFileSync(
    join(root, 'incidents/2026/2026-11-21-client-logins-fail.md'),
    `---\ntitle: Logins fail for every client\nimpact: critical\naffected:\n  - id: c2s\n    status: major-outage\nupdates:\n${updates}---\n`,
  );
}
const INVESTIGATING = `  - at: 2026-11-21T05:50:00Z\n    status: investigating\n    message: Logins from XMPP apps fail with a timeout. We are looking into it.\n`;
const RESOLVED = `  - at: 2026-11-21T05:58:00Z\n    status: resolved\n    message: The connection manager was restarted; logins work again.\n`;

const countOf = (kind: string, id: string) => received.filter((r) => r.kind === kind && r.id === id).length;
const lastPresence = () => received.filter((r) => r.kind === 'presence').at(-1)?.text;

beforeAll(async () => {
  [prosody, smtp] = await Promise.all([startNotifyProsody(), startSmtp()]);
  hook = await startWebhookReceiver(SECRET);
  // Alice's client (in this process) trusts the test CA like the notifier's (NODE_EXTRA_CA_CERTS).
  setDefaultCACertificates([...getCACertificates('default'), readFileSync(prosody.caFile, 'utf8')]);

  root = mkdtempSync(join(tmpdir(), 'notify-site-'));
  cpSync('incidents', join(root, 'incidents'), { recursive: true });
  cpSync('content', join(root, 'content'), { recursive: true });
  const site = parse(readFileSync(join(root, 'content/site.yaml'), 'utf8')) as Record<string, unknown>;
  site.notify = {
    stateFile: 'state/delivered.jsonl',
    retry: { attempts: 3, firstDelaySeconds: 0.2, maxDelaySeconds: 1 },
    xmpp: {
      jid: 'status@xmpp.test',
      passwordEnv: 'NOTIFY_XMPP_PASSWORD',
      server: `127.0.0.1:${prosody.port}`,
      pubsub: { service: prosody.pubsub, node: 'status' },
      contact: { refreshSeconds: 3600 },
      room: { jid: ROOM, nick: NICK },
    },
    email: {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      from: 'jabber.org status <status@xmpp.test>',
      to: 'status-announce@lists.xmpp.test',
      headers: { 'List-Id': 'jabber.org status <status-announce.lists.xmpp.test>', 'List-Unsubscribe': '<mailto:status-announce-leave@lists.xmpp.test>' },
    },
    webhooks: [{ name: 'ops', url: hook.url, secretEnv: 'NOTIFY_WEBHOOK_SECRET' }],
  };
  writeFileSync(join(root, 'content/site.yaml'), stringify(site));
  env = {
    ...process.env,
    NOTIFY_XMPP_PASSWORD: prosody.password,
    NOTIFY_WEBHOOK_SECRET: SECRET,
    NODE_EXTRA_CA_CERTS: prosody.caFile,
    SOURCE_DATE_EPOCH: String(Date.parse(NOW) / 1000),
  };

  contact = spawn(process.execPath, ['scripts/notify-contact.ts', '--root', root], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  contact.stdout!.on('data', (d: Buffer) => (contactLog += d.toString()));
  contact.stderr!.on('data', (d: Buffer) => (contactLog += d.toString()));
  await until('the status contact to come online', () => contactLog.includes('presence:'), 30_000);
});

afterAll(async () => {
  await alice?.stop().catch(() => undefined);
  if (contact && contact.exitCode === null) {
    contact.kill('SIGTERM');
    await new Promise((r) => contact.once('exit', r));
  }
  await Promise.all([prosody?.stop(), smtp?.stop(), hook?.stop()]);
  if (root) rmSync(root, { recursive: true, force: true });
});

describe.sequential('the sample story through npm run notify', () => {
  let sampleIds: string[] = [];

  test('the first run with --backfill sends every sample entry once to the node, the room, the list and the webhook', async () => {
    const run = await notify('--backfill', '1000');
    expect(run.stderr).not.toContain('FAILED');
    expect(run.status).toBe(0);
    const state = parseState(readFileSync(join(root, 'state/delivered.jsonl'), 'utf8')).state;
    sampleIds = [...state.get('pubsub:status')!.delivered];
    expect(sampleIds.length).toBeGreaterThan(30);
    for (const channel of ['pubsub:status', 'contact', 'room', 'email', 'webhook:ops'])
      expect([...state.get(channel)!.delivered].sort()).toEqual([...sampleIds].sort());
    // Each entry reached the list once, with its stable Message-ID and the List-* headers.
    expect(smtp.mails).toHaveLength(sampleIds.length);
    const messageIds = smtp.mails.map((m) => m.headers.get('message-id')![0]);
    expect(new Set(messageIds).size).toBe(sampleIds.length);
    expect(messageIds).toContain(`<${deliveryId(sampleIds[0]!)}@status.jabber.org>`);
    const first = smtp.mails[0]!;
    expect(first.to).toEqual(['status-announce@lists.xmpp.test']);
    expect(first.headers.get('list-id')).toEqual(['jabber.org status <status-announce.lists.xmpp.test>']);
    expect(first.headers.get('list-unsubscribe')).toEqual(['<mailto:status-announce-leave@lists.xmpp.test>']);
    expect(first.headers.get('content-type')![0]).toMatch(/^multipart\/alternative/);
    expect(first.raw).toMatch(/Content-Type: text\/plain/);
    expect(first.raw).toMatch(/Content-Type: text\/html/);
    // Every webhook verified with the reference Standard Webhooks library.
    expect(hook.deliveries).toHaveLength(sampleIds.length);
    expect(hook.deliveries.every((d) => d.verified && d.status === 204)).toBe(true);
  });

  test('Alice subscribes to the node, adds the status contact, joins the room, and sees the status as presence', async () => {
    alice = client({ service: `xmpp://127.0.0.1:${prosody.port}`, domain: 'xmpp.test', username: 'alice', password: prosody.password, resource: 'phone' });
    alice.reconnect.stop();
    alice.on('error', () => undefined);
    alice.on('stanza', (s: Element) => {
      const from = s.attrs.from ?? '';
      const items = s.getChild('event', 'http://jabber.org/protocol/pubsub#event')?.getChild('items');
      if (s.name === 'message' && items) {
        for (const item of items.getChildren('item'))
          received.push({ kind: 'pubsub', id: item.attrs.id!, text: item.getChild('entry', 'http://www.w3.org/2005/Atom')?.getChildText('title') ?? '' });
      } else if (s.name === 'message' && s.attrs.type === 'chat' && from.startsWith('status@xmpp.test/') && s.getChild('body')) {
        received.push({ kind: 'contact', id: s.attrs.id!, text: s.getChildText('body')! });
      } else if (s.name === 'message' && s.attrs.type === 'groupchat' && from === `${ROOM}/${NICK}` && s.getChild('body')) {
        received.push({ kind: 'room', id: s.attrs.id!, text: s.getChildText('body')! });
      } else if (s.name === 'presence' && from.startsWith('status@xmpp.test/') && !s.attrs.type) {
        received.push({ kind: 'presence', id: from, text: `${s.getChildText('show') ?? 'available'}: ${s.getChildText('status')}` });
      }
    });
    await alice.start();
    await alice.send(xml('presence', {}));
    await alice.iqCaller.request(
      xml(
        'iq',
        { type: 'set', to: prosody.pubsub },
        xml('pubsub', { xmlns: 'http://jabber.org/protocol/pubsub' }, xml('subscribe', { node: 'status', jid: 'alice@xmpp.test' })),
      ),
    );
    await alice.iqCaller.request(
      xml('iq', { type: 'set' }, xml('query', { xmlns: 'jabber:iq:roster' }, xml('item', { jid: 'status@xmpp.test', name: 'jabber.org status' }))),
    );
    await alice.send(xml('presence', { to: 'status@xmpp.test', type: 'subscribe' }));
    await alice.send(xml('presence', { to: `${ROOM}/alice` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' }, xml('history', { maxchars: '0' }))));
    await until('the status contact presence', () => lastPresence() !== undefined);
    // Issue 27: the reader name from site.yaml, not the server part.
    expect(lastPresence()).toBe('away: Degraded performance: Chatting with people on other servers');

    // The node kept the history for her: one item per sample entry, each id once.
    const items = await alice.iqCaller.request(
      xml('iq', { type: 'get', to: prosody.pubsub }, xml('pubsub', { xmlns: 'http://jabber.org/protocol/pubsub' }, xml('items', { node: 'status' }))),
    );
    const ids = items
      .getChild('pubsub')!
      .getChild('items')!
      .getChildren('item')
      .map((i) => i.attrs.id);
    expect([...ids].sort()).toEqual([...sampleIds].sort());
  });

  let newId = '';
  test('a new incident update reaches Alice once on each channel, the webhook after one retry, and the contact turns red', async () => {
    await settle();
    const before = received.length;
    writeIncident(INVESTIGATING);
    hook.failNext(1);
    const mailsBefore = smtp.mails.length;
    const hooksBefore = hook.deliveries.length;
    const run = await notify();
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/webhook:ops: try 1 of 3 failed on .*: POST to 127\.0\.0\.1:\d+ answered HTTP 503; retrying in 200 ms/);
    contact.kill('SIGHUP');
    await until(
      'the new entry on every XMPP channel and the new presence',
      () => received.slice(before).filter((r) => r.kind !== 'presence').length >= 3 && lastPresence()!.startsWith('dnd'),
    );
    await settle();

    const got = received.slice(before);
    newId = got.find((r) => r.kind === 'pubsub')!.id;
    expect(newId).toBe('tag:status.jabber.org,2026-11-21:incident/2026-11-21-client-logins-fail/2026-11-21T05:50:00Z');
    const stanzaId = deliveryId(newId);
    const order = ['pubsub', 'contact', 'room'];
    expect(got.filter((r) => r.kind !== 'presence').sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))).toEqual([
      { kind: 'pubsub', id: newId, text: 'Investigating: Logins fail for every client' },
      { kind: 'contact', id: stanzaId, text: expect.stringContaining('Investigating: Logins fail for every client') },
      { kind: 'room', id: stanzaId, text: expect.stringContaining('Logins from XMPP apps fail with a timeout') },
    ]);
    expect(countOf('pubsub', newId)).toBe(1);
    expect(countOf('contact', stanzaId)).toBe(1);
    expect(countOf('room', stanzaId)).toBe(1);
    // Issue 27: the contact list says what readers cannot do, not which port broke.
    expect(lastPresence()).toBe('dnd: Major outage: Logging in');
    console.log(`What Alice's client received for the new update:\n${JSON.stringify(got, null, 2)}`);

    expect(smtp.mails.length - mailsBefore).toBe(1);
    expect(smtp.mails.at(-1)!.headers.get('message-id')).toEqual([`<${stanzaId}@status.jabber.org>`]);
    expect(smtp.mails.at(-1)!.headers.get('subject')).toEqual(['[jabber.org status] Investigating: Logins fail for every client']);
    const posts = hook.deliveries.slice(hooksBefore);
    expect(posts.map((d) => [d.status, d.verified, d.id])).toEqual([
      [503, true, stanzaId],
      [204, true, stanzaId],
    ]);
    const body = posts[1]!.body as {
      page: { status_indicator: string };
      incident: { id: string; incident_updates: unknown[] };
      incident_update: { status: string; body: string };
      entry: { id: string };
    };
    expect(body.entry.id).toBe(newId);
    expect(body.incident.id).toBe('2026-11-21-client-logins-fail');
    expect(body.incident_update).toMatchObject({ status: 'investigating', body: 'Logins from XMPP apps fail with a timeout. We are looking into it.' });
    expect(body.page.status_indicator).toBe('critical');
  });

  test('a second run sends nothing anywhere', async () => {
    await settle();
    const before = received.length;
    const mails = smtp.mails.length;
    const hooks = hook.deliveries.length;
    const run = await notify();
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/0 failed\./);
    await settle();
    expect(received.length).toBe(before);
    expect(smtp.mails.length).toBe(mails);
    expect(hook.deliveries.length).toBe(hooks);
  });

  test('a process killed between a send and its record resends that one entry once, with the same id', async () => {
    writeIncident(INVESTIGATING + RESOLVED);
    const resolvedId = 'tag:status.jabber.org,2026-11-21:incident/2026-11-21-client-logins-fail/2026-11-21T05:58:00Z';
    const stanzaId = deliveryId(resolvedId);
    // The hook stops the real process (SIGSTOP) right after the node confirmed the item; we kill it there.
    const child = spawn(process.execPath, ['scripts/notify.ts', '--root', root], {
      env: { ...env, NOTIFY_TEST_STOP_AFTER_SEND: 'pubsub:status' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await until('the notify process to stop after its send', () => err.includes('test hook: stopped after sending'), 60_000);
    await until('Alice to see the item', () => countOf('pubsub', resolvedId) === 1);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const journal = parseState(readFileSync(join(root, 'state/delivered.jsonl'), 'utf8')).state;
    expect(journal.get('pubsub:status')!.delivered.has(resolvedId)).toBe(false);

    const run = await notify();
    expect(run.status).toBe(0);
    contact.kill('SIGHUP');
    await until('the resent item and the presence back to the sample state', () => countOf('pubsub', resolvedId) === 2 && lastPresence()!.startsWith('away'));
    await settle();
    // Exactly one duplicate on the channel that crashed, with the same item id; at most one elsewhere.
    expect(countOf('pubsub', resolvedId)).toBe(2);
    expect(countOf('contact', stanzaId)).toBeGreaterThanOrEqual(1);
    expect(countOf('contact', stanzaId)).toBeLessThanOrEqual(2);
    expect(countOf('room', stanzaId)).toBeGreaterThanOrEqual(1);
    expect(countOf('room', stanzaId)).toBeLessThanOrEqual(2);
    const mails = smtp.mails.filter((m) => m.headers.get('message-id')![0] === `<${stanzaId}@status.jabber.org>`).length;
    expect(mails).toBeGreaterThanOrEqual(1);
    expect(mails).toBeLessThanOrEqual(2);
    // Issue 27: the reader name from site.yaml, not the server part.
    expect(lastPresence()).toBe('away: Degraded performance: Chatting with people on other servers');
    const after = parseState(readFileSync(join(root, 'state/delivered.jsonl'), 'utf8')).state;
    for (const channel of ['pubsub:status', 'contact', 'room', 'email', 'webhook:ops']) expect(after.get(channel)!.delivered.has(resolvedId)).toBe(true);
    console.log(
      `Presence changes Alice saw:\n${received
        .filter((r) => r.kind === 'presence')
        .map((r) => `  ${r.text}`)
        .join('\n')}`,
    );
  });

  test('an edited entry (a typo fixed) is not sent again', async () => {
    await settle();
    const before = received.length;
    writeIncident(INVESTIGATING.replace('looking into it', 'looking into this') + RESOLVED);
    const run = await notify();
    expect(run.status).toBe(0);
    await settle();
    expect(received.length).toBe(before);
  });
});
