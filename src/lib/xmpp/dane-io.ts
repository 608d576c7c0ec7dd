/**
 * The TLSA lookup and the chain a server sent, for dane.ts (issue 30).
 * The lookup starts with the connection and runs beside it, so DANE adds no
 * time to a check; it asks the probe's resolver (`--resolver`) or the
 * system's, neither of which the probe trusts for DNSSEC.
 */
import { X509Certificate } from 'node:crypto';
import { resolveTlsa as systemResolveTlsa } from 'node:dns/promises';
import type { TLSSocket } from 'node:tls';
import type { DaneFacts } from '../schemas.ts';
import { matchTlsa, MAX_TLSA_RECORDS, type ChainCert, type TlsaRecord } from './dane.ts';
import type { NetOptions } from './connect-io.ts';

export interface TlsaLookup {
  name: string;
  lookup: DaneFacts['lookup'];
  records: TlsaRecord[];
}

/** Looks up `_<port>._tcp.<host>` TLSA; never throws. */
export async function lookupTlsa(host: string, port: number, options: Pick<NetOptions, 'resolver'>): Promise<TlsaLookup> {
  const name = `_${port}._tcp.${host.replace(/\.$/, '')}`;
  try {
    const answers = options.resolver ? await options.resolver.resolveTlsa(name) : await systemResolveTlsa(name);
    const records = answers.slice(0, MAX_TLSA_RECORDS).map((a) => ({
      usage: a.certUsage,
      selector: a.selector,
      mtype: a.match,
      data: Buffer.from(a.data).toString('hex').toUpperCase(),
    }));
    return { name, lookup: records.length ? 'found' : 'none', records };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { name, lookup: code === 'ENODATA' || code === 'ENOTFOUND' ? 'none' : 'failed', records: [] };
  }
}

/** The certificates the server sent, its own first; stops at a self-signed one or after 8. */
export function peerChain(socket: TLSSocket): ChainCert[] {
  const chain: ChainCert[] = [];
  let cert = socket.getPeerCertificate(true) as (ReturnType<TLSSocket['getPeerCertificate']> & { issuerCertificate?: unknown }) | undefined;
  const seen = new Set<string>();
  while (cert && cert.raw && chain.length < 8 && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    try {
      chain.push({ der: cert.raw, spki: new X509Certificate(cert.raw).publicKey.export({ type: 'spki', format: 'der' }) });
    } catch {
      break;
    }
    cert = cert.issuerCertificate as typeof cert;
  }
  return chain;
}

/** The record's `dane` detail: the lookup compared with the chain. */
export async function daneFacts(lookup: Promise<TlsaLookup>, socket: TLSSocket): Promise<DaneFacts> {
  const found = await lookup;
  return {
    name: found.name.slice(0, 300),
    lookup: found.lookup,
    dnssec: 'not-validated',
    records: found.lookup === 'found' ? matchTlsa(found.records, peerChain(socket)) : [],
  };
}
