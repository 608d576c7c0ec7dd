/**
 * The XMPP stanzas the notifier sends, built without a connection so tests
 * can read them: XEP-0060 publish and node creation with an Atom entry as
 * payload (as XEP-0277 does), XEP-0045 room join, chat and room messages
 * with a XEP-0359 origin-id, and presence.
 */
import { xml, type Element } from '@xmpp/xml';
import { stripInvalidXmlChars as clean } from '../shared/xml.ts';
import { toIsoUtc } from '../shared/time.ts';
import type { NotifyEntry } from './entries.ts';
import { deliveryId } from './message-id.ts';
import type { StatusPresence } from './presence.ts';

export const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  pubsub: 'http://jabber.org/protocol/pubsub',
  pubsubOwner: 'http://jabber.org/protocol/pubsub#owner',
  pubsubEvent: 'http://jabber.org/protocol/pubsub#event',
  data: 'jabber:x:data',
  muc: 'http://jabber.org/protocol/muc',
  mucUser: 'http://jabber.org/protocol/muc#user',
  mucOwner: 'http://jabber.org/protocol/muc#owner',
  sid: 'urn:xmpp:sid:0',
  roster: 'jabber:iq:roster',
  ping: 'urn:xmpp:ping',
} as const;

/** One Atom entry (RFC 4287), the same fields as the site's Atom feed. */
export function atomEntry(entry: NotifyEntry, author: string): Element {
  return xml(
    'entry',
    { xmlns: NS.atom },
    xml('id', {}, clean(entry.id)),
    xml('title', { type: 'text' }, clean(entry.title)),
    xml('link', { rel: 'alternate', type: 'text/html', href: clean(entry.link) }),
    xml('published', {}, toIsoUtc(entry.published)),
    xml('updated', {}, toIsoUtc(entry.updated)),
    xml('author', {}, xml('name', {}, clean(author))),
    ...entry.categories.map((term) => xml('category', { term: clean(term) })), // bounded: one category per affected component
    xml('summary', { type: 'text' }, clean(entry.text)),
    xml('content', { type: 'html' }, clean(entry.html)),
  );
}

function dataForm(formType: string, fields: Record<string, string>): Element {
  return xml(
    'x',
    { xmlns: NS.data, type: 'submit' },
    xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, formType)),
    ...Object.entries(fields).map(([name, value]) => xml('field', { var: name }, xml('value', {}, value))), // bounded: the fields of one data form
  );
}

export interface NodeOptions {
  /** The node's human-readable name, e.g. `jabber.org status`. */
  title: string;
  /** Items the node keeps for new or returning subscribers, e.g. `1000`. */
  maxItems: number;
}

/**
 * The configuration a status feed wants (XEP-0060 §16.4.3 fields):
 * - `access_model: open`: anyone may subscribe, no approval;
 * - `persist_items` with `max_items`: history for new or returning subscribers;
 * - `send_last_published_item: never`: ejabberd's default (`on_sub_and_presence`)
 *   sends the newest item again to every subscriber at each login (issue 23);
 * - `type`: the payload is an Atom entry; `deliver_payloads`: the
 *   notification carries it, so nobody has to fetch the item.
 */
export function nodeOptions(o: NodeOptions): Record<string, string> {
  return {
    'pubsub#title': o.title,
    'pubsub#access_model': 'open',
    'pubsub#persist_items': '1',
    'pubsub#max_items': String(o.maxItems),
    'pubsub#send_last_published_item': 'never',
    'pubsub#deliver_payloads': '1',
    'pubsub#type': NS.atom,
  };
}

/** Creates a node with `nodeOptions`. */
export function createNodeIq(service: string, node: string, o: NodeOptions): Element {
  return xml(
    'iq',
    { type: 'set', to: service },
    xml(
      'pubsub',
      { xmlns: NS.pubsub },
      xml('create', { node }),
      xml('configure', {}, dataForm('http://jabber.org/protocol/pubsub#node_config', nodeOptions(o))),
    ),
  );
}

/** Reconfigures an existing node to `nodeOptions` (XEP-0060 §8.2.4, owner use case). */
export function configureNodeIq(service: string, node: string, o: NodeOptions): Element {
  return xml(
    'iq',
    { type: 'set', to: service },
    xml('pubsub', { xmlns: NS.pubsubOwner }, xml('configure', { node }, dataForm('http://jabber.org/protocol/pubsub#node_config', nodeOptions(o)))),
  );
}

/** Publishes one entry; the item id is the entry's permanent id, so a resend replaces, not adds. */
export function publishIq(service: string, node: string, entry: NotifyEntry, author: string): Element {
  return xml(
    'iq',
    { type: 'set', to: service },
    xml('pubsub', { xmlns: NS.pubsub }, xml('publish', { node }, xml('item', { id: clean(entry.id) }, atomEntry(entry, author)))),
  );
}

/** A message with a stable id and XEP-0359 origin-id, so a resent entry is recognisably the same. */
export function entryMessage(to: string, type: 'chat' | 'groupchat', entry: NotifyEntry, body: string): Element {
  const id = deliveryId(entry.id);
  return xml('message', { to, type, id, 'xml:lang': 'en' }, xml('body', {}, clean(body)), xml('origin-id', { xmlns: NS.sid, id }));
}

/** Joins a room without its history (XEP-0045 §7.2.14): the notifier only talks. */
export function joinRoomPresence(roomJid: string, nick: string): Element {
  return xml('presence', { to: `${roomJid}/${nick}` }, xml('x', { xmlns: NS.muc }, xml('history', { maxchars: '0' })));
}

/** Accepts a new room's default configuration but makes it persistent (XEP-0045 §10.1.2). */
export function configureNewRoomIq(roomJid: string, name: string): Element {
  return xml(
    'iq',
    { type: 'set', to: roomJid },
    xml(
      'query',
      { xmlns: NS.mucOwner },
      dataForm('http://jabber.org/protocol/muc#roomconfig', {
        'muc#roomconfig_persistentroom': '1',
        'muc#roomconfig_publicroom': '1',
        'muc#roomconfig_roomname': name,
      }),
    ),
  );
}

/** The contact's presence; priority 1 so it wins over resources that only send. */
export function statusPresence(p: StatusPresence): Element {
  return xml('presence', {}, p.show ? xml('show', {}, p.show) : null, xml('status', { 'xml:lang': 'en' }, clean(p.status)), xml('priority', {}, '1'));
}
