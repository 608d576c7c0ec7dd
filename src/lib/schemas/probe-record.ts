/**
 * Probe records: one JSON line per check per target, written by
 * `npm run probe` to DIR/<vantage>/<YYYY-MM-DD>.jsonl and read by the build.
 */
import { z } from 'astro/zod';
import { problemsFromLegacyError } from './legacy-probe-formats.ts';
import { MAX_PROBLEMS, ProbeProblemSchema } from './probe-problem.ts';
import { ProbeCheckSchema, ProbeNotRunSchema } from './vocabularies.ts';

/** Text that came from a server: bounded so a hostile server cannot bloat the logs. */
const ServerText = z.string().max(1000);

/** What a probe learned about a TLS certificate, and its verdict. */
export const CertFactsSchema = z.strictObject({
  /** Subject common name, e.g. `jabber.org`. */
  subject: ServerText,
  /** Issuer common name or organisation, e.g. `R11`. */
  issuer: ServerText,
  /** Start of validity, e.g. `2026-10-01T00:00:00Z`. */
  validFrom: z.string(),
  /** End of validity, e.g. `2026-12-30T23:59:59Z`. */
  validTo: z.string(),
  /** Whole days from the probe's "now" to `validTo`; negative once expired, e.g. `38`. */
  daysLeft: z.number().int(),
  /** The chain leads to a recognized CA (system store plus `--ca`). */
  trusted: z.boolean(),
  /** OpenSSL's reason when not trusted, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  trustError: ServerText.optional(),
  /** Which name matched the XMPP domain, or null when none did, e.g. `SRV-ID`. */
  identity: z.enum(['SRV-ID', 'XmppAddr', 'DNS-ID', 'CN']).nullable(),
  /** Names in the certificate, e.g. `['DNS:jabber.org', 'XmppAddr:jabber.org']`. */
  names: z.array(ServerText).max(100),
  /** SHA-256 fingerprint, e.g. `AB:CD:…`. */
  fingerprint256: z.string().max(200),
  // Issue 30 (certificate continuity). Optional: records and summaries from
  // probes before it lack them, and other hosts' summaries are still read.
  /** SHA-256 of the certificate's public key (its DER SubjectPublicKeyInfo), upper-case hex with colons like `fingerprint256`, e.g. `1F:0A:…`; the same across a renewal that keeps the key. */
  spki256: z.string().max(200).optional(),
  /** The public key's algorithm, e.g. `rsa`, `ec`, `ed25519`. */
  keyType: z.string().max(20).optional(),
  /** Key size in bits (RSA modulus, EC curve size), e.g. `2048` or `256`. */
  keyBits: z.number().int().nonnegative().max(100_000).optional(),
  /** The issuer's organisation, e.g. `Let's Encrypt`: the "issuer family" a renewal keeps while `issuer` (`R10`, `R11`) may change. */
  issuerOrg: ServerText.optional(),
  /** The certificate's serial number in hex, e.g. `04A1…`; tells two certificates with the same names apart in a message. */
  serial: z.string().max(100).optional(),
});
export type CertFacts = z.output<typeof CertFactsSchema>;

/**
 * DANE (issue 30): the TLSA records published for a target and whether each
 * matches the certificate presented. Never DNSSEC-validated by the probe
 * (`dnssec: 'not-validated'`): see src/lib/xmpp/dane.ts for what that means.
 */
export const DaneFactsSchema = z.strictObject({
  /** The name asked, e.g. `_5222._tcp.hermes2.jabber.org`. */
  name: z.string().max(300),
  /** `found` (records below), `none` (the name has no TLSA records), `failed` (the lookup failed: SERVFAIL, timeout). */
  lookup: z.enum(['found', 'none', 'failed']),
  /** Always `not-validated`: the probe does not check DNSSEC signatures, so a record could be forged on its path. */
  dnssec: z.literal('not-validated'),
  /** Each record, e.g. `{ usage: 3, selector: 1, mtype: 1, data: '3B1C…', matches: true }` (DANE-EE, public key, SHA-256). */
  records: z
    .array(
      z.strictObject({
        usage: z.number().int().min(0).max(255),
        selector: z.number().int().min(0).max(255),
        mtype: z.number().int().min(0).max(255),
        /** Upper-case hex; an exact-match record over 128 digits is cut, ending in `…`. */
        data: z.string().max(200),
        /** True when this record matches the certificate (end-entity usages) or one above it in the chain (trust-anchor usages). */
        matches: z.boolean(),
      }),
    )
    .max(6),
});
export type DaneFacts = z.output<typeof DaneFactsSchema>;

/** Check-specific findings. Every field is optional; a check fills what it learned. */
const ProbeDetailSchema = z.looseObject({
  /** TLS session facts, e.g. `{ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', alpn: null }`. */
  tls: z.strictObject({ protocol: z.string().max(50), cipher: z.string().max(100), alpn: z.string().max(50).nullable() }).optional(),
  /** The certificate and its verdict. */
  cert: CertFactsSchema.optional(),
  /** A non-fatal concern, e.g. `certificate expires in 12 days`. */
  warning: ServerText.optional(),
  /** Issue 30: the target's TLSA records compared with its certificate; absent for checks and probes without it. */
  dane: DaneFactsSchema.optional(),
});

/**
 * The raw record format the probe writes. Version 3 (issue 24) carries why a
 * check failed as typed `problems`; version 2 (issue 21) set `ok: null` on a
 * check that did not run; version 1 had `ok: false` there. Versions 1 and 2
 * had one `error` sentence instead of `problems`, and are still read.
 */
export const PROBE_RECORD_VERSION = 3 as const;

/** The fields every version has. */
const recordFields = {
  /** When the check started, UTC, e.g. `2026-11-21T06:00:00.000Z`. */
  at: z.iso.datetime(),
  /** Probe host that ran it, e.g. `ams`. */
  vantage: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  /** XMPP domain probed, e.g. `jabber.org`. */
  domain: z.string().min(1).max(253),
  /** Which check, e.g. `c2s-starttls`. */
  check: ProbeCheckSchema,
  /** What was contacted, e.g. `hermes2.jabber.org:5222` or `https://www.jabber.org/`; the domain for `dns`. */
  target: z.string().min(1).max(600),
  /** True when the check passed, false when it failed, null when it did not run (then `notRun` says why), e.g. `true`. */
  ok: z.boolean().nullable(),
  /**
   * Milliseconds from the start of the first attempt to the end of the last
   * (a retry's pause included), e.g. `182`; a logged-in check includes the
   * login, except `federation`, whose ms is the ping's round trip alone.
   */
  ms: z.number().nonnegative(),
  /** 2 when a failed connection was retried once before this result. */
  attempts: z.number().int().min(1).max(2),
  /** What the check learned. */
  detail: ProbeDetailSchema,
  /**
   * Set when the check did not run, e.g. `no-password`; `ok` is then null
   * and `problems` says why, e.g. `[{ kind: 'not-run', text: 'not run: PROBE_PASSWORD is not set' }]`.
   */
  notRun: ProbeNotRunSchema.optional(),
};

const NOT_RUN_RULE =
  'a check that did not run has "ok: null" and "notRun" (version 1: "ok: false"); one that ran has "ok: true" or "ok: false" and no "notRun"';

/** Version 3, what the probe writes. */
const ProbeRecordV3Schema = z
  .strictObject({
    /** Format version; readers skip versions they do not know. */
    v: z.literal(PROBE_RECORD_VERSION),
    ...recordFields,
    /**
     * Why it failed or did not run, in order, e.g.
     * `[{ kind: 'certificate-untrusted', text: 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)' }]`;
     * absent when it passed. Readers see the texts joined with "; ".
     */
    problems: z.array(ProbeProblemSchema).min(1).max(MAX_PROBLEMS).optional(),
  })
  .refine((r) => (r.ok === null) === !!r.notRun, { error: NOT_RUN_RULE, path: ['ok'] });

/** Versions 1 and 2, read as version 3: the `error` sentence becomes problems (legacy-probe-formats.ts). */
const ProbeRecordV2Schema = z
  .strictObject({
    v: z.union([z.literal(1), z.literal(2)]),
    ...recordFields,
    /** Why it failed, for readers, e.g. `self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`. */
    error: ServerText.optional(),
  })
  .refine((r) => (r.v === 1 ? r.ok !== null && (!r.notRun || r.ok === false) : (r.ok === null) === !!r.notRun), { error: NOT_RUN_RULE, path: ['ok'] })
  // A version-1 "not run" (ok: false) becomes ok: null.
  .transform(({ v: _v, error, ...r }): z.output<typeof ProbeRecordV3Schema> => {
    const problems = problemsFromLegacyError(error, r.notRun);
    return { v: PROBE_RECORD_VERSION, ...r, ok: r.notRun ? null : r.ok, ...(problems.length ? { problems } : {}) };
  });

/** A probe record of any version this build reads; every reader sees version 3. */
export const ProbeRecordSchema = z.discriminatedUnion('v', [ProbeRecordV3Schema, ProbeRecordV2Schema]);
export type ProbeRecord = z.output<typeof ProbeRecordV3Schema>;
