/**
 * Certificate identity for XMPP (RFC 6120 §13.7.2.1, RFC 6125, RFC 7590),
 * the rules Prosody's util/x509.lua applies. Node's own
 * `tls.checkServerIdentity` knows only DNS names and the CN, so a certificate
 * carrying only XmppAddr/SRV-ID names (valid for XMPP) would fail there.
 */

/** `https` is for the website check: DNS-ID (and CN) only, as browsers do. */
export type XmppService = 'xmpp-client' | 'xmpp-server' | 'https';
export type IdentityMatch = 'SRV-ID' | 'XmppAddr' | 'DNS-ID' | 'CN';

export interface SanEntry {
  /** e.g. `DNS`, `XmppAddr`, `SRVName`, `IP Address` */
  type: string;
  /** e.g. `jabber.org` */
  value: string;
}

/**
 * Splits Node's `subjectaltname` string, e.g.
 * `DNS:a.test, othername:XmppAddr:a.test, othername:SRVName:_xmpp-client.a.test`.
 * Node JSON-quotes values that contain separators (`DNS:"a, b"`), which are
 * decoded here rather than split on.
 */
export function parseSubjectAltName(san: string | undefined): SanEntry[] {
  if (!san) return [];
  const entries: SanEntry[] = [];
  let i = 0;
  while (i < san.length) {
    while (san[i] === ' ' || san[i] === ',') i++;
    if (i >= san.length) break;
    let colon = san.indexOf(':', i);
    if (colon < 0) break;
    let type = san.slice(i, colon);
    i = colon + 1;
    if (type === 'othername') {
      colon = san.indexOf(':', i);
      if (colon < 0) break;
      type = san.slice(i, colon);
      i = colon + 1;
    }
    let value: string;
    if (san[i] === '"') {
      // JSON string: find the closing quote that is not escaped.
      let j = i + 1;
      while (j < san.length && san[j] !== '"') j += san[j] === '\\' ? 2 : 1;
      try {
        value = JSON.parse(san.slice(i, j + 1)) as string;
      } catch {
        value = san.slice(i + 1, j);
      }
      i = j + 1;
    } else {
      const comma = san.indexOf(', ', i);
      const end = comma < 0 ? san.length : comma;
      value = san.slice(i, end);
      i = end;
    }
    entries.push({ type, value });
  }
  return entries;
}

const lower = (s: string) => s.toLowerCase().replace(/\.$/, '');

/** DNS-ID match with at most one wildcard, as the whole leftmost label. */
export function matchesDnsName(pattern: string, domain: string): boolean {
  const p = lower(pattern);
  const d = lower(domain);
  if (!p.startsWith('*.')) return p === d;
  const rest = p.slice(2);
  const dot = d.indexOf('.');
  return dot > 0 && d.slice(dot + 1) === rest && !rest.includes('*');
}

/**
 * Which presented identifier, if any, matches the XMPP domain. SRV-ID and
 * XmppAddr never take wildcards; the CN is consulted only when the
 * certificate has no DNS, SRV or XmppAddr names at all (RFC 6125 §6.4.4).
 * @param domain the XMPP domain (the stream `to`), never the SRV target host
 */
export function matchXmppIdentity(domain: string, service: XmppService, san: readonly SanEntry[], commonName: string | undefined): IdentityMatch | null {
  const d = lower(domain);
  if (service !== 'https' && san.some((e) => e.type === 'SRVName' && lower(e.value) === `_${service}.${d}`)) return 'SRV-ID';
  if (service !== 'https' && san.some((e) => e.type === 'XmppAddr' && lower(e.value) === d)) return 'XmppAddr';
  if (san.some((e) => e.type === 'DNS' && matchesDnsName(e.value, d))) return 'DNS-ID';
  const hasIdentifiers = san.some((e) => e.type === 'DNS' || e.type === 'SRVName' || e.type === 'XmppAddr');
  if (!hasIdentifiers && commonName && matchesDnsName(commonName, d)) return 'CN';
  return null;
}
