/**
 * Certificate facts for the certs/ tests, parsed by the real schemas so
 * fixtures cannot drift from what probes write.
 */
import { CertFactsSchema, ProbeSummarySchema, SummaryCertSchema, type CertFacts, type ProbeSummary, type SummaryCert } from '../schemas.ts';

/** A 64-hex-digit fingerprint made of one repeated byte, e.g. `fp('AB')` → `AB:AB:…`. */
export const fp = (byte: string) => Array.from({ length: 32 }, () => byte).join(':');

export function certFacts(over: Partial<CertFacts> = {}): CertFacts {
  return CertFactsSchema.parse({
    subject: 'jabber.org',
    issuer: 'R11',
    issuerOrg: "Let's Encrypt",
    validFrom: '2026-09-01T00:00:00Z',
    validTo: '2026-11-30T00:00:00Z',
    daysLeft: 9,
    trusted: true,
    identity: 'SRV-ID',
    names: ['DNS:jabber.org', 'SRVName:_xmpp-client.jabber.org'],
    fingerprint256: fp('AA'),
    spki256: fp('11'),
    keyType: 'ec',
    keyBits: 256,
    ...over,
  });
}

export const summaryCert = (over: Partial<CertFacts> = {}): SummaryCert => SummaryCertSchema.parse(certFacts(over));

/** A summary of one location holding one target's certificate for c2s-starttls. */
export function summaryWith(
  vantage: string,
  targets: {
    target?: string;
    cert: SummaryCert;
    at: string;
    since: string;
    streak: number;
    seen?: string[];
    previous?: { cert: SummaryCert; until: string };
  }[],
  check = 'c2s-starttls',
): ProbeSummary {
  return ProbeSummarySchema.parse({
    v: 1,
    generator: 'test',
    generatedAt: '2026-11-21T12:00:00Z',
    vantage,
    checks: [
      {
        domain: 'jabber.org',
        check,
        days: [],
        last: { at: targets[0]?.at ?? '2026-11-21T11:59:00Z', ok: true, ms: 80, target: targets[0]?.target ?? 'hermes2.jabber.org:5222' },
        cert: targets[0]?.cert ?? null,
        certs: targets.map((t) => ({
          target: t.target ?? 'hermes2.jabber.org:5222',
          at: t.at,
          cert: t.cert,
          since: t.since,
          streak: t.streak,
          previous: t.previous ?? null,
          seen: (t.seen ?? [t.cert.fingerprint256]).map((f) => [f, t.at]),
        })),
      },
    ],
  });
}
