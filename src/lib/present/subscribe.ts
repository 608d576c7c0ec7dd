/**
 * Addresses for the subscribe page (issue 12): what a person pastes or taps
 * to follow the status in a calendar, an XMPP app or by mail, derived from
 * the site's own config so the page can never advertise a channel that
 * `npm run notify` does not feed.
 */

/**
 * The calendar address as a `webcal:` link, which calendar apps open as a
 * subscription (kept current) rather than a one-time import.
 * @param url e.g. `https://status.jabber.org/maintenance.ics` → `webcal://status.jabber.org/maintenance.ics`
 */
export const webcalUrl = (url: string) => url.replace(/^https?:\/\//, 'webcal://');

/** XMPP URIs (RFC 5122, actions from XEP-0147's registry) an XMPP app opens directly. */
export const xmppUri = {
  /** Add a contact, e.g. `xmpp:status@jabber.org?roster`. */
  contact: (jid: string) => `xmpp:${jid}?roster`,
  /** Join a room, e.g. `xmpp:status@conference.jabber.org?join`. */
  room: (jid: string) => `xmpp:${jid}?join`,
  /** Subscribe to a PubSub node, e.g. `xmpp:pubsub.jabber.org?pubsub;action=subscribe;node=status`. */
  pubsub: (service: string, node: string) => `xmpp:${service}?pubsub;action=subscribe;node=${encodeURIComponent(node)}`,
};

const mailto = (header: string | undefined) => /<mailto:([^>?]+)/i.exec(header ?? '')?.[1];

/**
 * How to join and leave the mailing list, from the `List-*` headers the
 * notifier sends: `List-Subscribe` when configured; otherwise, when
 * `List-Unsubscribe` is a Mailman-style `…-leave@` address, its `…-join@`
 * twin. Undefined when neither says.
 * @param headers e.g. `{ 'List-Unsubscribe': '<mailto:status-announce-leave@lists.jabber.org>' }`
 */
export function mailingList(headers: Readonly<Record<string, string>>): { join?: string; leave?: string } {
  const leave = mailto(headers['List-Unsubscribe']);
  const join = mailto(headers['List-Subscribe']) ?? (leave && /-leave@/.test(leave) ? leave.replace('-leave@', '-join@') : undefined);
  return { ...(join ? { join } : {}), ...(leave ? { leave } : {}) };
}
