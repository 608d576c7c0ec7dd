/**
 * Why a probe check failed or did not run, as structure (issue 24): each
 * problem has a kind from a closed list and the sentence readers see. The
 * probe decides the kind where it sees the fault (the certificate verdict,
 * the socket, the stream, the check); everything after it (the summary, the
 * directory policy) reads the kind, never the words. Probe records and
 * summaries before version 3 had one `error` sentence instead; their reader
 * (legacy-probe-formats.ts) derives the kinds once, there.
 */
import { z } from 'astro/zod';

/**
 * The kinds that are about the server's certificate (cert-verdict.ts,
 * connect-io.ts): the directory policy's item 1 (TLS with a trusted
 * certificate) reads these; every other kind means the connection or the
 * check itself failed.
 */
const CERTIFICATE_KINDS = [
  /** Self-signed, or not issued by a recognized certification authority. */
  'certificate-untrusted',
  /** Past its end of validity. */
  'certificate-expired',
  /** Before its start of validity. */
  'certificate-not-yet-valid',
  /** Ends within a day: a failure, not a warning. */
  'certificate-expiring',
  /** Names neither the XMPP domain nor the web host. */
  'certificate-name-mismatch',
  /** The server presented no certificate at all. */
  'certificate-missing',
  /** Only in records before version 3: a sentence naming a certificate in none of the forms above. */
  'certificate-other',
] as const;

/** Every kind of problem a check reports: the certificate's, then the others. */
export const PROBLEM_KINDS = [
  ...CERTIFICATE_KINDS,
  // What a bad certificate stops (the register and login checks): not the certificate item's concern.
  /** Clients refuse the certificate, so the check could not go on (register, login). */
  'client-refuses-certificate',
  // Reaching the server (connect-io.ts, http-get-io.ts, dns-check-io.ts).
  /** A name did not resolve, or an SRV lookup failed. */
  'dns-failed',
  /** The address rule refused the address (loopback, private) before connecting. */
  'address-refused',
  /** TCP connection refused. */
  'connect-refused',
  /** Any other socket failure: reset, unreachable, closed. */
  'connect-failed',
  /** No answer within the deadline: connecting, the TLS handshake, a reply. */
  'timeout',
  /** The TLS handshake failed for another reason than a timeout. */
  'tls-failed',
  // The XMPP stream (stream-io.ts, session-io.ts).
  /** The server ended the stream with `<stream:error>`. */
  'stream-error',
  /** The server broke the protocol: not XMPP, malformed XML, an unexpected element, too many bytes, a closed stream. */
  'protocol-error',
  /** STARTTLS not offered, or refused. */
  'starttls-failed',
  /** The stream features after TLS lack what a client or server needs (SASL mechanisms, a way to authenticate), or offer STARTTLS again. */
  'features-missing',
  // What a check asks for.
  /** A web page answered with an HTTP status other than 2xx, or redirected too often. */
  'http-failed',
  /** In-band registration is closed (and no sign-up page answered). */
  'registration-closed',
  /** The probe account could not log in, or bind a resource. */
  'login-failed',
  /** The server refused a request (disco#items, disco#info, software version). */
  'request-refused',
  /** The server publishes no admin addresses (XEP-0157). */
  'no-contact-addresses',
  /** A ping failed (XEP-0199), to the domain or over federation. */
  'ping-failed',
  /** The check did not run; `notRun` on the record says why. */
  'not-run',
  /** The probe itself failed (a bug, a record too big to keep). */
  'probe-error',
  /** Only in records before version 3: a sentence in no known form. */
  'other',
] as const;
export const ProblemKindSchema = z.enum(PROBLEM_KINDS);
export type ProblemKind = z.output<typeof ProblemKindSchema>;

/** The kinds the directory policy's item 1 reads. */
export const CERTIFICATE_PROBLEM_KINDS: ReadonlySet<ProblemKind> = new Set(CERTIFICATE_KINDS);

/** Most problems one record or summary holds; a check reports at most a handful. */
export const MAX_PROBLEMS = 12;

/** One problem, e.g. `{ kind: 'certificate-expired', text: 'certificate expired on 2026-11-01 (CERT_HAS_EXPIRED)' }`. */
export const ProbeProblemSchema = z.strictObject({
  /** What went wrong, from the closed list, e.g. `connect-refused`. */
  kind: ProblemKindSchema,
  /** The sentence readers see, e.g. `connection refused (xmpp.example.org:5222)`; bounded, as it may quote a server. */
  text: z.string().min(1).max(1000),
});
export type ProbeProblem = z.output<typeof ProbeProblemSchema>;

/** Whether a problem is about the certificate (policy item 1). */
export const isCertificateProblem = (p: ProbeProblem): boolean => CERTIFICATE_PROBLEM_KINDS.has(p.kind);

/**
 * The one sentence readers see for a list of problems, e.g.
 * `self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); no SASL mechanisms offered`;
 * undefined without any. The same words version 2's `error` had.
 */
export function problemText(problems: readonly ProbeProblem[] | undefined): string | undefined {
  return problems?.length ? problems.map((p) => p.text).join('; ') : undefined;
}
