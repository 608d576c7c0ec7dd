/**
 * The bundled sample monitoring data (written by `npm run sample:probes` to
 * content/probe-sample/<location>.json), for three locations over the 90 days
 * before 2026-11-21 12:00 UTC. Deterministic (fixed seed), consistent with
 * the sample incidents, and marked `sample: true` in content/site.yaml so the
 * page says it is made up. Every file is checked by ProbeSummarySchema.
 *
 * Story: the 9 November login outage and the 2 October website certificate
 * expiry show at every location; the 10 November disconnections as short
 * failures; and "nyc" has a bad network night on 16 November that only it
 * sees, which the quorum rule must keep out of the uptime. Federation pings
 * to remote servers (SAMPLE_FEDERATION) show one server refusing since 19
 * November, which is that server's fact, not an outage of jabber.org.
 */
import { ProbeSummarySchema, SUMMARY_VERSION, type CertFacts, type ProbeCheck, type ProbeSummary, type SummaryTargetCert } from '../schemas.ts';
import { toIsoUtc } from '../shared/time.ts';
import { percentile, RECENT_STEP_SECONDS, SUMMARY_GENERATOR } from './probe-summary.ts';
import { seededRandom } from '../shared/random.ts';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const DAYS = 90;
/** Sample locations and their base latency in ms. */
export const SAMPLE_LOCATIONS = { ams: 40, fra: 35, nyc: 110 } as const; // base latency in ms
/** The unauthenticated checks in the sample data: each one's latency as a factor of the location's base, and whether it reports a certificate. */
export const SAMPLE_CHECKS: readonly { check: ProbeCheck; factor: number; tls: boolean }[] = [
  { check: 'dns', factor: 0.2, tls: false },
  { check: 'c2s-starttls', factor: 3, tls: true },
  { check: 'c2s-directtls', factor: 2.5, tls: true },
  { check: 's2s-starttls', factor: 3, tls: true },
  { check: 'register', factor: 3.5, tls: false },
  { check: 'website', factor: 2, tls: true },
];
/** Failure windows: [from, to, checks, locations (all when omitted)]. */
const FAILURES: [string, string, ProbeCheck[], string[]?][] = [
  ['2026-11-09T06:35:00Z', '2026-11-09T13:30:00Z', ['c2s-starttls', 'c2s-directtls']],
  ['2026-11-10T17:20:00Z', '2026-11-10T17:32:00Z', ['c2s-starttls', 'c2s-directtls']],
  ['2026-11-10T18:05:00Z', '2026-11-10T18:11:00Z', ['c2s-starttls', 'c2s-directtls']],
  ['2026-10-02T05:55:00Z', '2026-10-02T06:25:00Z', ['website']],
  ['2026-11-16T02:00:00Z', '2026-11-16T03:30:00Z', ['c2s-starttls', 'c2s-directtls', 's2s-starttls', 'website', 'register'], ['nyc']],
  ['2026-11-08T22:00:00Z', '2026-11-08T22:40:00Z', ['c2s-starttls', 'c2s-directtls', 's2s-starttls', 'register']],
];

/**
 * Remote servers pinged over federation in the sample (issue 17): the large
 * servers of content/site.yaml and the sample directory's services.
 * xmpp.sample.jabber.org stops answering on 19 November (its own fault: the other
 * servers still answer), and nyc alone loses conversations.im for an hour.
 */
export const SAMPLE_FEDERATION: Record<string, { factor: number; failures: [string, string, string[]?][]; error: string }> = {
  'xmpp.org': { factor: 2, failures: [], error: '' },
  'conversations.im': {
    factor: 2.4,
    failures: [['2026-11-21T10:30:00Z', '2026-11-21T12:30:00Z', ['nyc']]],
    error: 'ping to conversations.im failed: remote-server-timeout',
  },
  'movim.eu': { factor: 2.2, failures: [['2026-11-03T14:00:00Z', '2026-11-03T14:45:00Z']], error: '' },
  'chat.sample.jabber.org': { factor: 3, failures: [], error: '' },
  'im.sample.jabber.org': { factor: 2.6, failures: [], error: '' },
  'jabber-fr.sample.jabber.org': { factor: 2.8, failures: [], error: '' },
  'talk.sample.jabber.org': { factor: 2.5, failures: [], error: '' },
  'xmpp.sample.jabber.org': {
    factor: 3.2,
    failures: [['2026-11-19T08:15:00Z', '2026-11-22T00:00:00Z']],
    error: 'ping to xmpp.sample.jabber.org failed: remote-server-not-found (Server-to-server connection failed: Connection refused)',
  },
};

const rng = seededRandom;
const iso = (ms: number) => toIsoUtc(new Date(ms));

function certFor(check: ProbeCheck): CertFacts {
  const website = check === 'website';
  const validTo = website ? '2026-12-10T23:59:59Z' : '2027-01-15T23:59:59Z';
  return {
    subject: website ? 'www.jabber.org' : 'jabber.org',
    issuer: 'R11',
    validFrom: website ? '2026-09-11T00:00:00Z' : '2026-10-17T00:00:00Z',
    validTo,
    daysLeft: Math.floor((Date.parse(validTo) - NOW) / 86_400_000),
    trusted: true,
    identity: website ? 'DNS-ID' : 'SRV-ID',
    names: website ? ['DNS:www.jabber.org', 'DNS:jabber.org'] : ['DNS:jabber.org', 'SRVName:_xmpp-client.jabber.org', 'SRVName:_xmpp-server.jabber.org'],
    fingerprint256: website
      ? 'C4:19:7E:A2:55:0B:93:DE:41:6F:28:B7:0C:E5:9A:13:72:D8:3F:A6:1B:84:E0:5C:97:2A:D3:6E:08:B1:F4:45'
      : '5A:3C:9E:12:7B:44:0F:D1:88:2E:61:AF:03:9B:C7:54:EE:21:6D:90:4A:B3:17:F8:C2:5D:09:76:A1:E4:38:6B',
    // Issue 30: the key facts a probe since then records.
    spki256: website
      ? '8E:31:D0:6A:F2:57:19:BC:04:A8:6D:E3:75:2F:C1:98:5B:0E:47:A9:D6:13:8C:F0:62:3D:B5:1E:A4:79:C8:27'
      : '1F:0A:B6:73:C8:29:E4:51:9D:06:3B:F7:A2:48:D1:6C:85:E0:17:5A:CB:34:92:0F:6E:D8:41:B3:27:9C:E5:08',
    keyType: website ? 'rsa' : 'ec',
    keyBits: website ? 2048 : 256,
    issuerOrg: "Let's Encrypt",
  };
}

/** Issue 30: each target's certificate at one location, first seen when the certificate was issued (the sample's probes ran every minute since). */
function targetCertsFor(check: ProbeCheck, target: string, lastAt: number): SummaryTargetCert[] {
  const cert = certFor(check);
  // The website's story (2 October): the renewed certificate, issued weeks
  // before, was only deployed after the old one had expired.
  if (check === 'website') {
    const since = Date.parse('2026-10-02T06:25:00Z');
    const expired: CertFacts = {
      ...cert,
      validFrom: '2026-07-04T05:55:00Z',
      validTo: '2026-10-02T05:55:00Z',
      daysLeft: -51,
      fingerprint256: '7D:E2:40:9B:16:C3:5A:F1:08:6E:B4:27:93:DA:0C:51:E8:3F:A9:62:14:C7:5B:2D:90:E6:38:AB:F4:01:6D:85',
      spki256: 'D3:58:0A:E7:42:9C:61:1B:F5:26:8D:B0:73:4E:C9:15:2A:97:E0:6C:38:FB:51:A4:0D:76:C2:89:1E:B3:47:F0',
    };
    return [
      {
        target,
        at: iso(lastAt),
        cert,
        since: iso(since),
        streak: Math.round((lastAt - since) / 60_000) + 1,
        previous: { cert: expired, until: '2026-10-02T06:24:00Z' },
        seen: [[cert.fingerprint256, iso(lastAt)]],
      },
    ];
  }
  const since = Math.max(Date.parse(cert.validFrom), NOW - DAYS * 86_400_000) + 3 * 3_600_000;
  return [
    {
      target,
      at: iso(lastAt),
      cert,
      since: iso(since),
      streak: Math.round((lastAt - since) / 60_000) + 1,
      previous: null,
      seen: [[cert.fingerprint256, iso(lastAt)]],
    },
  ];
}

/** One location's deterministic sample summary, e.g. `makeSampleSummary('ams', 1000)`. */
export function makeSampleSummary(location: keyof typeof SAMPLE_LOCATIONS, seed: number): ProbeSummary {
  const random = rng(seed);
  const start = Math.floor(NOW / 86_400_000) * 86_400_000 - (DAYS - 1) * 86_400_000;
  const recentFrom = NOW - 48 * 3_600_000;
  const own = SAMPLE_CHECKS.map(({ check, factor, tls }) => ({
    domain: 'jabber.org',
    check,
    factor,
    tls,
    failing: FAILURES.filter(([, , cs, ls]) => cs.includes(check) && (!ls || ls.includes(location))).map(([f, t]) => [Date.parse(f), Date.parse(t)] as const),
    target: check === 'website' ? 'https://www.jabber.org/' : check === 'dns' ? 'jabber.org' : 'hermes2.jabber.org:5222',
    error: '',
  }));
  // Federation, server by server (issue 17): one series per remote server, keyed by it.
  const remote = Object.entries(SAMPLE_FEDERATION).map(([domain, { factor, failures, error }]) => ({
    domain,
    check: 'federation' as ProbeCheck,
    factor,
    tls: false,
    failing: failures.filter(([, , ls]) => !ls || ls.includes(location)).map(([f, t]) => [Date.parse(f), Date.parse(t)] as const),
    target: domain,
    error,
  }));
  const checks = [...own, ...remote].map(({ domain, check, factor, tls, failing, target, error }) => {
    const days = [];
    const recent: (number | null)[] = [];
    for (let day = start; day < NOW; day += 86_400_000) {
      const ms: number[] = [];
      const outages: [string, string][] = [];
      let runStart: number | undefined;
      let lastFail = 0;
      let samples = 0;
      for (let t = day; t < Math.min(day + 86_400_000, NOW); t += 60_000) {
        samples++;
        const down = failing.some(([f, to]) => t >= f && t < to);
        const latency = Math.round(SAMPLE_LOCATIONS[location] * factor * (0.8 + random() * 0.5 + (random() < 0.02 ? 2 : 0)));
        if (down) {
          runStart ??= t;
          lastFail = t;
        } else {
          ms.push(latency);
          if (runStart !== undefined) {
            outages.push([iso(runStart), iso(t)]);
            runStart = undefined;
          }
        }
        if (t >= recentFrom) recent.push(down ? -1 : latency);
      }
      if (runStart !== undefined) outages.push([iso(runStart), iso(lastFail)]);
      ms.sort((a, b) => a - b);
      const last = Math.min(day + 86_400_000, NOW) - 60_000;
      days.push({
        date: iso(day).slice(0, 10),
        samples,
        ok: ms.length,
        first: iso(day),
        last: iso(last),
        p50: percentile(ms, 50),
        p95: percentile(ms, 95),
        p99: percentile(ms, 99),
        outages,
      });
    }
    const lastAt = NOW - 60_000;
    const failingNow = failing.some(([f, to]) => lastAt >= f && lastAt < to);
    return {
      domain,
      check,
      days,
      recent: { from: iso(recentFrom), step: RECENT_STEP_SECONDS, values: recent },
      last: {
        at: iso(lastAt),
        ok: !failingNow,
        ms: failingNow ? 0 : (recent.at(-1) ?? 0),
        target,
        ...(failingNow && error ? { problems: [{ kind: 'ping-failed' as const, text: error }] } : {}),
      },
      cert: tls ? certFor(check) : null,
      ...(tls ? { certs: targetCertsFor(check, target, lastAt) } : {}),
    };
  });
  return ProbeSummarySchema.parse({ v: SUMMARY_VERSION, generator: `${SUMMARY_GENERATOR} (sample data)`, generatedAt: iso(NOW), vantage: location, checks });
}
