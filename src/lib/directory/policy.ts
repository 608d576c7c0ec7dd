/**
 * The jabber.org IM-service listing policy as code (issue 17): every item
 * with the words readers see and a pure evaluation over probe results and
 * the service's declared data. The policy page, `/api/services.json`, each
 * service's checklist and `npm run policy` all come from this one list, so
 * the rules readers read are the rules the code applies.
 *
 * Each automated item returns pass / fail / unknown with evidence: which
 * check, when, from where, against what, and what was seen. Locations count
 * with the same quorum rule as jabber.org's own components: an item fails
 * only when more than `quorum` of the locations with a result see it fail.
 * Source: /work/shared/seeds/003 (the 2008 draft policy) and
 * shared/research/xmpp-probing.md (P1–P8).
 */
import {
  isCertificateProblem,
  problemText,
  type PolicyVerdict,
  type ProbeCheck,
  type ProbeNotRun,
  type ProbeProblem,
  type REGISTRATION_METHODS,
} from '../schemas.ts';
import { formatUptime } from '../status/declared-uptime.ts';

export type PolicyItemId = 'tls' | 'c2s' | 's2s' | 'website' | 'registration' | 'addons' | 'uptime' | 'administrator' | 'phone';

export interface PolicyItem {
  id: PolicyItemId;
  /** Position in the policy, from 1. */
  number: number;
  /** Short name, e.g. `Client connections`. */
  title: string;
  /** The rule as readers read it. */
  text: string;
  /** False for what no probe can check (the telephone call); shown as such. */
  automated: boolean;
  /** The probe checks whose results the item reads. */
  checks: readonly ProbeCheck[];
}

/** The policy, in the order of the 2008 draft. */
export const POLICY_ITEMS: readonly PolicyItem[] = [
  {
    id: 'tls',
    number: 1,
    title: 'TLS with a trusted certificate',
    text: 'Connections are encrypted with TLS, using a certificate issued by a recognized certification authority (not self-signed), valid for the service’s domain and not expired: on client connections (STARTTLS and direct TLS) and on server-to-server connections.',
    automated: true,
    checks: ['c2s-starttls', 'c2s-directtls', 's2s-starttls'],
  },
  {
    id: 'c2s',
    number: 2,
    title: 'Client connections',
    text: 'XMPP apps can connect on port 5222 (or the port published in DNS with an _xmpp-client SRV record), and with TLS from the first byte on port 5223 (or the port published with an _xmpps-client SRV record).',
    automated: true,
    checks: ['c2s-starttls', 'c2s-directtls'],
  },
  {
    id: 's2s',
    number: 3,
    title: 'Server-to-server connections',
    text: 'Other XMPP servers can connect on port 5269 (or the port published with an _xmpp-server SRV record), so users can talk to contacts elsewhere.',
    automated: true,
    checks: ['s2s-starttls'],
  },
  {
    id: 'website',
    number: 4,
    title: 'A website about the service',
    text: 'A website with information about the service, such as how users reach its administrators, answers on port 80 or 443.',
    automated: true,
    checks: ['website'],
  },
  {
    id: 'registration',
    number: 5,
    title: 'Account registration',
    text: 'People can create an account: in-band from their XMPP app (XEP-0077), or on a web page.',
    automated: true,
    checks: ['register'],
  },
  {
    id: 'addons',
    number: 6,
    title: 'Add-on services can be probed',
    text: 'jabber.org may probe the service for add-on services such as chat rooms, file-transfer proxies, file upload and gateways: service discovery answers. Without a probe account this is unknown, never a failure.',
    automated: true,
    checks: ['disco'],
  },
  {
    id: 'uptime',
    number: 7,
    title: '99.9% uptime',
    text: 'The service is up 99.9% of the time over 30 days, measured continuously from several locations with the same rules as jabber.org’s own services. A new service is in a one-month testing period until 30 days of data exist, and is listed after it only if it meets every requirement.',
    automated: true,
    checks: ['c2s-starttls'],
  },
  {
    id: 'administrator',
    number: 8,
    title: 'Administrator and location',
    text: 'Complete information about the administrator (a name and a contact address) and the approximate location of the server is declared, and, when the service can be probed with an account, the server publishes contact addresses in service discovery (XEP-0157).',
    automated: true,
    checks: ['contact'],
  },
  {
    id: 'phone',
    number: 9,
    title: 'Verified by telephone',
    text: 'jabber.org may verify the administrator or hosting organisation by telephone. No probe can do this: a jabber.org admin records the date in the service’s file.',
    automated: false,
    checks: [],
  },
];

/** One result of one check at one location, as the policy reads it. */
export interface Observation {
  check: ProbeCheck;
  /** e.g. `ams` */
  vantage: string;
  /** When the check ran, ISO, e.g. `2026-11-21T11:55:00Z`. */
  at: string;
  /** What was contacted, e.g. `xmpp.example.org:5222` or `https://example.org/`. */
  target: string;
  ok: boolean;
  /**
   * Why it failed or did not run, each with its kind (issue 24), e.g.
   * `[{ kind: 'certificate-untrusted', text: 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)' }]`;
   * empty when it passed. The policy decides by the kinds; the texts are
   * only the words of its reasons.
   */
  problems: readonly ProbeProblem[];
  notRun?: ProbeNotRun;
  /** The certificate seen, when the check reached TLS. */
  cert?: { issuer: string; validTo: string | null; daysLeft: number | null; trusted: boolean; identity: string | null } | null;
  /** The probe's findings (a one-off probe has them; summaries do not). */
  detail?: Record<string, unknown>;
}

/** What the service declares in its file (absent in an operator's one-off self-test without one). */
export interface DeclaredService {
  website: string;
  registration: { method: (typeof REGISTRATION_METHODS)[number]; url?: string };
  administrator: { name: string; jid?: string; email?: string };
  location: { country: string; countryName?: string; city: string };
  /** e.g. `2026-10-05` */
  phoneVerified?: string;
}

/** What is known about uptime (item 7). */
export type UptimeFacts =
  | { kind: 'one-off' }
  | { kind: 'testing'; dataDays: number; testingDays: number }
  | { kind: 'measured'; uptime30: number | null; target: number; locations: number };

export interface PolicyInput {
  /** e.g. `example.org` */
  domain: string;
  declared?: DeclaredService;
  /** The newest result of each check per location and target; stale ones already left out. */
  observations: readonly Observation[];
  uptime: UptimeFacts;
  /** Share of locations that must see a failure, strictly more than it, e.g. `0.5`. */
  quorum: number;
  /** Ports item 4 accepts, `[80, 443]` unless a loopback test rig says otherwise. */
  webPorts?: readonly number[];
}

/** One line of evidence: which check, when, from where, against what, what was seen. */
export interface Evidence {
  check: ProbeCheck | 'declared';
  vantage: string;
  at: string;
  target: string;
  ok: boolean;
  seen: string;
}

export interface ItemResult {
  id: PolicyItemId;
  number: number;
  title: string;
  automated: boolean;
  verdict: PolicyVerdict;
  /** Why, in one sentence, e.g. `self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT) on c2s-starttls from ams`. */
  reason: string;
  /** How to fix it; set when the item fails or is unknown for a reason the operator controls. */
  fix?: string;
  evidence: Evidence[];
  /** What service discovery found (item 6), e.g. `{ 'chat rooms': ['conference.example.org'] }`. */
  found?: Record<string, string[]>;
}

const CHECK_WORDS: Record<ProbeCheck, string> = {
  dns: 'DNS',
  'c2s-starttls': 'client STARTTLS',
  'c2s-directtls': 'client direct TLS',
  's2s-starttls': 'server-to-server',
  register: 'registration',
  website: 'website',
  login: 'login',
  disco: 'service discovery',
  contact: 'contact addresses',
  version: 'software version',
  ping: 'ping',
  federation: 'federation ping',
};

/** What an observation says went wrong, in readers' words, e.g. `connection refused (xmpp.example.org:5269)`; undefined when nothing did. */
const said = (o: Observation): string | undefined => problemText(o.problems);

type Judged = { o: Observation; verdict: 'pass' | 'fail' | null; seen: string };

/**
 * Quorum over locations: a location fails when any of its judged
 * observations fails; the item fails when more than `quorum` of the
 * locations with a judgement fail.
 */
function byQuorum(judged: readonly Judged[], quorum: number): { verdict: PolicyVerdict; failing: Judged[]; note?: string } {
  const locations = new Map<string, Judged[]>();
  for (const j of judged) if (j.verdict) locations.set(j.o.vantage, [...(locations.get(j.o.vantage) ?? []), j]);
  if (locations.size === 0) return { verdict: 'unknown', failing: [] };
  const failingLocations = [...locations.entries()].filter(([, js]) => js.some((j) => j.verdict === 'fail'));
  const failing = failingLocations.flatMap(([, js]) => js.filter((j) => j.verdict === 'fail'));
  if (failingLocations.length > quorum * locations.size) return { verdict: 'fail', failing };
  const note = failingLocations.length
    ? `${failingLocations.length} of ${locations.size} locations (${failingLocations.map(([v]) => v).join(', ')}) see a failure, fewer than the quorum`
    : undefined;
  return { verdict: 'pass', failing: [], ...(note ? { note } : {}) };
}

const evidence = (j: Judged): Evidence => ({ check: j.o.check, vantage: j.o.vantage, at: j.o.at, target: j.o.target, ok: j.verdict !== 'fail', seen: j.seen });

function certSeen(o: Observation): string {
  const c = o.cert;
  if (!c) return 'TLS established';
  const until = c.validTo ? `, valid until ${c.validTo.slice(0, 10)}` : ', expiry unreadable';
  return `certificate from ${c.issuer || 'an unnamed issuer'}${until}, matches the domain (${c.identity ?? 'no name'})`;
}

/** Where a failure was seen, e.g. `client STARTTLS from ams, fra`. */
function where(failing: readonly Judged[]): string {
  const byCheck = new Map<string, Set<string>>();
  for (const j of failing) byCheck.set(CHECK_WORDS[j.o.check], (byCheck.get(CHECK_WORDS[j.o.check]) ?? new Set()).add(j.o.vantage));
  return [...byCheck.entries()].map(([check, vs]) => `${check} from ${[...vs].join(', ')}`).join('; ');
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

function judgeTls(input: PolicyInput, obs: readonly Observation[]): Omit<ItemResult, keyof PolicyItem> {
  const judged: Judged[] = obs.map((o) => {
    const certificate = o.problems.filter(isCertificateProblem);
    if (certificate.length) return { o, verdict: 'fail', seen: problemText(certificate)! };
    const c = o.cert;
    if (c && (!c.trusted || !c.identity || (c.daysLeft !== null && c.daysLeft < 0))) {
      const why = !c.trusted
        ? 'certificate not issued by a recognized CA'
        : !c.identity
          ? `certificate is not valid for ${input.domain}`
          : 'certificate expired';
      return { o, verdict: 'fail', seen: why };
    }
    if (o.ok || c) return { o, verdict: 'pass', seen: certSeen(o) };
    return { o, verdict: null, seen: said(o) ?? 'no TLS connection' };
  });
  const q = byQuorum(judged, input.quorum);
  const ev = judged.map(evidence);
  if (q.verdict === 'fail') {
    return {
      verdict: 'fail',
      reason: `${unique(q.failing.map((j) => j.seen)).join('; ')} (${where(q.failing)})`,
      fix: `Serve a certificate from a recognized CA (for example Let's Encrypt) that names ${input.domain} (as a DNS name, or as the XMPP SRV-ID or XmppAddr) on client STARTTLS, direct TLS and server-to-server ports, and renew it before it expires.`,
      evidence: ev,
    };
  }
  if (q.verdict === 'unknown')
    return { verdict: 'unknown', reason: 'no TLS connection could be made, so no certificate was seen (see items 2 and 3)', evidence: ev };
  const soon = obs.map((o) => o.cert?.daysLeft).filter((d): d is number => typeof d === 'number' && d < 30);
  const warning = soon.length ? `; a certificate expires in ${Math.min(...soon)} days` : ''; // bounded: one per connection of one probe run
  return {
    verdict: 'pass',
    reason: `trusted certificates valid for ${input.domain} on every connection that reached TLS${q.note ? ` (${q.note})` : ''}${warning}`,
    evidence: ev,
  };
}

/** Whether a connection worked: certificate problems are item 1's, not a failed connection. */
function judgeReachable(o: Observation): Judged {
  if (o.notRun === 'not-offered') return { o, verdict: 'fail', seen: said(o) ?? 'not offered' };
  if (o.notRun) return { o, verdict: null, seen: said(o) ?? 'not run' };
  if (o.ok) return { o, verdict: 'pass', seen: `connected to ${o.target}` };
  const connection = o.problems.filter((p) => !isCertificateProblem(p));
  if (connection.length === 0) return { o, verdict: 'pass', seen: `connected to ${o.target} (the certificate is item 1's concern)` };
  return { o, verdict: 'fail', seen: problemText(connection)! };
}

function judgeConnections(input: PolicyInput, obs: readonly Observation[], kinds: readonly ProbeCheck[], fix: string): Omit<ItemResult, keyof PolicyItem> {
  const results = kinds.map((check) => ({ check, q: byQuorum(obs.filter((o) => o.check === check).map(judgeReachable), input.quorum) }));
  const ev = obs.map((o) => evidence(judgeReachable(o)));
  const failed = results.filter((r) => r.q.verdict === 'fail');
  if (failed.length) {
    return {
      verdict: 'fail',
      reason: failed
        .map(
          (r) =>
            `${CHECK_WORDS[r.check]}: ${unique(r.q.failing.map((j) => j.seen)).join('; ')} (from ${unique(r.q.failing.map((j) => j.o.vantage)).join(', ')})`,
        )
        .join('. '),
      fix,
      evidence: ev,
    };
  }
  const unknown = results.filter((r) => r.q.verdict === 'unknown');
  if (unknown.length) return { verdict: 'unknown', reason: `no result yet for ${unknown.map((r) => CHECK_WORDS[r.check]).join(' and ')}`, evidence: ev };
  const notes = results.flatMap((r) => (r.q.note ? [`${CHECK_WORDS[r.check]}: ${r.q.note}`] : []));
  return {
    verdict: 'pass',
    reason: `${kinds.map((k) => CHECK_WORDS[k]).join(' and ')} connected${notes.length ? ` (${notes.join('; ')})` : ''}`,
    evidence: ev,
  };
}

function judgeWebsite(input: PolicyInput, obs: readonly Observation[]): Omit<ItemResult, keyof PolicyItem> {
  const ports = input.webPorts ?? [80, 443];
  const judged: Judged[] = obs.map((o) => {
    if (o.notRun) return { o, verdict: null, seen: said(o) ?? 'not run' };
    let port: number;
    try {
      const url = new URL(o.target);
      port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    } catch {
      return { o, verdict: null, seen: 'not a web address' };
    }
    if (!ports.includes(port)) return { o, verdict: 'fail', seen: `answers on port ${port}, not ${ports.join(' or ')}` };
    return o.ok ? { o, verdict: 'pass', seen: `${o.target} answered` } : { o, verdict: 'fail', seen: said(o) ?? 'failed' };
  });
  // One working address is enough (80 or 443): per location, any pass passes.
  const perLocation = new Map<string, Judged[]>();
  for (const j of judged) if (j.verdict) perLocation.set(j.o.vantage, [...(perLocation.get(j.o.vantage) ?? []), j]);
  const collapsed: Judged[] = [...perLocation.values()].map((js) => js.find((j) => j.verdict === 'pass') ?? js[0]!);
  const q = byQuorum(collapsed, input.quorum);
  const ev = judged.map(evidence);
  if (q.verdict === 'fail') {
    return {
      verdict: 'fail',
      reason: `no page answered: ${unique(q.failing.map((j) => j.seen)).join('; ')}`,
      fix: `Serve a page about the service at ${input.declared?.website ?? `https://${input.domain}/`} on port 443 (or 80), answering 200 and, over HTTPS, with a trusted certificate for its host name.`,
      evidence: ev,
    };
  }
  if (q.verdict === 'unknown') return { verdict: 'unknown', reason: 'the website has not been checked yet', evidence: ev };
  return { verdict: 'pass', reason: `${unique(collapsed.filter((j) => j.verdict === 'pass').map((j) => j.o.target)).join(', ')} answered`, evidence: ev };
}

function judgeRegistration(input: PolicyInput, obs: readonly Observation[]): Omit<ItemResult, keyof PolicyItem> {
  const judged: Judged[] = obs.map((o) => {
    if (o.notRun) return { o, verdict: null, seen: said(o) ?? 'not run' };
    if (!o.ok) return { o, verdict: 'fail', seen: said(o) ?? 'failed' };
    const inBand = (o.detail?.inBand as { verdict?: string } | undefined)?.verdict;
    const web = o.detail?.web as { url?: string; status?: number } | undefined;
    return {
      o,
      verdict: 'pass',
      seen: inBand === 'open' ? 'in-band registration is open' : web?.url ? `sign-up page ${web.url} answered HTTP ${web.status}` : 'registration possible',
    };
  });
  const q = byQuorum(judged, input.quorum);
  const ev = judged.map(evidence);
  if (q.verdict === 'fail') {
    const declared = input.declared?.registration;
    return {
      verdict: 'fail',
      reason: unique(q.failing.map((j) => j.seen)).join('; '),
      fix:
        declared?.method === 'web'
          ? `Make the sign-up page ${declared.url} answer 200 over HTTPS, or open in-band registration.`
          : 'Open in-band registration (Prosody: allow_registration = true; ejabberd: mod_register with access_create), or declare a working sign-up page as registration.url in the service file (method: web).',
      evidence: ev,
    };
  }
  if (q.verdict === 'unknown') return { verdict: 'unknown', reason: 'registration has not been checked yet (it needs a client connection)', evidence: ev };
  return { verdict: 'pass', reason: unique(judged.filter((j) => j.verdict === 'pass').map((j) => j.seen)).join('; '), evidence: ev };
}

const FOUND_KINDS: [string, string][] = [
  ['muc', 'chat rooms'],
  ['proxy', 'file-transfer proxies'],
  ['upload', 'file upload'],
  ['gateways', 'gateways'],
  ['pubsub', 'publish-subscribe'],
];

function judgeAddons(input: PolicyInput, obs: readonly Observation[]): Omit<ItemResult, keyof PolicyItem> {
  const judged: Judged[] = obs.map((o) =>
    o.notRun
      ? { o, verdict: null, seen: said(o) ?? 'not run' }
      : o.ok
        ? { o, verdict: 'pass', seen: 'service discovery answered' }
        : { o, verdict: 'fail', seen: said(o) ?? 'failed' },
  );
  const q = byQuorum(judged, input.quorum);
  const ev = judged.map(evidence);
  if (q.verdict === 'fail')
    return {
      verdict: 'fail',
      reason: unique(q.failing.map((j) => j.seen)).join('; '),
      fix: 'Let service discovery (XEP-0030) answer disco#items and disco#info for the domain, to local and remote users.',
      evidence: ev,
    };
  if (q.verdict === 'unknown') {
    const notRun = obs.find((o) => o.notRun);
    const why = notRun && said(notRun);
    return {
      verdict: 'unknown',
      reason: `service discovery was not probed${why ? ` (${why.replace(/^not run: /, '')})` : ''}; this is never a failure`,
      evidence: ev,
    };
  }
  const found: Record<string, string[]> = {};
  const detail = obs.find((o) => o.ok && o.detail)?.detail;
  for (const [key, label] of FOUND_KINDS) {
    const list = detail?.[key];
    if (Array.isArray(list) && list.length) found[label] = list.map(String).slice(0, 20);
  }
  const summary = Object.entries(found)
    .map(([label, jids]) => `${label}: ${jids.join(', ')}`)
    .join('; ');
  return {
    verdict: 'pass',
    reason: detail ? `service discovery answered${summary ? `; found ${summary}` : ', listing no add-on services'}` : 'service discovery answered',
    evidence: ev,
    ...(detail ? { found } : {}),
  };
}

function judgeAdministrator(input: PolicyInput, obs: readonly Observation[]): Omit<ItemResult, keyof PolicyItem> {
  const d = input.declared;
  const declaredEvidence: Evidence[] = d
    ? [
        {
          check: 'declared',
          vantage: 'service file',
          at: '',
          target: `content/services/${input.domain}.md`,
          ok: true,
          seen: `${d.administrator.name} (${[d.administrator.jid, d.administrator.email].filter(Boolean).join(', ')}); ${d.location.city}, ${d.location.countryName ?? d.location.country}`,
        },
      ]
    : [];
  const judged: Judged[] = obs.map((o) => {
    if (o.notRun) return { o, verdict: null, seen: said(o) ?? 'not run' };
    const addresses = o.detail?.addresses as Record<string, string[]> | undefined;
    const list = addresses
      ? Object.entries(addresses)
          .map(([k, v]) => `${k.replace(/-addresses$/, '')}: ${v.join(' ')}`)
          .join('; ')
      : '';
    return o.ok ? { o, verdict: 'pass', seen: `publishes contact addresses${list ? ` (${list})` : ''}` } : { o, verdict: 'fail', seen: said(o) ?? 'failed' };
  });
  const q = byQuorum(judged, input.quorum);
  const ev = [...declaredEvidence, ...judged.map(evidence)];
  if (q.verdict === 'fail') {
    return {
      verdict: 'fail',
      reason: unique(q.failing.map((j) => j.seen)).join('; '),
      fix: 'Publish contact addresses in service discovery (XEP-0157): Prosody mod_server_contact_info with contact_info = { admin = { "xmpp:…", "mailto:…" } }; ejabberd mod_disco server_info.',
      evidence: ev,
    };
  }
  const contact = q.verdict === 'pass' ? 'contact addresses published (XEP-0157)' : 'contact addresses not probed (no probe account)';
  if (!d) {
    return {
      verdict: 'unknown',
      reason: `administrator and location are declared in the service file when you apply; ${contact}`,
      fix: `Run "npm run new:service -- ${input.domain}" and fill in administrator and location.`,
      evidence: ev,
    };
  }
  return { verdict: 'pass', reason: `administrator and location declared; ${contact}`, evidence: ev };
}

function judgeUptime(input: PolicyInput): Omit<ItemResult, keyof PolicyItem> {
  const u = input.uptime;
  if (u.kind === 'one-off')
    return { verdict: 'unknown', reason: 'not measured in a one-off test: uptime is measured continuously once the service is in the directory', evidence: [] };
  if (u.kind === 'testing') {
    return {
      verdict: 'unknown',
      reason: `in the testing period: ${u.dataDays} of ${u.testingDays} days of data (${u.testingDays - u.dataDays} to go)`,
      evidence: [],
    };
  }
  if (u.uptime30 === null) return { verdict: 'unknown', reason: 'no monitoring data covers the last 30 days', evidence: [] };
  // One rounding rule for uptime everywhere (issue 27: the page showed 62.91% and 62.916%): truncated, so a failing figure never reads as the target.
  const shown = formatUptime(u.uptime30);
  const from = `from ${u.locations} location${u.locations === 1 ? '' : 's'}`;
  return u.uptime30 >= u.target
    ? { verdict: 'pass', reason: `${shown} over 30 days ${from} (target ${u.target}%)`, evidence: [] }
    : {
        verdict: 'fail',
        reason: `${shown} over 30 days ${from}, below the ${u.target}% target`,
        fix: 'Find the cause of the outages on the service page’s uptime history; every failed sample of client STARTTLS counts.',
        evidence: [],
      };
}

function judgePhone(input: PolicyInput): Omit<ItemResult, keyof PolicyItem> {
  const date = input.declared?.phoneVerified;
  return date
    ? { verdict: 'pass', reason: `not automated: a jabber.org admin verified it by telephone on ${date}`, evidence: [] }
    : { verdict: 'unknown', reason: 'not automated: no telephone verification recorded yet', evidence: [] };
}

/**
 * The checklist for one service: one result per policy item, in order.
 * Pure: the same input always gives the same checklist.
 */
export function evaluatePolicy(input: PolicyInput): ItemResult[] {
  // A stable order (the item's checks, then location and target): a probe run finishes its checks in any order.
  const observations = (item: PolicyItem) =>
    input.observations
      .filter((o) => item.checks.includes(o.check))
      .sort((a, b) => item.checks.indexOf(a.check) - item.checks.indexOf(b.check) || a.vantage.localeCompare(b.vantage) || a.target.localeCompare(b.target));
  return POLICY_ITEMS.map((item) => {
    const obs = observations(item);
    const result =
      item.id === 'tls'
        ? judgeTls(input, obs)
        : item.id === 'c2s'
          ? judgeConnections(
              input,
              obs,
              ['c2s-starttls', 'c2s-directtls'],
              `Listen for clients on 5222 with STARTTLS and on 5223 with direct TLS (Prosody: c2s_direct_tls_ports = { 5223 }), or publish the ports in DNS: _xmpp-client._tcp.${input.domain} and _xmpps-client._tcp.${input.domain} SRV records.`,
            )
          : item.id === 's2s'
            ? judgeConnections(
                input,
                obs,
                ['s2s-starttls'],
                `Listen for servers on 5269 with STARTTLS and dialback or SASL EXTERNAL, or publish the port with an _xmpp-server._tcp.${input.domain} SRV record; a "." target says federation is off, which the policy does not allow.`,
              )
            : item.id === 'website'
              ? judgeWebsite(input, obs)
              : item.id === 'registration'
                ? judgeRegistration(input, obs)
                : item.id === 'addons'
                  ? judgeAddons(input, obs)
                  : item.id === 'uptime'
                    ? judgeUptime(input)
                    : item.id === 'administrator'
                      ? judgeAdministrator(input, obs)
                      : judgePhone(input);
    return { id: item.id, number: item.number, title: item.title, automated: item.automated, ...result };
  });
}

/** The items that fail, e.g. for a state: `[{ id: 'tls', … }]`. */
export const failingItems = (checklist: readonly ItemResult[]) => checklist.filter((r) => r.automated && r.verdict === 'fail');
