/**
 * SCRAM client (RFC 5802) for SHA-1, SHA-256 (RFC 7677) and SHA-512, with
 * channel binding for the `-PLUS` variants. Written over node:crypto because
 * no maintained npm package covers SHA-256/512 and channel binding (the one
 * the probe used, `sasl-scram-sha-1`, is SHA-1 only); the mechanism is small
 * and is checked here against the RFCs' own test vectors.
 *
 * Pure: the nonce is a parameter, so a run is reproducible.
 */
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

export const SCRAM_HASHES = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' } as const;
export type ScramHash = keyof typeof SCRAM_HASHES;

/** Channel-binding types the probe can compute from a Node TLS socket. */
export const CHANNEL_BINDING_TYPES = ['tls-exporter', 'tls-unique'] as const;
export type ChannelBindingType = (typeof CHANNEL_BINDING_TYPES)[number];

/**
 * Most PBKDF2 iterations accepted from a server. A hostile server could ask
 * for billions and stall the probe; real ones use 4096–600000.
 */
export const MAX_ITERATIONS = 1_000_000;

export class ScramError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScramError';
  }
}

export interface ScramOptions {
  hash: ScramHash;
  username: string;
  password: string;
  /** Printable client nonce, e.g. 24 random bytes in base64. */
  nonce: string;
  /** For `-PLUS`: the binding type and its data from the TLS connection. */
  binding?: { type: ChannelBindingType; data: Buffer };
  /**
   * Without `binding`: true when this client could bind but the server
   * offered no `-PLUS` mechanism (gs2 flag `y`, which lets a server that does
   * support binding detect a downgrade); false for flag `n`.
   */
  couldBind?: boolean;
}

/** RFC 5802 §5.1: "=" and "," in a name are escaped. */
const saslName = (name: string) => name.replace(/=/g, '=3D').replace(/,/g, '=2C');

/**
 * SASLprep (RFC 4013) reduced to what applies to real passwords: non-ASCII
 * spaces become spaces, then NFKC. Prohibited characters are not checked.
 */
export const prepare = (text: string) => text.replace(/[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g, ' ').normalize('NFKC');

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) out.set(part[0]!, part.slice(2));
  }
  return out;
}

export class ScramClient {
  private readonly options: ScramOptions;
  private readonly gs2Header: string;
  private readonly clientFirstBare: string;
  private expectedServerSignature: Buffer | undefined;

  constructor(options: ScramOptions) {
    this.options = options;
    const flag = options.binding ? `p=${options.binding.type}` : options.couldBind ? 'y' : 'n';
    this.gs2Header = `${flag},,`;
    this.clientFirstBare = `n=${saslName(prepare(options.username))},r=${options.nonce}`;
  }

  /** The mechanism name, e.g. `SCRAM-SHA-256-PLUS`. */
  get mechanism(): string {
    return `SCRAM-${this.options.hash}${this.options.binding ? '-PLUS' : ''}`;
  }

  /** The initial response, e.g. `n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL`. */
  clientFirst(): string {
    return this.gs2Header + this.clientFirstBare;
  }

  /** Answers the server's challenge with the proof. */
  clientFinal(serverFirst: string): string {
    const attrs = attributes(serverFirst);
    if (attrs.has('m')) throw new ScramError('server asked for a SCRAM extension this client does not know (m=)');
    const nonce = attrs.get('r');
    const salt = attrs.get('s');
    const iterations = Number(attrs.get('i'));
    if (!nonce || !salt || !attrs.has('i')) throw new ScramError('malformed SCRAM challenge (missing r, s or i)');
    if (!nonce.startsWith(this.options.nonce) || nonce.length === this.options.nonce.length)
      throw new ScramError('server nonce does not extend the client nonce');
    if (!Number.isInteger(iterations) || iterations < 1)
      throw new ScramError(`malformed SCRAM iteration count (${JSON.stringify(attrs.get('i')!.slice(0, 20))})`);
    if (iterations > MAX_ITERATIONS) throw new ScramError(`server asked for ${iterations} PBKDF2 iterations; more than ${MAX_ITERATIONS} is refused`);
    const algorithm = SCRAM_HASHES[this.options.hash];
    const cbind = Buffer.concat([Buffer.from(this.gs2Header), this.options.binding?.data ?? Buffer.alloc(0)]).toString('base64');
    const withoutProof = `c=${cbind},r=${nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const hmac = (key: Buffer, text: string) => createHmac(algorithm, key).update(text).digest();
    const size = createHash(algorithm).digest().length;
    const salted = pbkdf2Sync(prepare(this.options.password), Buffer.from(salt, 'base64'), iterations, size, algorithm);
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = createHash(algorithm).update(clientKey).digest();
    const signature = hmac(storedKey, authMessage);
    const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!));
    this.expectedServerSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /**
   * Checks that the server knows the password too (RFC 5802 §5.1 "v=");
   * throws on a server error (`e=`) or a wrong signature.
   */
  verifyServerFinal(serverFinal: string): void {
    const attrs = attributes(serverFinal);
    const error = attrs.get('e');
    if (error !== undefined) throw new ScramError(`server rejected the SCRAM proof (${error.slice(0, 60)})`);
    const verifier = Buffer.from(attrs.get('v') ?? '', 'base64');
    const expected = this.expectedServerSignature;
    if (!expected || verifier.length !== expected.length || !timingSafeEqual(verifier, expected)) {
      throw new ScramError('the server did not prove it knows the password (SCRAM signature mismatch)');
    }
  }
}
