/**
 * Sockets for the probe: TCP with a deadline, TLS with our own trust store
 * and identity rules, and host resolution through `--resolver` when given.
 *
 * Certificates are never rejected by Node (`rejectUnauthorized: false`): the
 * probe records *why* a certificate is bad, which a rejected handshake hides.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { lookup, Resolver } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { addressProblem, type AddressRule } from './address-rule.ts';
import type { PeerCertificate } from './cert-verdict.ts';
import { ProbeError, serverText } from './stream-io.ts';

export interface NetOptions {
  /** Sends all DNS queries here (tests use dnsmasq); system resolver otherwise. */
  resolver?: Resolver;
  /** PEM certificates trusted on top of the system store (`--ca`). */
  extraCa: string[];
  /** Deadline for each phase (connect, handshake, each reply) in ms. */
  timeoutMs: number;
  /**
   * Which addresses may be connected to (address-rule.ts): public ones only,
   * plus loopback when `allowLoopback` (set from `--allow-loopback`, never
   * from content or configuration). Required, so no caller forgets it.
   */
  addressRule: AddressRule;
}

/** Addresses tried per host name; a name with more is cut here, not connected to 150 times. */
export const MAX_ADDRESSES_PER_HOST = 8;

/** e.g. `127.0.0.1:5353` → a Resolver that asks only that server. */
export function createResolver(server: string, timeoutMs: number): Resolver {
  const resolver = new Resolver({ timeout: Math.min(timeoutMs, 5000), tries: 2 });
  resolver.setServers([server]);
  return resolver;
}

const contexts = new Map<string, tls.SecureContext>();
/**
 * One TLS context per trust store (Node's bundled CAs, the system's, and
 * `--ca`), built once. Passing `ca:` to every connection instead parses
 * ~300 certificates per handshake: measured at 2–7 s per check and memory
 * growing with the number of domains in `npm run bench:probe`.
 */
export function secureContext(extra: readonly string[]): tls.SecureContext {
  const key = extra.join('\n');
  let context = contexts.get(key);
  if (!context) {
    let system: string[] = [];
    try {
      system = tls.getCACertificates('system');
    } catch {
      // No system store readable: the bundled Mozilla list still applies.
    }
    const ca = [...new Set([...tls.getCACertificates('default'), ...system, ...extra])];
    // TLS 1.2 is the minimum (RFC 7590).
    context = tls.createSecureContext({ ca, minVersion: 'TLSv1.2' });
    contexts.set(key, context);
  }
  return context;
}

const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed by the server',
};

/** A socket error in the words every check uses, e.g. `connection refused (jabber.org:5222)`. */
export function netError(err: NodeJS.ErrnoException, where: string): ProbeError {
  const reason = (err.code && NET_ERRORS[err.code]) ?? serverText(err.code ?? err.message, 120);
  return new ProbeError(
    `${reason} (${where})`,
    true,
    err.code === 'ECONNREFUSED' ? 'connect-refused' : err.code === 'ETIMEDOUT' ? 'timeout' : 'connect-failed',
  );
}

/**
 * Addresses for a host: IP literals as they are; names through the
 * configured resolver (A, then AAAA) or the system's.
 */
export async function resolveHost(host: string, options: NetOptions): Promise<string[]> {
  if (isIP(host)) return [host];
  try {
    if (options.resolver) {
      const results = await Promise.allSettled([options.resolver.resolve4(host), options.resolver.resolve6(host)]);
      const addresses = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
      if (addresses.length > 0) return addresses;
      const reason = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason as NodeJS.ErrnoException | undefined;
      throw reason ?? new Error('no addresses');
    }
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const retryable = code !== 'ENOTFOUND' && code !== 'ENODATA';
    throw new ProbeError(`${host} does not resolve to an address (${code ?? 'no addresses'})`, retryable, 'dns-failed');
  }
}

/**
 * The addresses of `host` that the address rule lets the probe connect to,
 * at most MAX_ADDRESSES_PER_HOST. Callers connect to exactly these (never
 * to the name again), so what was checked is what is contacted.
 * @throws ProbeError, not retried, when no address is allowed
 */
export async function connectableAddresses(host: string, options: NetOptions): Promise<string[]> {
  const addresses = await resolveHost(host.replace(/^\[(.*)\]$/, '$1'), options);
  const problems: string[] = [];
  const allowed = addresses.filter((a) => {
    const problem = addressProblem(a, options.addressRule);
    if (problem) problems.push(problem);
    return !problem;
  });
  if (allowed.length === 0) {
    // e.g. "refused: scan.example.net resolves to 127.0.0.1, a loopback address; …", or the literal's own sentence.
    const why = problems[0] ?? 'no address';
    throw new ProbeError(
      (isIP(host.replace(/^\[(.*)\]$/, '$1')) ? `refused: ${why}` : `refused: ${host.slice(0, 253)} resolves to ${why.replace(' is ', ', ')}`).slice(0, 300),
      false,
      'address-refused',
    );
  }
  return allowed.slice(0, MAX_ADDRESSES_PER_HOST);
}

/** Opens TCP to host:port, trying each allowed address in turn, each within the deadline. */
export async function connectTcp(host: string, port: number, options: NetOptions): Promise<Socket> {
  const addresses = await connectableAddresses(host, options);
  let last: ProbeError | undefined;
  for (const address of addresses) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = new Socket();
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new ProbeError(`connection timed out after ${options.timeoutMs} ms (${host}:${port})`, true, 'timeout'));
        }, options.timeoutMs);
        socket.once('error', (err) => {
          clearTimeout(timer);
          socket.destroy();
          reject(netError(err, `${host}:${port}`));
        });
        socket.connect({ host: address, port }, () => {
          clearTimeout(timer);
          socket.removeAllListeners('error');
          resolve(socket);
        });
      });
    } catch (err) {
      last = err as ProbeError;
    }
  }
  throw last ?? new ProbeError(`no address for ${host}`, false, 'dns-failed');
}

export interface TlsOptions {
  /** SNI and the name verified: the XMPP domain, never the SRV target. */
  servername: string;
  alpn?: string[];
  /** Upgrade this plaintext socket (STARTTLS) instead of opening a new one. */
  socket?: Socket;
  /** For a new connection: where to connect. */
  host?: string;
  port?: number;
}

/** Completes a TLS handshake within the deadline. */
export async function connectTls(tlsOptions: TlsOptions, options: NetOptions): Promise<TLSSocket> {
  let socket = tlsOptions.socket;
  const where = tlsOptions.socket ? 'TLS handshake' : `${tlsOptions.host}:${tlsOptions.port}`;
  if (!socket) socket = await connectTcp(tlsOptions.host!, tlsOptions.port!, options);
  return await new Promise<TLSSocket>((resolve, reject) => {
    const secure = tls.connect({
      socket,
      servername: tlsOptions.servername,
      secureContext: secureContext(options.extraCa),
      rejectUnauthorized: false,
      // Identity is judged by XMPP's rules in cert-verdict.ts, not Node's.
      checkServerIdentity: () => undefined,
      ...(tlsOptions.alpn ? { ALPNProtocols: tlsOptions.alpn } : {}),
    });
    const timer = setTimeout(() => {
      secure.destroy();
      reject(new ProbeError(`TLS handshake timed out after ${options.timeoutMs} ms (${where})`, true, 'timeout'));
    }, options.timeoutMs);
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      secure.removeAllListeners('error');
      resolve(secure);
    });
    secure.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      secure.destroy();
      const transient = err.code === 'ECONNRESET' || err.code === 'EPIPE';
      reject(
        new ProbeError(
          `TLS handshake failed: ${serverText(err.code === 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME' ? 'server does not know this domain (unrecognized_name alert)' : err.message.replace(/^[0-9A-F]+:error:[0-9A-F]+:SSL routines:/, ''), 160)}`,
          transient,
          'tls-failed',
        ),
      );
    });
  });
}

/** Reads the peer certificate once (Node empties it after some calls) into plain facts. */
export function peerCertificate(socket: TLSSocket): PeerCertificate {
  const cert = socket.getPeerCertificate(true);
  if (!cert || !cert.valid_to) throw new ProbeError('server presented no certificate', false, 'certificate-missing');
  return {
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
    subjectCN: typeof cert.subject?.CN === 'string' ? cert.subject.CN : undefined,
    issuer: (typeof cert.issuer?.CN === 'string' ? cert.issuer.CN : undefined) ?? (typeof cert.issuer?.O === 'string' ? cert.issuer.O : undefined),
    subjectaltname: cert.subjectaltname,
    validFrom: new Date(cert.valid_from),
    validTo: new Date(cert.valid_to),
    fingerprint256: cert.fingerprint256,
    ...keyFacts(cert),
  };
}

/**
 * What identifies the certificate's key (issue 30): the SHA-256 of its
 * SubjectPublicKeyInfo (what HPKP-style pins and DANE "SPKI" records hash),
 * its algorithm and size, the issuer's organisation and the serial. Read
 * from the DER with node:crypto's X509Certificate; a certificate it cannot
 * parse simply lacks these facts (the fingerprint is still recorded).
 */
export function keyFacts(cert: {
  raw?: Buffer;
  issuer?: Record<string, unknown>;
  serialNumber?: string;
}): Pick<PeerCertificate, 'spki256' | 'keyType' | 'keyBits' | 'issuerOrg' | 'serial'> {
  const issuerOrg = typeof cert.issuer?.O === 'string' ? cert.issuer.O : undefined;
  const serial = typeof cert.serialNumber === 'string' ? cert.serialNumber.toUpperCase() : undefined;
  const base = { ...(issuerOrg ? { issuerOrg } : {}), ...(serial ? { serial } : {}) };
  if (!cert.raw) return base;
  try {
    const key = new X509Certificate(cert.raw).publicKey;
    const spki = key.export({ type: 'spki', format: 'der' });
    const details = key.asymmetricKeyDetails ?? {};
    const bits =
      details.modulusLength ??
      curveBits(details.namedCurve) ??
      (key.asymmetricKeyType === 'ed25519' ? 256 : key.asymmetricKeyType === 'ed448' ? 456 : undefined);
    return {
      ...base,
      spki256: colonHex(createHash('sha256').update(spki).digest()),
      ...(key.asymmetricKeyType ? { keyType: key.asymmetricKeyType } : {}),
      ...(bits !== undefined ? { keyBits: bits } : {}),
    };
  } catch {
    return base;
  }
}

/** e.g. `prime256v1` → 256. */
function curveBits(curve: string | undefined): number | undefined {
  if (!curve) return undefined;
  const known: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, 'P-256': 256, 'P-384': 384, 'P-521': 521 };
  return known[curve] ?? (Number(/(\d{3})/.exec(curve)?.[1]) || undefined);
}

/** Upper-case hex pairs joined by colons, as Node writes `fingerprint256`. */
function colonHex(bytes: Buffer): string {
  return bytes
    .toString('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}

/** TLS session facts for a record. */
export function tlsFacts(socket: TLSSocket) {
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.name ?? 'unknown',
    alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
  };
}
