/**
 * Sample monitoring data for the sample directory (content/services/),
 * written by `npm run sample:services` to
 * content/probe-sample/services-<location>.json and marked `sample: true`
 * in content/services/directory.yaml, so pages say it is made up.
 * Deterministic (fixed seeds), five-minute probing over the 90 days before
 * 2026-11-21 12:00 UTC, rolled up by the real `SummaryBuilder`.
 *
 * Story, one service per state:
 * - chat.sample.jabber.org: listed, clean;
 * - im.sample.jabber.org: listed; a 25-minute outage on 3 November (within the
 *   99.9 % budget) and a bad night seen from nyc only (the quorum keeps it out);
 * - xmpp.sample.jabber.org: testing, probed since 5 November;
 * - talk.sample.jabber.org: failing item 1 since 10 November, when its certificate
 *   became self-signed (past the 7-day grace period);
 * - jabber-fr.sample.jabber.org: failing item 2 since its testing ended: its DNS says
 *   "no direct TLS" (`_xmpps-client` points to ".");
 * - old.sample.jabber.org: withdrawn on 15 October.
 */
import { PROBE_RECORD_VERSION, type CertFacts, type ProbeCheck, type ProbeProblem, type ProbeRecord, type ProbeSummary } from '../schemas.ts';
import { SummaryBuilder, SUMMARY_GENERATOR } from '../monitoring/probe-summary.ts';
import { seededRandom } from '../shared/random.ts';
import { SAMPLE_CHECKS } from '../monitoring/sample-summaries.ts';

/** The sample's "now": the same instant as the rest of the sample content. */
export const SAMPLE_NOW = new Date('2026-11-21T12:00:00Z');
export const SAMPLE_SERVICE_LOCATIONS = { ams: 40, fra: 35, nyc: 110 } as const;
const STEP = 5 * 60_000;

interface SampleService {
  domain: string;
  /** First and last probe, ISO. */
  from: string;
  until?: string;
  /** [from, to, checks, problem, locations (all when omitted)] */
  failures: [string, string, ProbeCheck[], ProbeProblem, string[]?][];
  selfSignedFrom?: string;
  noDirectTls?: boolean;
}

const SELF_SIGNED: ProbeProblem = { kind: 'certificate-untrusted', text: 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)' };

export const SAMPLE_SERVICES: readonly SampleService[] = [
  { domain: 'chat.sample.jabber.org', from: '2026-08-23T12:00:00Z', failures: [] },
  {
    domain: 'im.sample.jabber.org',
    from: '2026-08-23T12:00:00Z',
    failures: [
      [
        '2026-11-03T02:00:00Z',
        '2026-11-03T02:25:00Z',
        ['c2s-starttls', 'c2s-directtls', 's2s-starttls', 'register'],
        { kind: 'connect-refused', text: 'connection refused' },
      ],
      [
        '2026-11-16T01:00:00Z',
        '2026-11-16T04:00:00Z',
        ['c2s-starttls', 'c2s-directtls', 's2s-starttls', 'register', 'website'],
        { kind: 'timeout', text: 'no answer within 10000 ms' },
        ['nyc'],
      ],
    ],
  },
  { domain: 'xmpp.sample.jabber.org', from: '2026-11-05T00:00:00Z', failures: [] },
  { domain: 'talk.sample.jabber.org', from: '2026-08-23T12:00:00Z', failures: [], selfSignedFrom: '2026-11-10T08:00:00Z' },
  { domain: 'jabber-fr.sample.jabber.org', from: '2026-08-23T12:00:00Z', failures: [], noDirectTls: true },
  { domain: 'old.sample.jabber.org', from: '2026-08-23T12:00:00Z', until: '2026-10-15T00:00:00Z', failures: [] },
];

const rng = seededRandom;

function cert(domain: string, selfSigned: boolean, at: number): CertFacts {
  const validTo = '2027-01-20T23:59:59Z';
  return {
    subject: domain,
    issuer: selfSigned ? domain : 'R11',
    validFrom: '2026-10-22T00:00:00Z',
    validTo,
    daysLeft: Math.floor((Date.parse(validTo) - at) / 86_400_000),
    trusted: !selfSigned,
    ...(selfSigned ? { trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' } : {}),
    identity: 'DNS-ID',
    names: [`DNS:${domain}`],
    fingerprint256: selfSigned
      ? '11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00'
      : '5A:3C:9E:12:7B:44:0F:D1:88:2E:61:AF:03:9B:C7:54:EE:21:6D:90:4A:B3:17:F8:C2:5D:09:76:A1:E4:38:6B',
  };
}

// The same checks as jabber.org's sample; directory services' website records carry no certificate facts.
const CHECKS = SAMPLE_CHECKS.map((c) => (c.check === 'website' ? { ...c, tls: false } : c));

/** One location's records for one service at one run. */
function runRecords(s: SampleService, location: keyof typeof SAMPLE_SERVICE_LOCATIONS, t: number, random: () => number, last: boolean): ProbeRecord[] {
  const at = new Date(t).toISOString();
  const selfSigned = s.selfSignedFrom !== undefined && t >= Date.parse(s.selfSignedFrom);
  const host = `xmpp.${s.domain}`;
  const out: ProbeRecord[] = [];
  for (const { check, factor, tls } of CHECKS) {
    const base = { v: PROBE_RECORD_VERSION, at, vantage: location, domain: s.domain, check, attempts: 1 };
    if (check === 'c2s-directtls' && s.noDirectTls) {
      out.push({
        ...base,
        target: s.domain,
        ok: null,
        ms: 0,
        problems: [{ kind: 'not-run', text: 'not offered: _xmpps-client._tcp points to "."' }],
        notRun: 'not-offered',
        detail: {},
      });
      continue;
    }
    const failure = s.failures.find(
      ([f, to, checks, , locations]) => checks.includes(check) && t >= Date.parse(f) && t < Date.parse(to) && (!locations || locations.includes(location)),
    );
    const target =
      check === 'dns'
        ? s.domain
        : check === 'website'
          ? `https://www.${s.domain}/`
          : `${host}:${check === 'c2s-directtls' ? 5223 : check === 's2s-starttls' ? 5269 : 5222}`;
    const ms = Math.round(SAMPLE_SERVICE_LOCATIONS[location] * factor * (0.8 + random() * 0.5));
    let problem = failure?.[3];
    if (!problem && selfSigned && tls) problem = SELF_SIGNED;
    if (!problem && selfSigned && check === 'register')
      problem = { kind: 'client-refuses-certificate', text: `clients refuse this server's certificate, so they cannot register: ${SELF_SIGNED.text}` };
    out.push({
      ...base,
      target,
      ok: !problem,
      ms,
      ...(problem ? { problems: [problem] } : {}),
      detail: tls && !failure ? { cert: cert(s.domain, selfSigned, t) } : {},
    });
  }
  if (last) {
    // The probe account is on jabber.org: the logged-in checks do not run on other domains.
    for (const check of ['disco', 'contact'] as const) {
      out.push({
        v: PROBE_RECORD_VERSION,
        at,
        vantage: location,
        domain: s.domain,
        check,
        target: s.domain,
        ok: null,
        ms: 0,
        attempts: 1,
        problems: [{ kind: 'not-run', text: `not run: the probe account status-probe@jabber.org is not on ${s.domain}` }],
        notRun: 'account-elsewhere',
        detail: {},
      });
    }
  }
  return out;
}

/** One location's deterministic sample summary of every sample service. */
export function makeSampleServiceSummary(location: keyof typeof SAMPLE_SERVICE_LOCATIONS, seed: number): ProbeSummary {
  const random = rng(seed);
  const now = SAMPLE_NOW.getTime();
  const builder = new SummaryBuilder(location, SAMPLE_NOW);
  const start = Date.parse(`${builder.firstDate}T00:00:00Z`);
  for (let day = start; day < now; day += 86_400_000) {
    for (let t = day; t < Math.min(day + 86_400_000, now); t += STEP) {
      for (const s of SAMPLE_SERVICES) {
        if (t < Date.parse(s.from) || (s.until && t >= Date.parse(s.until))) continue;
        const isLast = t + STEP >= (s.until ? Date.parse(s.until) : now);
        for (const r of runRecords(s, location, t, random, isLast)) builder.add(r);
      }
    }
    builder.sealDay(new Date(day).toISOString().slice(0, 10));
  }
  const summary = builder.finish();
  return { ...summary, generator: `${SUMMARY_GENERATOR} (sample data)` };
}
