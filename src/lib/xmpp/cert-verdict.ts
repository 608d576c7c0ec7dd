/**
 * Judges a TLS certificate the way the jabber.org policy needs: issued by a
 * recognized CA (not self-signed), valid for the XMPP domain, not expired.
 * Pure: the caller passes what the TLS socket reported and `now`.
 */
import type { CertFacts, ProbeProblem } from '../schemas.ts';
import { matchXmppIdentity, parseSubjectAltName, type XmppService } from './identity.ts';

/** Warn this many days before expiry (Prosody's `check certs` warns at 31). */
export const EXPIRY_WARNING_DAYS = 30;

export interface PeerCertificate {
  /** `TLSSocket.authorized` with `rejectUnauthorized: false`. */
  authorized: boolean;
  /** `TLSSocket.authorizationError`, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  authorizationError?: string;
  subjectCN?: string;
  issuer?: string;
  /** Node's `subjectaltname` string. */
  subjectaltname?: string;
  validFrom: Date;
  validTo: Date;
  fingerprint256: string;
  /** Issue 30: what identifies the key and the issuer family (key-facts in connect-io.ts); absent when unreadable. */
  spki256?: string;
  keyType?: string;
  keyBits?: number;
  issuerOrg?: string;
  serial?: string;
}

export interface CertVerdict {
  facts: CertFacts;
  /** Why the certificate fails the policy, each with its kind; empty when it passes. */
  problems: ProbeProblem[];
  /** A concern that does not fail the check, e.g. close expiry. */
  warning?: string;
}

const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);

import { toIsoUtc as iso } from '../shared/time.ts';

/**
 * @param domain the XMPP domain, e.g. `jabber.org`
 * @param service `xmpp-client` for c2s, `xmpp-server` for s2s
 * @param now the probe's clock, e.g. `new Date('2026-11-21T06:00:00Z')`
 */
export function judgeCertificate(cert: PeerCertificate, domain: string, service: XmppService, now: Date): CertVerdict {
  const san = parseSubjectAltName(cert.subjectaltname);
  const identity = matchXmppIdentity(domain, service, san, cert.subjectCN);
  const daysLeft = Math.floor((cert.validTo.getTime() - now.getTime()) / 86_400_000);
  const facts: CertFacts = {
    subject: (cert.subjectCN ?? '').slice(0, 1000),
    issuer: (cert.issuer ?? '').slice(0, 1000),
    validFrom: iso(cert.validFrom),
    validTo: iso(cert.validTo),
    daysLeft,
    trusted: cert.authorized,
    ...(cert.authorized ? {} : { trustError: (cert.authorizationError ?? 'UNKNOWN').slice(0, 1000) }),
    identity,
    names: san.slice(0, 100).map((e) => `${e.type}:${e.value}`.slice(0, 1000)),
    fingerprint256: cert.fingerprint256.slice(0, 200),
    ...(cert.spki256 ? { spki256: cert.spki256.slice(0, 200) } : {}),
    ...(cert.keyType ? { keyType: cert.keyType.slice(0, 20) } : {}),
    ...(cert.keyBits !== undefined && Number.isInteger(cert.keyBits) && cert.keyBits >= 0 && cert.keyBits <= 100_000 ? { keyBits: cert.keyBits } : {}),
    ...(cert.issuerOrg ? { issuerOrg: cert.issuerOrg.slice(0, 1000) } : {}),
    ...(cert.serial ? { serial: cert.serial.slice(0, 100) } : {}),
  };
  const problems: ProbeProblem[] = [];
  const code = cert.authorizationError ?? 'UNKNOWN';
  if (!cert.authorized) {
    if (SELF_SIGNED.has(code)) problems.push({ kind: 'certificate-untrusted', text: `self-signed certificate (${code})` });
    else if (code === 'CERT_HAS_EXPIRED')
      problems.push({ kind: 'certificate-expired', text: `certificate expired on ${iso(cert.validTo).slice(0, 10)} (${code})` });
    else if (code === 'CERT_NOT_YET_VALID')
      problems.push({ kind: 'certificate-not-yet-valid', text: `certificate not valid until ${iso(cert.validFrom).slice(0, 10)} (${code})` });
    else problems.push({ kind: 'certificate-untrusted', text: `certificate not issued by a recognized CA (${code})` });
  } else if (cert.validTo.getTime() <= now.getTime()) {
    // OpenSSL checks expiry against the real clock; this catches it against ours.
    problems.push({ kind: 'certificate-expired', text: `certificate expired on ${iso(cert.validTo).slice(0, 10)}` });
  }
  if (!identity) {
    const names = facts.names.length ? facts.names.slice(0, 5).join(', ') : `CN=${facts.subject}`;
    problems.push({ kind: 'certificate-name-mismatch', text: `certificate is not valid for ${domain} (it names ${names})` });
  }
  let warning: string | undefined;
  if (problems.length === 0 && cert.validTo.getTime() - now.getTime() < 86_400_000) {
    problems.push({ kind: 'certificate-expiring', text: `certificate expires in less than a day (${iso(cert.validTo)})` });
  } else if (daysLeft >= 0 && daysLeft < EXPIRY_WARNING_DAYS) {
    warning = `certificate expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${iso(cert.validTo).slice(0, 10)})`;
  }
  return { facts, problems, ...(warning ? { warning } : {}) };
}
