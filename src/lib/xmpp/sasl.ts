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

export type LoginChoice =
  | { mechanism: 'PLAIN' }
  | { mechanism: string; hash: ScramHash; binding?: ChannelBindingType; couldBind: boolean };

/**
 * @param offered mechanisms in the server's stream features, e.g. `['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS']`
 * @param tlsProtocol the connection's TLS version, e.g. `TLSv1.3`
 * @param serverBindings types listed in XEP-0440 `<sasl-channel-binding/>`, or
 *   undefined when the server does not list them
 * @returns undefined when nothing offered is supported
 */
export function chooseMechanism(offered: readonly string[], tlsProtocol: string, serverBindings: readonly string[] | undefined): LoginChoice | undefined {
  // What this connection can bind to: tls-unique is undefined for TLS 1.3
  // (RFC 9266 §3), where tls-exporter is the default instead; tls-exporter
  // over TLS 1.2 needs the extended master secret, which Node does not report.
  const ours: ChannelBindingType[] = tlsProtocol === 'TLSv1.3' ? ['tls-exporter'] : /^TLSv1(\.[12])?$/.test(tlsProtocol) ? ['tls-unique'] : [];
  // Without XEP-0440 the server is assumed to use the default for its TLS version.
  const usable = serverBindings ? ours.filter((t) => serverBindings.includes(t)) : ours;
  for (const mechanism of MECHANISM_PREFERENCE) {
    if (!offered.includes(mechanism)) continue;
    if (mechanism === 'PLAIN') return { mechanism };
    const plus = mechanism.endsWith('-PLUS');
    if (plus && usable.length === 0) continue;
    const hash = mechanism.replace(/^SCRAM-/, '').replace(/-PLUS$/, '') as ScramHash;
    const offersPlus = offered.some((m) => m.endsWith('-PLUS'));
    // gs2 "y" only when the server offered no -PLUS at all (RFC 5802 §6);
    // choosing not to bind while it does offer -PLUS must say "n".
    return plus ? { mechanism, hash, binding: usable[0]!, couldBind: true } : { mechanism, hash, couldBind: ours.length > 0 && !offersPlus };
  }
  return undefined;
}
