/**
 * Probe records and summaries of versions 1 and 2 (one `error` sentence)
 * and of version 3 (typed problems, issue 24) give the directory policy the
 * same verdicts, so probe hosts and the build host can be upgraded one at a
 * time. The first test's snapshot was made with the policy before issue 24
 * (which split the sentence at "; "), on main at f2f5021, and is unchanged.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { problemText, ProbeRecordSchema, ProbeSummarySchema, type ProbeProblem, type ProbeRecord } from '../schemas.ts';
import { parseRecordLine, serializeRecord } from '../monitoring/probe-log.ts';
import { observationsFromRecords, observationsFromSummaries } from './evidence.ts';
import { evaluatePolicy } from './policy.ts';

const DOMAIN = 'example.org';
const AT = '2026-11-21T11:55:00.000Z';
const NOW = new Date('2026-11-21T12:00:00Z');
const CERT = {
  subject: DOMAIN,
  issuer: 'R11',
  validFrom: '2026-10-22T00:00:00Z',
  validTo: '2027-01-20T23:59:59Z',
  daysLeft: 60,
  trusted: true,
  identity: 'DNS-ID' as const,
  names: [`DNS:${DOMAIN}`],
  fingerprint256: 'AA',
};
const TARGETS: Record<string, string> = {
  'c2s-starttls': `xmpp.${DOMAIN}:5222`,
  'c2s-directtls': `xmpp.${DOMAIN}:5223`,
  's2s-starttls': `xmpp.${DOMAIN}:5269`,
  register: `xmpp.${DOMAIN}:5222`,
  website: `https://${DOMAIN}/`,
  disco: DOMAIN,
  contact: DOMAIN,
};

/** A version-2 record as probes before issue 24 wrote it: `error` is the sentence. */
function v2(check: string, vantage: string, error?: string, extra: Record<string, unknown> = {}) {
  const tls = check.includes('tls') || check === 'website';
  return {
    v: 2,
    at: AT,
    vantage,
    domain: DOMAIN,
    check,
    target: TARGETS[check],
    ok: !error,
    ms: 80,
    attempts: 1,
    ...(error ? { error } : {}),
    detail: tls ? { cert: CERT } : {},
    ...extra,
  };
}
const verdicts = (records: readonly ProbeRecord[]) =>
  evaluatePolicy({ domain: DOMAIN, observations: observationsFromRecords(records, DOMAIN), uptime: { kind: 'one-off' }, quorum: 0.5 }).map(
    (r) => `${r.number} ${r.verdict}: ${r.reason}`,
  );

// Sentences the probe wrote (from the Prosody tests and the checks' code), some joined as outcome() joined them.
const SCENARIOS: Record<string, Record<string, unknown>[]> = {
  'certificate problems on every TLS check, from two of three locations': ['ams', 'fra', 'nyc'].flatMap((v, i) => [
    v2(
      'c2s-starttls',
      v,
      i < 2 ? 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); certificate is not valid for example.org (it names DNS:x.test)' : undefined,
    ),
    v2('c2s-directtls', v, i < 2 ? 'certificate expired on 2020-02-01 (CERT_HAS_EXPIRED); no SASL mechanisms offered' : undefined),
    v2('s2s-starttls', v, i < 2 ? 'certificate not issued by a recognized CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE)' : undefined),
    v2(
      'register',
      v,
      i < 2
        ? "clients refuse this server's certificate, so they cannot register: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); certificate is not valid for example.org (it names DNS:x.test)"
        : undefined,
    ),
    v2('website', v, i < 2 ? 'certificate is not valid for example.org (it names DNS:other.example); HTTP 404 at https://example.org/' : undefined),
  ]),
  'connections that fail, and a TLS handshake failure that names a certificate': ['ams', 'fra'].flatMap((v) => [
    v2('c2s-starttls', v, 'connection refused (xmpp.example.org:5222)'),
    v2('c2s-directtls', v, 'TLS handshake failed: sslv3 alert bad certificate'),
    v2('s2s-starttls', v, 'server presented no certificate'),
    v2('register', v, 'in-band registration is closed (the server answered not-allowed); registration page https://example.org/join answered HTTP 503'),
    v2('website', v, 'no answer within 10000 ms (https://example.org/)'),
    v2('disco', v, 'disco#items refused: forbidden'),
    v2('contact', v, 'server publishes no admin-addresses (XEP-0157)'),
  ]),
  'not offered, not run, and a stream error': [
    v2('c2s-starttls', 'ams', 'stream error: host-unknown (nope)'),
    { ...v2('c2s-directtls', 'ams', 'not offered: _xmpps-client._tcp points to "."'), ok: null, notRun: 'not-offered' },
    { ...v2('s2s-starttls', 'ams', 'certificate expires in less than a day (2026-11-22T06:00:00Z)') },
    { ...v2('disco', 'ams', 'not run: the probe account status-probe@jabber.org is not on example.org'), ok: null, notRun: 'account-elsewhere' },
    v2('register', 'ams', undefined, { detail: { inBand: { verdict: 'open' } } }),
  ],
};

test('records of version 2 give the policy the verdicts it gave before version 3', () => {
  const result = Object.fromEntries(Object.entries(SCENARIOS).map(([name, records]) => [name, verdicts(records.map((r) => ProbeRecordSchema.parse(r)))]));
  expect(result).toMatchInlineSnapshot(`
    {
      "certificate problems on every TLS check, from two of three locations": [
        "1 fail: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); certificate is not valid for example.org (it names DNS:x.test); certificate expired on 2020-02-01 (CERT_HAS_EXPIRED); certificate not issued by a recognized CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE) (client STARTTLS from ams, fra; client direct TLS from ams, fra; server-to-server from ams, fra)",
        "2 fail: client direct TLS: no SASL mechanisms offered (from ams, fra)",
        "3 pass: server-to-server connected",
        "4 fail: no page answered: certificate is not valid for example.org (it names DNS:other.example); HTTP 404 at https://example.org/",
        "5 fail: clients refuse this server's certificate, so they cannot register: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); certificate is not valid for example.org (it names DNS:x.test)",
        "6 unknown: service discovery was not probed; this is never a failure",
        "7 unknown: not measured in a one-off test: uptime is measured continuously once the service is in the directory",
        "8 unknown: administrator and location are declared in the service file when you apply; contact addresses not probed (no probe account)",
        "9 unknown: not automated: no telephone verification recorded yet",
      ],
      "connections that fail, and a TLS handshake failure that names a certificate": [
        "1 fail: TLS handshake failed: sslv3 alert bad certificate; server presented no certificate (client direct TLS from ams, fra; server-to-server from ams, fra)",
        "2 fail: client STARTTLS: connection refused (xmpp.example.org:5222) (from ams, fra)",
        "3 pass: server-to-server connected",
        "4 fail: no page answered: no answer within 10000 ms (https://example.org/)",
        "5 fail: in-band registration is closed (the server answered not-allowed); registration page https://example.org/join answered HTTP 503",
        "6 fail: disco#items refused: forbidden",
        "7 unknown: not measured in a one-off test: uptime is measured continuously once the service is in the directory",
        "8 fail: server publishes no admin-addresses (XEP-0157)",
        "9 unknown: not automated: no telephone verification recorded yet",
      ],
      "not offered, not run, and a stream error": [
        "1 fail: certificate expires in less than a day (2026-11-22T06:00:00Z) (server-to-server from ams)",
        "2 fail: client STARTTLS: stream error: host-unknown (nope) (from ams). client direct TLS: not offered: _xmpps-client._tcp points to "." (from ams)",
        "3 pass: server-to-server connected",
        "4 unknown: the website has not been checked yet",
        "5 pass: in-band registration is open",
        "6 unknown: service discovery was not probed (the probe account status-probe@jabber.org is not on example.org); this is never a failure",
        "7 unknown: not measured in a one-off test: uptime is measured continuously once the service is in the directory",
        "8 unknown: administrator and location are declared in the service file when you apply; contact addresses not probed (no probe account)",
        "9 unknown: not automated: no telephone verification recorded yet",
      ],
    }
  `);
});

// What the checks write, by kind (cert-verdict.ts, connect-io.ts, stream-io.ts, the checks); none of the
// connection's sentences names a certificate, as none the probe writes does except a TLS alert's (above).
const CERTIFICATE: ProbeProblem[] = [
  { kind: 'certificate-untrusted', text: 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)' },
  { kind: 'certificate-untrusted', text: 'certificate not issued by a recognized CA (UNABLE_TO_GET_ISSUER_CERT_LOCALLY)' },
  { kind: 'certificate-expired', text: 'certificate expired on 2026-11-01 (CERT_HAS_EXPIRED)' },
  { kind: 'certificate-not-yet-valid', text: 'certificate not valid until 2027-01-01 (CERT_NOT_YET_VALID)' },
  { kind: 'certificate-name-mismatch', text: 'certificate is not valid for example.org (it names DNS:x.test)' },
  { kind: 'certificate-expiring', text: 'certificate expires in less than a day (2026-11-22T06:00:00Z)' },
];
const CONNECTION: ProbeProblem[] = [
  { kind: 'connect-refused', text: 'connection refused (xmpp.example.org:5222)' },
  { kind: 'timeout', text: 'timed out after 10000 ms waiting for stream features' },
  { kind: 'tls-failed', text: 'TLS handshake failed: wrong version number' },
  { kind: 'stream-error', text: 'stream error: host-unknown (nope)' },
  { kind: 'starttls-failed', text: 'server does not offer STARTTLS' },
  { kind: 'features-missing', text: 'no SASL mechanisms offered' },
  { kind: 'dns-failed', text: 'xmpp.example.org does not resolve to an address (ENOTFOUND)' },
  { kind: 'protocol-error', text: 'server sent more than 256 KiB on one stream; gave up' },
];
const THROWN: ProbeProblem[] = [...CONNECTION, { kind: 'certificate-missing', text: 'server presented no certificate' }];
const OTHER: Record<string, ProbeProblem[]> = {
  register: [
    {
      kind: 'client-refuses-certificate',
      text: "clients refuse this server's certificate, so they cannot register: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); certificate is not valid for example.org (it names DNS:x.test)",
    },
    { kind: 'registration-closed', text: 'in-band registration is closed (the server answered not-allowed)' },
  ],
  website: [{ kind: 'http-failed', text: 'HTTP 404 at https://example.org/' }, ...CERTIFICATE],
  disco: [{ kind: 'request-refused', text: 'disco#items refused: forbidden' }],
  contact: [{ kind: 'no-contact-addresses', text: 'server publishes no admin-addresses (XEP-0157)' }],
};

/** One check's outcome as the probe makes it: passed, failed with its problems in the order outcome() puts them, or not run. */
type Outcome = { ok: boolean | null; problems: ProbeProblem[]; notRun?: 'not-offered' | 'account-elsewhere' };
const outcomeOf = (check: string): fc.Arbitrary<Outcome> => {
  const tls = check.includes('tls');
  const failed = tls
    ? fc.oneof(
        // The connection got through TLS: certificate problems, then the check's own problem.
        fc
          .tuple(
            fc.subarray(CERTIFICATE, { maxLength: 2 }),
            fc.option(fc.constantFrom(...CONNECTION.filter((p) => p.kind === 'features-missing')), { nil: undefined }),
          )
          .map(([c, own]) => [...c, ...(own ? [own] : [])]),
        // It did not: one thrown problem.
        fc.constantFrom(...THROWN).map((p) => [p]),
      )
    : fc.subarray(OTHER[check] ?? THROWN, { minLength: 1, maxLength: Math.min(2, (OTHER[check] ?? THROWN).length) });
  return fc.oneof(
    fc.constant<Outcome>({ ok: true, problems: [] }),
    failed.filter((ps) => ps.length > 0).map((problems): Outcome => ({ ok: false, problems })),
    fc.constant<Outcome>({
      ok: null,
      problems: [
        {
          kind: 'not-run',
          text: tls ? 'not offered: _xmpps-client._tcp points to "."' : 'not run: the probe account status-probe@jabber.org is not on example.org',
        },
      ],
      notRun: tls ? 'not-offered' : 'account-elsewhere',
    }),
  );
};
const CHECKS = ['c2s-starttls', 'c2s-directtls', 's2s-starttls', 'register', 'website', 'disco', 'contact'] as const;
/** Every check at one to three locations, each with an outcome. */
const runs = fc
  .array(fc.tuple(fc.constantFrom('ams', 'fra', 'nyc'), fc.constantFrom(...CHECKS)), { minLength: 1, maxLength: 12 })
  .chain((pairs) => fc.tuple(...pairs.map(([vantage, check]) => outcomeOf(check).map((o) => ({ vantage, check, ...o })))));

/** The same outcome as a record of version 3 and of version 2 (the sentence the probe wrote before issue 24). */
function recordsOf(outcomes: readonly { vantage: string; check: string; ok: boolean | null; problems: ProbeProblem[]; notRun?: string }[]) {
  const v3 = outcomes.map(({ vantage, check, ok, problems, notRun }) => ({
    ...v2(check, vantage),
    v: 3,
    ok,
    ...(problems.length ? { problems } : {}),
    ...(notRun ? { notRun } : {}),
  }));
  const old = outcomes.map(({ vantage, check, ok, problems, notRun }) => ({ ...v2(check, vantage, problemText(problems)), ok, ...(notRun ? { notRun } : {}) }));
  return [v3, old].map((records) => records.map((r) => ProbeRecordSchema.parse(r)));
}

/** The same records as summaries of version 3 and of version 1, one per location. */
function summariesOf(records: readonly ProbeRecord[], version: 1 | 3) {
  const vantages = [...new Set(records.map((r) => r.vantage))];
  return vantages.map((vantage) =>
    ProbeSummarySchema.parse({
      v: version,
      generator: 'test',
      generatedAt: '2026-11-21T11:59:00Z',
      vantage,
      checks: [...new Map(records.filter((r) => r.vantage === vantage).map((r) => [r.check, r])).values()].map((r) => ({
        domain: DOMAIN,
        check: r.check,
        days: [],
        last: {
          at: '2026-11-21T11:55:00Z',
          ok: r.ok === true,
          ms: r.ms,
          target: r.target,
          ...(r.notRun ? { notRun: r.notRun } : {}),
          ...(r.problems ? (version === 3 ? { problems: r.problems } : { error: problemText(r.problems) }) : {}),
        },
        cert: null,
      })),
    }),
  );
}
const summaryVerdicts = (summaries: ReturnType<typeof summariesOf>) =>
  evaluatePolicy({
    domain: DOMAIN,
    observations: observationsFromSummaries(
      summaries.flatMap((s) => s.checks.map((check) => ({ vantage: s.vantage, check }))),
      NOW,
      3_600_000,
      60_000,
    ),
    uptime: { kind: 'one-off' },
    quorum: 0.5,
  });

describe('the same outcome in either version gives the same checklist', () => {
  test('from raw records (npm run policy)', () => {
    fc.assert(
      fc.property(runs, (outcomes) => {
        const [v3, old] = recordsOf(outcomes);
        expect(evaluatePolicy({ domain: DOMAIN, observations: observationsFromRecords(v3!, DOMAIN), uptime: { kind: 'one-off' }, quorum: 0.5 })).toEqual(
          evaluatePolicy({ domain: DOMAIN, observations: observationsFromRecords(old!, DOMAIN), uptime: { kind: 'one-off' }, quorum: 0.5 }),
        );
      }),
      { numRuns: 300 },
    );
  });

  test('from summaries (the site)', () => {
    fc.assert(
      fc.property(runs, (outcomes) => {
        const [v3] = recordsOf(outcomes);
        expect(summaryVerdicts(summariesOf(v3!, 3))).toEqual(summaryVerdicts(summariesOf(v3!, 1)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('version 3 round-trips', () => {
  test('a record with problems is read back as written', () => {
    const record = ProbeRecordSchema.parse({ ...v2('c2s-starttls', 'ams'), v: 3, ok: false, problems: [CERTIFICATE[0]!, CONNECTION[5]!] });
    expect(parseRecordLine(serializeRecord(record).trimEnd(), false)).toEqual({ ok: true, record });
    expect(problemText(record.problems)).toBe('self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); no SASL mechanisms offered');
  });

  test('a summary with problems is read back as written', () => {
    const [record] = recordsOf([{ vantage: 'ams', check: 's2s-starttls', ok: false, problems: [CONNECTION[0]!] }])[0]!;
    const [summary] = summariesOf([record!], 3);
    expect(ProbeSummarySchema.parse(JSON.parse(JSON.stringify(summary)))).toEqual(summary);
    expect(summary!.checks[0]!.last.problems).toEqual([CONNECTION[0]]);
  });

  test('a version-3 record may not carry the old sentence, nor a version-2 record problems', () => {
    expect(ProbeRecordSchema.safeParse({ ...v2('c2s-starttls', 'ams', 'connection refused'), v: 3 }).success).toBe(false);
    expect(ProbeRecordSchema.safeParse({ ...v2('c2s-starttls', 'ams'), ok: false, problems: [CONNECTION[0]] }).success).toBe(false);
  });
});
