/**
 * DANE (RFC 6698, RFC 7673 for XMPP): do the TLSA records published for a
 * target (`_<port>._tcp.<host>`) match the certificate it presents? Pure:
 * the records and the certificate chain's DER bytes in, the facts out.
 *
 * What this can and cannot tell (issue 30): the probe's resolver does not
 * validate DNSSEC signatures, so it cannot tell a signed record from a
 * forged one, nor whether the zone is signed at all. A match says the
 * records and the server agree as this location sees them; it does not
 * prove DANE protects anyone. A mismatch is still real news: a client that
 * does validate (with DNSSEC) refuses the connection.
 */
import { createHash } from 'node:crypto';
import type { DaneFacts } from '../schemas.ts';

/** Most TLSA records kept per target (each is at most a SHA-512 in hex). */
export const MAX_TLSA_RECORDS = 6;

/** One TLSA record: certificate usage, selector, matching type, data in hex. */
export interface TlsaRecord {
  usage: number;
  selector: number;
  mtype: number;
  /** Upper-case hex, e.g. `3B1C…`. */
  data: string;
}

/** One certificate of the chain the server sent: its DER and its SubjectPublicKeyInfo DER. */
export interface ChainCert {
  der: Buffer;
  spki: Buffer;
}

/** What a record's data should be for `cert` (selector 0: whole certificate, 1: public key; type 0: exact, 1: SHA-256, 2: SHA-512); null for values RFC 6698 does not define. */
export function tlsaData(cert: ChainCert, selector: number, mtype: number): string | null {
  const bytes = selector === 0 ? cert.der : selector === 1 ? cert.spki : null;
  if (!bytes) return null;
  if (mtype === 0) return bytes.toString('hex').toUpperCase();
  if (mtype === 1) return createHash('sha256').update(bytes).digest('hex').toUpperCase();
  if (mtype === 2) return createHash('sha512').update(bytes).digest('hex').toUpperCase();
  return null;
}

/**
 * Which records match: end-entity usages (1 PKIX-EE, 3 DANE-EE) against the
 * server's own certificate, trust-anchor usages (0 PKIX-TA, 2 DANE-TA)
 * against the certificates above it in the chain it sent.
 * @param chain the server's certificate first, then its issuers as sent
 */
export function matchTlsa(records: readonly TlsaRecord[], chain: readonly ChainCert[]): DaneFacts['records'] {
  return records.slice(0, MAX_TLSA_RECORDS).map((r) => {
    const candidates = r.usage === 1 || r.usage === 3 ? chain.slice(0, 1) : r.usage === 0 || r.usage === 2 ? chain.slice(1) : [];
    const matches = candidates.some((c) => tlsaData(c, r.selector, r.mtype) === r.data.toUpperCase());
    // Exact-match records can be kilobytes: kept as their SHA-256 prefix only, marked so.
    const data = r.mtype === 0 && r.data.length > 128 ? `${r.data.slice(0, 64)}…` : r.data.toUpperCase();
    return { usage: r.usage, selector: r.selector, mtype: r.mtype, data, matches };
  });
}

/** Words for a record's parameters, e.g. `DANE-EE, public key, SHA-256`. */
export function describeTlsa(r: Pick<TlsaRecord, 'usage' | 'selector' | 'mtype'>): string {
  const usage = ['PKIX-TA', 'PKIX-EE', 'DANE-TA', 'DANE-EE'][r.usage] ?? `usage ${r.usage}`;
  const selector = ['whole certificate', 'public key'][r.selector] ?? `selector ${r.selector}`;
  const mtype = ['exact', 'SHA-256', 'SHA-512'][r.mtype] ?? `matching type ${r.mtype}`;
  return `${usage}, ${selector}, ${mtype}`;
}
