/**
 * Which SASL mechanism the probe logs in with: the strongest the server
 * offers, with channel binding when the TLS connection can provide it.
 */
import type { ChannelBindingType, ScramHash } from './scram.ts';

/** Strongest first: channel binding first, then the larger hash. */
export const MECHANISM_PREFERENCE = [
  'SCRAM-SHA-512-PLUS',
  'SCRAM-SHA-256-PLUS',
  'SCRAM-SHA-1-PLUS',
  'SCRAM-SHA-512',
  'SCRAM-SHA-256',
  'SCRAM-SHA-1',
  'PLAIN',
] as const;

export type LoginChoice = { mechanism: 'PLAIN' } | { mechanism: string; hash: ScramHash; binding?: ChannelBindingType; couldBind: boolean };

/**
 * What this connection can bind to, in order of preference, and what the
 * server is assumed to accept.
 *
 * tls-exporter (RFC 9266) is TLS 1.3's own type, but a server that does not
 * list its types (XEP-0440) is assumed to take tls-unique, because that is
 * what is known to interoperate: Debian's ejabberd 23.01 offers
 * SCRAM-*-PLUS over TLS 1.3 with no list and accepts tls-unique only (the
 * client's Finished message, which OpenSSL also gives on TLS 1.3; issue 21).
 * A server that refuses it gets a second login without binding
 * (`fallbackWithoutBinding`). tls-exporter over TLS 1.2 needs the extended
 * master secret, which Node does not report, so it is never used there.
 */
function usableBindings(tlsProtocol: string, serverBindings: readonly string[] | undefined): ChannelBindingType[] {
  if (tlsProtocol === 'TLSv1.3') return serverBindings ? (['tls-exporter', 'tls-unique'] as const).filter((t) => serverBindings.includes(t)) : ['tls-unique'];
  if (/^TLSv1(\.[12])?$/.test(tlsProtocol)) return !serverBindings || serverBindings.includes('tls-unique') ? ['tls-unique'] : [];
  return [];
}

/**
 * @param offered mechanisms in the server's stream features, e.g. `['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS']`
 * @param tlsProtocol the connection's TLS version, e.g. `TLSv1.3`
 * @param serverBindings types listed in XEP-0440 `<sasl-channel-binding/>`, or
 *   undefined when the server does not list them
 * @returns undefined when nothing offered is supported
 */
export function chooseMechanism(offered: readonly string[], tlsProtocol: string, serverBindings: readonly string[] | undefined): LoginChoice | undefined {
  const usable = usableBindings(tlsProtocol, serverBindings);
  const canBind = /^TLSv1(\.[123])?$/.test(tlsProtocol);
  for (const mechanism of MECHANISM_PREFERENCE) {
    if (!offered.includes(mechanism)) continue;
    if (mechanism === 'PLAIN') return { mechanism };
    const plus = mechanism.endsWith('-PLUS');
    if (plus && usable.length === 0) continue;
    const hash = mechanism.replace(/^SCRAM-/, '').replace(/-PLUS$/, '') as ScramHash;
    return plus ? { mechanism, hash, binding: usable[0]!, couldBind: true } : { mechanism, hash, couldBind: couldBindFlag(offered, canBind) };
  }
  return undefined;
}

/**
 * gs2 "y" only when this client could bind and the server offered no -PLUS
 * at all (RFC 5802 §6): a server that does offer -PLUS and sees "y" must
 * refuse, as a downgrade. Choosing not to bind while it offers -PLUS says "n".
 */
function couldBindFlag(offered: readonly string[], canBind: boolean): boolean {
  return canBind && !offered.some((m) => m.endsWith('-PLUS'));
}

/**
 * The second login after the server refused a channel-bound one (issue 21):
 * the strongest SCRAM without binding (gs2 flag "n", since the server
 * offered -PLUS), else PLAIN (the probe only logs in over TLS). Undefined
 * when the first login did not bind or nothing else is offered.
 */
export function fallbackWithoutBinding(offered: readonly string[], first: LoginChoice): LoginChoice | undefined {
  if (!('binding' in first) || !first.binding) return undefined;
  // No TLS version: nothing to bind to, so the gs2 flag is "n".
  return chooseMechanism(
    offered.filter((m) => !m.endsWith('-PLUS')),
    'none',
    undefined,
  );
}

/** Names a login for messages, e.g. `SCRAM-SHA-1-PLUS with tls-unique`. */
export function describeChoice(choice: LoginChoice): string {
  return 'binding' in choice && choice.binding ? `${choice.mechanism} with ${choice.binding}` : choice.mechanism;
}
