/**
 * The XMPP channels, over @xmpp/client: a PubSub node (XEP-0060), the status
 * contact's subscribers (RFC 6121 roster) and a chat room (XEP-0045); plus
 * the long-running status contact itself (`npm run notify:contact`).
 *
 * Each channel has its own connection (resource `notify-<channel>`), so a
 * room that refuses us never stops the PubSub node. These connections send
 * no presence: they are invisible to contacts and never replace the status
 * contact's presence, which only the long-running service sets.
 */
import { client, xml, type XmppClient } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import type { Channel } from './deliver.ts';
import type { NotifyEntry } from './entries.ts';
import { deliveryId } from './message-id.ts';
import { chatText } from './messages.ts';
import { samePresence, type StatusPresence } from './presence.ts';
import {
  configureNewRoomIq,
  configureNodeIq,
  createNodeIq,
  entryMessage,
  joinRoomPresence,
  NS,
  publishIq,
  statusPresence,
  type NodeOptions,
} from './stanzas.ts';
import { inWindow } from './window.ts';

export interface XmppAccount {
  /** e.g. `status@jabber.org` */
  jid: string;
  password: string;
  /** HOST:PORT to connect to instead of the domain's SRV records, e.g. `127.0.0.1:15222`. */
  server?: string;
}

/** Seconds to wait for any answer from the server. */
const TIMEOUT_MS = 15_000;

/**
 * Stanzas in flight per channel before waiting for a confirmation: enough
 * to hide the round trip (one per entry cost 44 ms with Nagle, issue 23),
 * small enough that a server's queue and a failure's resend stay small.
 */
export const WINDOW = 64;

/** The contact's messages go out in batches of this many, each confirmed by one ack or ping; WINDOW / BATCH batches are in flight. */
const BATCH = 32;

function split(jid: string): { local: string; domain: string } {
  const at = jid.indexOf('@');
  return { local: jid.slice(0, at), domain: jid.slice(at + 1) };
}

/** An XMPP error stanza as words, e.g. `forbidden (auth): not allowed`. */
export function describeXmppError(err: unknown): string {
  const e = err as { condition?: string; text?: string; element?: Element; message?: string };
  if (e?.condition) {
    const type = e.element?.getChild('error')?.attrs.type;
    return `${e.condition}${type ? ` (${type})` : ''}${e.text ? `: ${e.text}` : ''}`;
  }
  return e?.message ?? String(err);
}

interface Session {
  xmpp: XmppClient;
  /** Resolves with the first stanza `match` accepts, or rejects after the timeout. */
  waitFor(match: (stanza: Element) => boolean, what: string): Promise<Element>;
}

/**
 * Logs in. `keepAlive` keeps @xmpp/client's reconnection (the contact
 * service); one-shot channels turn it off and let the retry policy decide.
 */
async function connect(account: XmppAccount, resource: string, keepAlive = false, onStanza?: (s: Element) => void): Promise<Session> {
  const { local, domain } = split(account.jid);
  const xmpp = client({
    service: account.server ? `xmpp://${account.server}` : domain,
    domain,
    username: local,
    password: account.password,
    resource,
    timeout: TIMEOUT_MS,
  });
  if (!keepAlive) xmpp.reconnect.stop();
  // TCP_NODELAY: with Nagle's algorithm and the server's delayed ACKs, a
  // small stanza written after another waited ~40 ms (issue 23). Set on the
  // plain socket, before STARTTLS wraps it; the option stays on the fd.
  xmpp.on('connect', () => void xmpp.socket?.setNoDelay?.(true));
  const waiters = new Set<{ match: (s: Element) => boolean; resolve: (s: Element) => void }>();
  xmpp.on('stanza', (stanza) => {
    for (const w of waiters)
      if (w.match(stanza)) {
        waiters.delete(w);
        w.resolve(stanza);
      }
    onStanza?.(stanza);
  });
  // Without a listener an 'error' event would end the process; failures reach callers through start() and requests.
  xmpp.on('error', () => undefined);
  const started = xmpp.start();
  const timer = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no login to ${account.server ?? domain} within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS).unref(),
  );
  try {
    await Promise.race([started, timer]);
  } catch (err) {
    await xmpp.stop().catch(() => undefined);
    throw new Error(`cannot log in as ${account.jid}${account.server ? ` via ${account.server}` : ''}: ${describeXmppError(err)}`);
  }
  return {
    xmpp,
    waitFor(match, what) {
      return new Promise((resolve, reject) => {
        const w = { match, resolve };
        waiters.add(w);
        setTimeout(() => {
          if (waiters.delete(w)) reject(new Error(`no ${what} within ${TIMEOUT_MS / 1000} s`));
        }, TIMEOUT_MS).unref();
      });
    },
  };
}

async function request(session: Session, stanza: Element, what: string): Promise<Element> {
  try {
    return await session.xmpp.iqCaller.request(stanza, TIMEOUT_MS);
  } catch (err) {
    throw new Error(`${what}: ${describeXmppError(err)}`);
  }
}

/** A one-shot channel around one connection. */
function channelOn(
  account: XmppAccount,
  resource: string,
  parts: { key: string; target: string; accepts(e: NotifyEntry): boolean; ready?(s: Session): Promise<void>; send(s: Session, e: NotifyEntry): Promise<void> },
): Channel<NotifyEntry> {
  let session: Session | undefined;
  return {
    key: parts.key,
    target: parts.target,
    accepts: parts.accepts,
    async open() {
      session = await connect(account, resource);
      await parts.ready?.(session);
    },
    async send(entry) {
      if (!session) throw new Error('not connected');
      await parts.send(session, entry);
    },
    async close() {
      const s = session;
      session = undefined;
      await s?.xmpp.stop();
    },
  };
}

/**
 * One PubSub node. The node is created on first use with the options a
 * status feed wants (stanzas.ts `nodeOptions`), and an existing node is
 * reconfigured to them, so a node made by hand or by an older version
 * does not, for example, resend its newest item at every login. Creating
 * needs the account to own the service or be its admin (README: server
 * configuration). Publishes are pipelined, WINDOW at a time, each
 * confirmed by its IQ result (matched by id).
 * @param component publish only entries concerning this component id, e.g. `c2s`
 */
export function pubsubChannel(
  account: XmppAccount,
  o: { service: string; node: string; maxItems: number; title: string; author: string; component?: string },
): Channel<NotifyEntry> {
  const options: NodeOptions = { title: o.title, maxItems: o.maxItems };
  const publish = async (s: Session, entry: NotifyEntry): Promise<void> =>
    void (await request(s, publishIq(o.service, o.node, entry, o.author), `publishing to ${o.service} node "${o.node}"`));
  let current: Session | undefined;
  const channel = channelOn(account, `notify-pubsub-${o.node.replace(/[^a-z0-9]+/gi, '-')}`, {
    key: `pubsub:${o.node}`,
    target: `${o.service} node "${o.node}"`,
    accepts: (e) => o.component === undefined || e.components.includes(o.component),
    async ready(s) {
      current = s;
      try {
        await s.xmpp.iqCaller.request(createNodeIq(o.service, o.node, options), TIMEOUT_MS);
        return;
      } catch (err) {
        if ((err as { condition?: string }).condition !== 'conflict') {
          throw new Error(
            `cannot create node "${o.node}" on ${o.service}: ${describeXmppError(err)}. Create it, or make ${account.jid} an admin of the PubSub service`,
          );
        }
      }
      // The node exists: bring its configuration to ours.
      try {
        await s.xmpp.iqCaller.request(configureNodeIq(o.service, o.node, options), TIMEOUT_MS);
      } catch (err) {
        throw new Error(
          `cannot configure the existing node "${o.node}" on ${o.service}: ${describeXmppError(err)}. Make ${account.jid} its owner (or an admin of the PubSub service), or delete the node so the notifier creates it`,
        );
      }
    },
    send: publish,
  });
  return {
    ...channel,
    async open() {
      await channel.open();
    },
    async sendAll(entries, confirmed) {
      const s = current;
      if (!s) throw new Error('not connected');
      await inWindow(entries, WINDOW, (e) => publish(s, e), confirmed);
    },
  };
}

/**
 * Sends stanzas and resolves once the server has taken every one of them:
 * by a XEP-0198 acknowledgement when stream management is on (the server
 * counts what it handled), else by a ping's answer (a server handles one
 * session's stanzas in order, so the answer comes after the messages).
 */
async function sendConfirmed(s: Session, stanzas: readonly Element[], domain: string): Promise<void> {
  if (stanzas.length === 0) return;
  const sm = s.xmpp.streamManagement;
  if (sm?.enabled) {
    const last = stanzas[stanzas.length - 1]!;
    const acked = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no acknowledgement from ${domain} within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
      timer.unref();
      const onAck = (stanza: Element) => {
        if (stanza === last) finish();
      };
      const onFail = (stanza: Element) => {
        if (stanzas.includes(stanza)) finish(new Error(`the connection to ${domain} ended before it acknowledged the messages`));
      };
      function finish(err?: Error) {
        clearTimeout(timer);
        sm.off('ack', onAck);
        sm.off('fail', onFail);
        if (err) reject(err);
        else resolve();
      }
      sm.on('ack', onAck);
      sm.on('fail', onFail);
    });
    // Ask for the ack at once instead of after the library's 250 ms debounce.
    await s.xmpp.sendMany([...stanzas, xml('r', { xmlns: 'urn:xmpp:sm:3' })]);
    await acked;
    return;
  }
  await s.xmpp.sendMany(stanzas);
  await request(s, xml('iq', { type: 'get', to: domain }, xml('ping', { xmlns: NS.ping })), 'confirming the messages');
}

/**
 * Sends one chat message to each of `to`, in batches, and resolves once the
 * server has taken all of them (see sendConfirmed).
 */
async function sendDirect(s: Session, to: readonly string[], message: (to: string) => Element, domain: string): Promise<void> {
  const batches: string[][] = [];
  for (let i = 0; i < to.length; i += BATCH) batches.push(to.slice(i, i + BATCH));
  await inWindow(
    batches,
    Math.max(1, WINDOW / BATCH),
    (batch) => sendConfirmed(s, batch.map(message), domain),
    () => undefined,
  );
}

/**
 * Logs in, sends `text` as a chat message to every JID in `to`, waits until
 * the server has taken them all, and logs out. For one-off messages outside
 * the feed (e.g. an alert to the admins); resource `notify-direct`.
 * @example await sendDirectMessage(account, ['admin@jabber.org'], 'The probe has not run for 2 hours')
 */
export async function sendDirectMessage(account: XmppAccount, to: readonly string[], text: string): Promise<void> {
  const s = await connect(account, 'notify-direct');
  try {
    await sendDirect(s, to, (jid) => xml('message', { to: jid, type: 'chat', 'xml:lang': 'en' }, xml('body', {}, text)), split(account.jid).domain);
  } finally {
    await s.xmpp.stop().catch(() => undefined);
  }
}

/**
 * Messages to everyone subscribed to the status contact's presence (roster
 * items with subscription `from` or `both`); the server stores them for
 * subscribers who are offline. An entry counts as sent when the server
 * has taken the message for every subscriber (see sendConfirmed).
 */
export function contactChannel(account: XmppAccount): Channel<NotifyEntry> {
  let subscribers: string[] = [];
  let current: Session | undefined;
  const domain = split(account.jid).domain;
  const sendEntry = (s: Session, entry: NotifyEntry) => sendDirect(s, subscribers, (to) => entryMessage(to, 'chat', entry, chatText(entry)), domain);
  const channel = channelOn(account, 'notify-contact', {
    key: 'contact',
    target: `subscribers of ${account.jid}`,
    accepts: () => true,
    async ready(s) {
      current = s;
      const roster = await request(s, xml('iq', { type: 'get' }, xml('query', { xmlns: NS.roster })), 'reading the roster');
      subscribers = (roster.getChild('query', NS.roster)?.getChildren('item') ?? [])
        .filter((i) => i.attrs.subscription === 'from' || i.attrs.subscription === 'both')
        .map((i) => i.attrs.jid!)
        .filter(Boolean);
    },
    send: sendEntry,
  });
  return {
    ...channel,
    // Every (entry, subscriber) message in one stream of batches: a
    // backfill to a small roster packs many entries into a batch, a fan-out
    // to a large one spreads an entry over many. An entry is confirmed when
    // all of its messages are; one cut short is sent again whole (same ids).
    async sendAll(entries, confirmed) {
      const s = current;
      if (!s) throw new Error('not connected');
      if (subscribers.length === 0) {
        for (const e of entries) confirmed(e);
        return;
      }
      const messages = entries.flatMap((entry) => subscribers.map((to) => ({ entry, to }))); // bounded: entries × subscribers objects, no spread into a call
      const jobs: (typeof messages)[] = [];
      for (let i = 0; i < messages.length; i += BATCH) jobs.push(messages.slice(i, i + BATCH));
      const left = new Map(entries.map((e) => [e.id, subscribers.length]));
      await inWindow(
        jobs,
        Math.max(1, WINDOW / BATCH),
        (job) =>
          sendConfirmed(
            s,
            job.map((m) => entryMessage(m.to, 'chat', m.entry, chatText(m.entry))),
            domain,
          ),
        (job) => {
          for (const m of job) {
            const n = left.get(m.entry.id)! - 1;
            left.set(m.entry.id, n);
            if (n === 0) confirmed(m.entry);
          }
        },
      );
    },
  };
}

/**
 * Posts to a room. The account joins without history; a new room (status
 * 201) is made persistent. A post counts as sent when the room reflects it.
 */
export function roomChannel(account: XmppAccount, o: { room: string; nick: string; roomName: string }): Channel<NotifyEntry> {
  const occupant = `${o.room}/${o.nick}`;
  let current: Session | undefined;
  const channel = channelOn(account, 'notify-room', {
    key: 'room',
    target: `room ${o.room}`,
    accepts: () => true,
    async ready(s) {
      current = s;
      const joined = s.waitFor((st) => st.name === 'presence' && st.attrs.from === occupant, `answer from ${o.room} to our join`);
      await s.xmpp.send(joinRoomPresence(o.room, o.nick));
      const presence = await joined;
      if (presence.attrs.type === 'error')
        throw new Error(
          `cannot join ${o.room} as "${o.nick}": ${presence
            .getChild('error')
            ?.children.map((c) => (typeof c === 'string' ? '' : c.name))
            .join(' ')
            .trim()}`,
        );
      const codes = (presence.getChild('x', NS.mucUser)?.getChildren('status') ?? []).map((c) => c.attrs.code);
      if (codes.includes('201')) await request(s, configureNewRoomIq(o.room, o.roomName), `configuring the new room ${o.room}`);
    },
    send: postToRoom,
  });
  async function postToRoom(s: Session, entry: NotifyEntry): Promise<void> {
    {
      const id = deliveryId(entry.id);
      const reflected = s.waitFor(
        (st) => st.name === 'message' && st.attrs.from === occupant && (st.attrs.id === id || st.getChild('origin-id', NS.sid)?.attrs.id === id),
        `reflection of our post in ${o.room}`,
      );
      await s.xmpp.send(entryMessage(o.room, 'groupchat', entry, chatText(entry)));
      const echo = await reflected;
      if (echo.attrs.type === 'error') throw new Error(`${o.room} refused the post: ${echo.getChild('error')?.toString().slice(0, 200)}`);
    }
  }
  return {
    ...channel,
    async sendAll(entries, confirmed) {
      const s = current;
      if (!s) throw new Error('not connected');
      await inWindow(entries, WINDOW, (e) => postToRoom(s, e), confirmed);
    },
  };
}

export interface ContactService {
  /** Sets the presence now (and after every reconnection). */
  show(presence: StatusPresence): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The status contact: stays logged in so contacts see its presence (a
 * server sends "unavailable" for an account as soon as its last session
 * ends), approves every subscription request, and answers messages with
 * where to read more.
 * @param reply the answer to anyone who writes to it, e.g. `This account only posts status updates: https://status.jabber.org/`
 */
export async function startContactService(account: XmppAccount, reply: string, log: (line: string) => void): Promise<ContactService> {
  let current: StatusPresence | undefined;
  let session: Session | undefined;
  session = await connect(account, 'presence', true, (stanza) => {
    const xmpp = session?.xmpp;
    if (!xmpp) return;
    const from = stanza.attrs.from;
    if (!from) return;
    const bare = from.split('/')[0]!;
    if (stanza.name === 'presence' && stanza.attrs.type === 'subscribe') {
      // Anyone may see the service's status: approve, never ask back.
      void xmpp.send(xml('presence', { to: bare, type: 'subscribed' })).then(() => log(`approved the subscription of ${bare}`));
    } else if (
      stanza.name === 'message' &&
      (stanza.attrs.type === 'chat' || stanza.attrs.type === 'normal' || !stanza.attrs.type) &&
      stanza.getChild('body') &&
      bare !== account.jid
    ) {
      void xmpp.send(xml('message', { to: from, type: stanza.attrs.type ?? 'chat' }, xml('body', {}, reply)));
    }
  });
  const xmpp = session.xmpp;
  xmpp.on('online', () => {
    // After a reconnection the server has forgotten the presence: set it again.
    if (current) void xmpp.send(statusPresence(current));
  });
  return {
    async show(presence) {
      if (samePresence(current, presence)) return;
      current = presence;
      await xmpp.send(statusPresence(presence));
      log(`presence: ${presence.show ?? 'available'}, "${presence.status}"`);
    },
    async stop() {
      xmpp.reconnect.stop();
      await xmpp.stop().catch(() => undefined);
    },
  };
}
