/**
 * The notifier against both of the most deployed XMPP servers, each running
 * the README's configuration (deploy/xmpp/, included unchanged by
 * tests/helpers/status-servers.ts), with three subscribers (issue 23):
 * alice and bob online, carol offline while the entries go out. Each
 * subscriber is its own client connection, subscribed to the status
 * contact (approved by `npm run notify:contact`), to the PubSub node, and
 * (alice, bob) in the room. Everything each one receives is recorded.
 *
 * On the code before issue 23 the contact test fails: `send(a, b, c)` wrote
 * only `a`, so only the first subscriber in the roster got the entries.
 * (Checked: with main's xmpp-io.ts, bob's contact count is 0.)
 *
 * The subscribers use @xmpp/client, the notifier's own library; an
 * independent client (slixmpp) would also rule out a bug shared by both.
 * `ONLY_SERVER=prosody` (or `ejabberd`) runs one server while debugging.
 */
import { until } from './helpers/until.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { client, xml, type XmppClient } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseState } from '../src/lib/notify/delivery-state.ts';
import { startStatusServer, type ServerKind, type StatusServer } from './helpers/status-servers.ts';

const NOW = '2026-11-21T06:00:00Z';
const PASSWORD = 'status-rig-password';
const ROOM = 'status@conference.jabber.org';
const SUBSCRIBERS = ['alice', 'bob', 'carol'] as const;
type Name = (typeof SUBSCRIBERS)[number];
type Got = { kind: 'pubsub' | 'contact' | 'room' | 'presence'; id: string; text: string };

const INCIDENT = `---\ntitle: Logins fail for every client\nimpact: critical\naffected:\n  - id: c2s\n    status: major-outage\nupdates:\n  - at: 2026-11-21T05:50:00Z\n    status: investigating\n    message: Logins from XMPP apps fail with a timeout. We are looking into it.\n  - at: 2026-11-21T05:55:00Z\n    status: identified\n    message: The connection manager is out of file descriptors.\n---\n`;

describe.each<ServerKind>(process.env.ONLY_SERVER ? [process.env.ONLY_SERVER as ServerKind] : ['prosody', 'ejabberd'])(
  'on %s with the README configuration',
  (kind) => {
    let server: StatusServer;
    let root: string;
    let env: NodeJS.ProcessEnv;
    let contact: ChildProcess;
    let contactLog = '';
    const clients = new Map<Name, XmppClient>();
    const got: Record<Name, Got[]> = { alice: [], bob: [], carol: [] };

    async function notify(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
      const child = spawn(process.execPath, ['scripts/notify.ts', '--root', root, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const status = await new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      return { status, stdout, stderr };
    }

    /** Logs a subscriber in with an initial presence; records what it receives. */
    async function login(name: Name): Promise<XmppClient> {
      const x = client({
        service: `xmpp://127.0.0.1:${server.port}`,
        domain: 'jabber.org',
        username: name,
        password: PASSWORD,
        resource: 'phone',
        timeout: 15_000,
      });
      x.reconnect.stop();
      x.on('error', () => undefined);
      x.on('stanza', (s: Element) => {
        const from = s.attrs.from ?? '';
        const event = s.getChild('event', 'http://jabber.org/protocol/pubsub#event');
        if (s.name === 'message' && event) {
          for (const item of event.getChild('items')?.getChildren('item') ?? [])
            got[name].push({
              kind: 'pubsub',
              id: item.attrs.id ?? '',
              text: item.getChild('entry', 'http://www.w3.org/2005/Atom')?.getChildText('title') ?? '',
            });
        } else if (s.name === 'message' && s.getChild('body') && from.startsWith('status@jabber.org')) {
          got[name].push({ kind: 'contact', id: s.attrs.id ?? '', text: s.getChildText('body') ?? '' });
        } else if (s.name === 'message' && s.attrs.type === 'groupchat' && s.getChild('body')) {
          got[name].push({ kind: 'room', id: s.attrs.id ?? '', text: s.getChildText('body') ?? '' });
        } else if (s.name === 'presence' && from.startsWith('status@jabber.org/')) {
          got[name].push({ kind: 'presence', id: from, text: `${s.getChildText('show') ?? 'available'}: ${s.getChildText('status') ?? ''}` });
        }
      });
      await x.start();
      await x.send(xml('presence', {}));
      clients.set(name, x);
      return x;
    }

    const count = (name: Name, kind: Got['kind']) => got[name].filter((g) => g.kind === kind).length;

    beforeAll(async () => {
      server = await startStatusServer(kind);
      for (const user of ['status', ...SUBSCRIBERS]) await server.register(user, PASSWORD);
      setDefaultCACertificates([...getCACertificates('default'), readFileSync(server.caFile, 'utf8')]);

      root = mkdtempSync(join(tmpdir(), `notify-${kind}-`));
      cpSync('content', join(root, 'content'), { recursive: true });
      cpSync('incidents', join(root, 'incidents'), { recursive: true });
      const site = parse(readFileSync(join(root, 'content/site.yaml'), 'utf8')) as Record<string, unknown>;
      site.notify = {
        stateFile: 'state/delivered.jsonl',
        retry: { attempts: 2, firstDelaySeconds: 0.2, maxDelaySeconds: 1 },
        xmpp: {
          jid: 'status@jabber.org',
          passwordEnv: 'NOTIFY_XMPP_PASSWORD',
          server: `127.0.0.1:${server.port}`,
          pubsub: { service: server.pubsub, node: 'status' },
          contact: { refreshSeconds: 3600 },
          room: { jid: ROOM, nick: 'jabber.org status' },
        },
      };
      writeFileSync(join(root, 'content/site.yaml'), stringify(site));
      env = { ...process.env, NOTIFY_XMPP_PASSWORD: PASSWORD, NODE_EXTRA_CA_CERTS: server.caFile, SOURCE_DATE_EPOCH: String(Date.parse(NOW) / 1000) };

      contact = spawn(process.execPath, ['scripts/notify-contact.ts', '--root', root], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      contact.stdout!.on('data', (d: Buffer) => (contactLog += d.toString()));
      contact.stderr!.on('data', (d: Buffer) => (contactLog += d.toString()));
      await until('the status contact to come online', () => contactLog.includes('presence:'), 30_000);
    }, 120_000);

    afterAll(async () => {
      for (const c of clients.values()) await c.stop().catch(() => undefined);
      if (contact && contact.exitCode === null) {
        contact.kill('SIGTERM');
        await new Promise((r) => contact.once('exit', r));
      }
      await server?.stop();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    describe.sequential('three subscribers, one of them offline', () => {
      test('the first run creates the node and the room and sends no history', async () => {
        const run = await notify();
        expect(run.stderr).not.toContain('FAILED');
        expect(run.status).toBe(0);
        expect(run.stdout).toMatch(/pubsub:status → .*sent 0/);
      }, 60_000);

      test('all three subscribe to the status contact (approved by the service), the node, and alice and bob join the room; carol goes offline', async () => {
        for (const name of SUBSCRIBERS) {
          const x = await login(name);
          await x.send(xml('presence', { to: 'status@jabber.org', type: 'subscribe' }));
          await x.iqCaller.request(
            xml(
              'iq',
              { type: 'set', to: server.pubsub },
              xml('pubsub', { xmlns: 'http://jabber.org/protocol/pubsub' }, xml('subscribe', { node: 'status', jid: `${name}@jabber.org` })),
            ),
          );
          if (name !== 'carol')
            await x.send(xml('presence', { to: `${ROOM}/${name}` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' }, xml('history', { maxchars: '0' }))));
        }
        await until('every subscription approved', () => SUBSCRIBERS.every((n) => count(n, 'presence') > 0));
        await clients.get('carol')!.stop();
        clients.delete('carol');
      }, 60_000);

      test('a new incident with two updates reaches every subscriber once on the contact, the node and the room', async () => {
        writeFileSync(join(root, 'incidents/2026/2026-11-21-client-logins-fail.md'), INCIDENT);
        const run = await notify();
        expect(run.stderr).not.toContain('FAILED');
        expect(run.status).toBe(0);
        expect(run.stdout).toMatch(/contact → subscribers of status@jabber.org: sent 2 /);
        contact.kill('SIGHUP');
        const tally = () =>
          JSON.stringify(Object.fromEntries(SUBSCRIBERS.map((n) => [n, { contact: count(n, 'contact'), pubsub: count(n, 'pubsub'), room: count(n, 'room') }])));
        await until('alice and bob to have both entries everywhere', () =>
          (['alice', 'bob'] as const).every((n) => count(n, 'contact') >= 2 && count(n, 'pubsub') >= 2 && count(n, 'room') >= 2),
        ).catch((err: Error) => {
          throw new Error(
            `${err.message}; so far ${tally()}; notify said:\n${run.stdout}\n${run.stderr}\nThe server said:\n${server
              .log()
              .split('\n')
              .filter((l) => /warn|error|bob|smacks|acknowledged/i.test(l))
              .slice(-40)
              .join('\n')}`,
          );
        });
        await login('carol');
        await until('carol to get her stored messages', () => count('carol', 'contact') >= 2);
        await new Promise((r) => setTimeout(r, 1500));
        // The journal records the two sends the subscribers got (not more, not fewer).
        const sent = readFileSync(join(root, 'state/delivered.jsonl'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { channel: string; how: string; id?: string })
          .filter((r) => r.channel === 'contact' && r.how === 'sent');
        expect(sent).toHaveLength(2);
        expect(parseState(readFileSync(join(root, 'state/delivered.jsonl'), 'utf8')).skipped).toBe(0);
        const summary = Object.fromEntries(SUBSCRIBERS.map((n) => [n, { contact: count(n, 'contact'), pubsub: count(n, 'pubsub'), room: count(n, 'room') }]));
        expect(summary).toEqual({
          alice: { contact: 2, pubsub: 2, room: 2 },
          bob: { contact: 2, pubsub: 2, room: 2 },
          carol: { contact: 2, pubsub: expect.any(Number) as number, room: 0 },
        });
        for (const n of SUBSCRIBERS) expect(new Set(got[n].filter((g) => g.kind === 'contact').map((g) => g.id)).size).toBe(2);
        expect(got.bob.filter((g) => g.kind === 'contact')[0]!.text).toMatch(/^Investigating: Logins fail for every client/);
      }, 90_000);

      test('the status contact shows the outage as presence to the subscribers online', async () => {
        const last = (n: Name) => got[n].filter((g) => g.kind === 'presence').at(-1)?.text;
        await until('a dnd presence for alice and bob', () => last('alice')?.startsWith('dnd:') === true && last('bob')?.startsWith('dnd:') === true).catch(
          (err: Error) => {
            throw new Error(`${err.message}; alice last saw "${last('alice')}", bob "${last('bob')}"`);
          },
        );
        // In the reader's words (issue 27): what people cannot do, not the server part.
        expect(last('bob')).toBe('dnd: Major outage: Logging in');
      }, 30_000);

      test('a second run sends nothing to anyone', async () => {
        const before = SUBSCRIBERS.map((n) => got[n].filter((g) => g.kind !== 'presence').length);
        const run = await notify();
        expect(run.status).toBe(0);
        expect(run.stdout).not.toMatch(/sent [1-9]/);
        await new Promise((r) => setTimeout(r, 2000));
        expect(SUBSCRIBERS.map((n) => got[n].filter((g) => g.kind !== 'presence').length)).toEqual(before);
      }, 60_000);

      test('the node is configured as a status feed: the newest item is not sent again at each login', async () => {
        const pubsubBefore = count('bob', 'pubsub');
        await clients.get('bob')!.stop();
        clients.delete('bob');
        await login('bob');
        await new Promise((r) => setTimeout(r, 2000));
        expect(count('bob', 'pubsub')).toBe(pubsubBefore);
      }, 30_000);
    });

    test.runIf(kind === 'prosody')(
      'mod_status_sos puts the XEP-0455 field in the server disco#info',
      async () => {
        const x = clients.get('alice') ?? (await login('alice'));
        const info = await x.iqCaller.request(xml('iq', { type: 'get', to: 'jabber.org' }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
        const form = info
          .getChild('query')!
          .getChildren('x', 'jabber:x:data')
          .find((f) => f.getChildren('field').some((fl) => fl.attrs.var === 'FORM_TYPE' && fl.getChildText('value') === 'urn:xmpp:sos:0'));
        expect(
          form
            ?.getChildren('field')
            .find((f) => f.attrs.var === 'external-status-addresses')
            ?.getChildren('value')
            .map((v) => v.getText()),
        ).toEqual(['https://status.jabber.org/api/outage.json']);
      },
      30_000,
    );
  },
);
