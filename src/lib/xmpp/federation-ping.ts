/**
 * What a XEP-0199 ping's answer proves. Pure.
 *
 * A ping to our own domain passes only on a result. A ping to a remote
 * domain is there to prove federation, so it passes on a result, or on an
 * error that the remote server itself sent. RFC 6120 §8.3.3 lets the
 * sender's own server (or any server on the path) generate every defined
 * condition, including service-unavailable and feature-not-implemented,
 * which XEP-0199 §4 names for "ping not supported"; so no condition alone
 * shows where an error came from. The one sign is the `by` attribute of
 * `<error/>` (RFC 6120 §8.3.2), which names the entity that generated it:
 * an error passes only when `by` names the remote domain. An error without
 * `by`, or with another `by`, fails: our server may have refused the
 * stanza itself (e.g. `forbidden` by an s2s access policy, `not-allowed`
 * with federation off). remote-server-not-found/-timeout always fail.
 */

export interface PingAnswer {
  type: 'result' | 'error';
  /** e.g. `forbidden (Access denied by service policy)` */
  condition?: string;
  /** The error's `by` attribute, e.g. `xmpp.org`. */
  by?: string;
}

export interface PingVerdict {
  ok: boolean;
  error?: string;
}

/** Domain part of a JID, lower-cased: `a@b.org/c` → `b.org`. */
export function jidDomain(jid: string): string {
  const withoutResource = jid.split('/')[0]!;
  return withoutResource.slice(withoutResource.indexOf('@') + 1).toLowerCase();
}

/**
 * @param to the pinged domain, e.g. `xmpp.org`
 * @param ownDomain the probed domain, e.g. `jabber.org`
 */
export function judgePing(answer: PingAnswer, to: string, ownDomain: string): PingVerdict {
  if (answer.type === 'result') return { ok: true };
  const condition = answer.condition ?? 'undefined-condition';
  const failed = `ping to ${to} failed: ${condition}`;
  if (to.toLowerCase() === ownDomain.toLowerCase() || condition.startsWith('remote-server-')) return { ok: false, error: failed };
  if (answer.by && jidDomain(answer.by) === to.toLowerCase()) return { ok: true };
  return { ok: false, error: answer.by ? `${failed}; the error came from ${answer.by}, not ${to}` : `${failed}; the error does not say ${to} sent it` };
}
