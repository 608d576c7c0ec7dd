/**
 * `npm run bench:notify` (issues 15, 23), on Prosody and on ejabberd, each
 * running the README's configuration (deploy/xmpp/, via
 * tests/helpers/status-servers.ts) with in-band registration opened for
 * the bench's accounts:
 *
 * 1. Backfill: 1,000 daily updates (`--backfill 1000`) through PubSub, the
 *    room, mail and a webhook at once; each channel's time and rate as
 *    `npm run notify` reports them.
 * 2. Fan-out: FANOUT accounts (default 2,000) made by in-band registration
 *    (XEP-0077), each logged in and subscribed to the status contact
 *    (approved by `npm run notify:contact`); then one new entry. Reports
 *    the contact channel's time and the time until every client has the
 *    message, and how many got it (every one must, once).
 *
 * `BENCH_SERVERS=prosody` or `=ejabberd` runs one; `FANOUT=500` a smaller roster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, getCACertificates, setDefaultCACertificates } from 'node:tls';
import { client, xml, type XmppClient } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { parse, stringify } from 'yaml';
import { startSmtp } from '../tests/helpers/smtp-rig.ts';
import { startStatusServer, type ServerKind, type StatusServer } from '../tests/helpers/status-servers.ts';
import { startWebhookReceiver } from '../tests/helpers/webhook-rig.ts';

const ENTRIES = 1000;
const FANOUT = Number(process.env.FANOUT ?? 2000);
const PASSWORD = 'bench-password';
const SECRET = 'whsec_' + Buffer.from('bench-secret-0123456789abcdef').toString('base64');
const ONLY = process.env.BENCH_ONLY; // `fanout` or `backfill`
// Logins at once: 50 overran a loaded ejabberd (16 of the first 50 timed out after 60 s); LOGIN_BATCH=10 paces them.
const LOGIN_BATCH = Number(process.env.LOGIN_BATCH ?? 50);
const SERVERS = (process.env.BENCH_SERVERS?.split(',') ?? ['prosody', 'ejabberd']) as ServerKind[];

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((r) => child.once('exit', (code) => r({ code, out })));
}

/** XEP-0077 in-band registration over a raw stream: STARTTLS, then one IQ. */
function registerOnce(port: number, user: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const header = `<?xml version='1.0'?><stream:stream to='jabber.org' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`;
    const raw = netConnect(port, '127.0.0.1');
    let buf = '';
    const fail = (why: string) => {
      raw.destroy();
      reject(new Error(`registering ${user}: ${why}`));
    };
    raw.setTimeout(10_000, () => fail('timeout'));
    raw.on('error', (e) => fail(e.message));
    // A server that closes without answering must not leave the promise hanging.
    raw.on('close', () => fail('connection closed before an answer'));
    raw.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('</stream:features>') && !buf.includes('<proceed')) raw.write(`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`);
      if (buf.includes('<proceed')) {
        raw.removeAllListeners('data');
        const tls = tlsConnect({ socket: raw, servername: 'jabber.org' });
        let t = '';
        tls.on('error', (e) => fail(e.message));
        tls.on('secureConnect', () => tls.write(header));
        tls.on('data', (d: Buffer) => {
          t += d.toString();
          if (t.includes('</stream:features>') && !t.includes("id='reg'") && !t.includes('id="reg"') && !t.includes('sent-reg')) {
            t += 'sent-reg';
            tls.write(`<iq type='set' id='reg'><query xmlns='jabber:iq:register'><username>${user}</username><password>${PASSWORD}</password></query></iq>`);
          }
          const m = /<iq[^>]*id=['"]reg['"][^>]*>/.exec(t);
          if (m) {
            tls.end('</stream:stream>');
            // conflict: a retry after a lost answer finds the account made.
            if (/type=['"]result['"]/.test(m[0]) || t.includes('<conflict')) resolve();
            else fail(t.slice(m.index, m.index + 300));
          }
        });
      }
    });
    raw.write(header);
  });
}

/** A registration whose answer got lost (seen once on a loaded ejabberd) is tried again. */
async function register(port: number, user: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await registerOnce(port, user);
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/** What an error says, with the XMPP condition and text that @xmpp/client keeps apart from `message` (often empty). */
function describe(err: unknown): string {
  const e = err as { message?: string; condition?: string; text?: string; code?: string; name?: string };
  return [e.name, e.condition, e.text, e.code, e.message].filter(Boolean).join(': ') || String(err);
}

async function inBatches<T>(items: readonly T[], size: number, f: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    // allSettled: a batch waits for every member, so one failure leaves no
    // promise rejecting later with nobody listening (that crashed the bench).
    const results = await Promise.allSettled(items.slice(i, i + size).map(f)); // bounded: `size` promises at a time
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0)
      throw new Error(`${failed.length} of ${results.length} failed in the batch starting at item ${i}; first: ${describe(failed[0]!.reason)}`);
  }
}

async function siteRoot(extra: Record<string, unknown>): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'notify-bench-'));
  cpSync('content/site.yaml', join(root, 'content/site.yaml'));
  mkdirSync(join(root, 'content/updates'), { recursive: true });
  const site = parse(readFileSync(join(root, 'content/site.yaml'), 'utf8')) as Record<string, unknown>;
  delete (site as { probes?: unknown }).probes;
  site.notify = { stateFile: 'state/delivered.jsonl', retry: { attempts: 3, firstDelaySeconds: 0.2, maxDelaySeconds: 1 }, ...extra };
  writeFileSync(join(root, 'content/site.yaml'), stringify(site));
  return root;
}

const END = Date.parse('2026-11-21T00:00:00Z');
function writeUpdates(root: string, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) {
    const day = new Date(END - i * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(
      join(root, `content/updates/${day}.md`),
      `---\nauthor: Bench\nsummary: Day ${ENTRIES - i} of the backfill benchmark.\n---\nAll systems normal on ${day}; queues empty, ${i % 7} restarts.\n`,
    );
  }
}

async function backfill(server: StatusServer): Promise<void> {
  const smtp = await startSmtp();
  const hook = await startWebhookReceiver(SECRET);
  const root = await siteRoot({
    xmpp: {
      jid: 'status@jabber.org',
      passwordEnv: 'NOTIFY_XMPP_PASSWORD',
      server: `127.0.0.1:${server.port}`,
      pubsub: { service: server.pubsub, node: 'status', maxItems: 1000 },
      room: { jid: 'status@conference.jabber.org', nick: 'status' },
    },
    email: {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      from: 'status@jabber.org',
      to: 'list@lists.jabber.org',
      headers: { 'List-Id': '<list.lists.jabber.org>' },
    },
    webhooks: [{ name: 'bench', url: hook.url, secretEnv: 'NOTIFY_WEBHOOK_SECRET' }],
  });
  try {
    writeUpdates(root, ENTRIES);
    const env = {
      ...process.env,
      NOTIFY_XMPP_PASSWORD: PASSWORD,
      NOTIFY_WEBHOOK_SECRET: SECRET,
      NODE_EXTRA_CA_CERTS: server.caFile,
      SOURCE_DATE_EPOCH: String(END / 1000 + 3600),
    };
    const started = performance.now();
    const { code, out } = await run('scripts/notify.ts', ['--root', root, '--backfill', String(ENTRIES)], env);
    console.log(
      `\n## ${server.kind}: backfill of ${ENTRIES} entries\n${out.trim()}\nexit ${code}; whole run ${((performance.now() - started) / 1000).toFixed(1)} s; SMTP received ${smtp.mails.length}, webhook ${hook.deliveries.filter((d) => d.verified).length} verified`,
    );
  } finally {
    await Promise.all([smtp.stop(), hook.stop()]);
    rmSync(root, { recursive: true, force: true });
  }
}

async function fanout(server: StatusServer): Promise<void> {
  const root = await siteRoot({
    xmpp: { jid: 'status@jabber.org', passwordEnv: 'NOTIFY_XMPP_PASSWORD', server: `127.0.0.1:${server.port}`, contact: { refreshSeconds: 3600 } },
  });
  // Two days after the last backfill day: the fan-out's new entry (the day after) is published.
  const env = { ...process.env, NOTIFY_XMPP_PASSWORD: PASSWORD, NODE_EXTRA_CA_CERTS: server.caFile, SOURCE_DATE_EPOCH: String(END / 1000 + 2 * 86_400) };
  const names = Array.from({ length: FANOUT }, (_, i) => `sub${i}`);
  const clients: XmppClient[] = [];
  const got = new Map<string, number>();
  let contact: ChildProcess | undefined;
  try {
    writeUpdates(root, 1);
    // The first run marks the one entry as history: the fan-out sends only the next.
    await run('scripts/notify.ts', ['--root', root], env);
    let t = performance.now();
    await inBatches(names, 50, (n) => register(server.port, n));
    const regSeconds = (performance.now() - t) / 1000;
    let log = '';
    contact = spawn(process.execPath, ['scripts/notify-contact.ts', '--root', root], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    contact.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    contact.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    while (!log.includes('presence:')) await new Promise((r) => setTimeout(r, 100));
    t = performance.now();
    await inBatches(names, LOGIN_BATCH, async (n) => {
      const t0 = performance.now();
      const x = client({
        service: `xmpp://127.0.0.1:${server.port}`,
        domain: 'jabber.org',
        username: n,
        password: PASSWORD,
        resource: 'bench',
        timeout: 60_000,
      });
      x.reconnect.stop();
      // PLAIN (over TLS) for the bench's clients: @xmpp/client computes
      // SCRAM's 10,000 PBKDF2 rounds in JavaScript, ~600 ms of this
      // process's CPU per login, which would make 2,000 logins the bench.
      const factory = (x as unknown as { saslFactory: { _mechs: { name: string }[] } }).saslFactory;
      factory._mechs = factory._mechs.filter((m) => m.name === 'PLAIN');
      x.on('error', () => undefined);
      x.on('stanza', (s: Element) => {
        if (s.name === 'message' && s.getChild('body') && s.attrs.from?.startsWith('status@jabber.org')) got.set(n, (got.get(n) ?? 0) + 1);
      });
      await x.start();
      if (process.env.BENCH_DEBUG) console.log(`login ${n}: ${(performance.now() - t0).toFixed(0)} ms`);
      clients.push(x);
      // Available, so messages come now instead of going to offline storage.
      await x.send(xml('presence', {}));
      await x.send(xml('presence', { to: 'status@jabber.org', type: 'subscribe' }));
    });
    const loginSeconds = (performance.now() - t) / 1000;
    // Approvals: the contact service logs one line per approved subscription.
    const approved = () => log.split('\n').filter((l) => l.includes('approved the subscription')).length;
    const until = Date.now() + 120_000;
    while (approved() < FANOUT && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 2000));
    writeUpdates(root, 1, -1); // one new entry, the day after
    t = performance.now();
    const { code, out } = await run('scripts/notify.ts', ['--root', root], env);
    const notifySeconds = (performance.now() - t) / 1000;
    const deadline = Date.now() + 60_000;
    while (got.size < FANOUT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const allSeconds = (performance.now() - t) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    const twice = [...got.values()].filter((v) => v > 1).length;
    console.log(
      `\n## ${server.kind}: fan-out of one entry to ${FANOUT} contact subscribers\n${out.trim()}\nexit ${code}; accounts by in-band registration: ${regSeconds.toFixed(1)} s; logins and subscriptions: ${loginSeconds.toFixed(1)} s, ${approved()} approved\n` +
        `notify run (login, roster, send, confirm): ${notifySeconds.toFixed(1)} s; every client had it after ${allSeconds.toFixed(1)} s; delivered to ${got.size} of ${FANOUT}, ${twice} got it more than once`,
    );
  } finally {
    await inBatches(clients, 200, async (c) => void (await c.stop().catch(() => undefined)));
    if (contact && contact.exitCode === null) {
      contact.kill('SIGTERM');
      await new Promise((r) => contact!.once('exit', r));
    }
    rmSync(root, { recursive: true, force: true });
  }
}

for (const kind of SERVERS) {
  const server = await startStatusServer(kind, { openRegistration: true });
  await server.register('status', PASSWORD);
  setDefaultCACertificates([...getCACertificates('default'), readFileSync(server.caFile, 'utf8')]);
  try {
    if (ONLY !== 'fanout') await backfill(server);
    if (ONLY !== 'backfill') await fanout(server);
  } catch (err) {
    console.log(`${kind}: bench failed: ${describe(err)}\n${server.log().split('\n').slice(-30).join('\n')}`);
    process.exitCode = 1;
  } finally {
    await server.stop();
  }
}
