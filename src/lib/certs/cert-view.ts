/**
 * What `/certificates/`, `/api/certificates.json` and the component pages
 * say about the certificates each location sees (issue 30): for every
 * monitored component's domain and check, each target (SRV target and port,
 * or web address) and each location, the newest certificate facts; and
 * whether the locations agree.
 *
 * Locations *disagree* about a target only when each has seen its own
 * certificate over at least two consecutive probe runs (`streak` ≥ 2) and
 * neither has seen the other's in the last 48 hours: a load balancer whose
 * nodes hold different certificates shows every location several
 * certificates, which is "several certificates", not a disagreement. Only
 * locations whose newest record is within two probe intervals of the
 * newest location's are compared, so a location that stopped reporting
 * before a renewal is not mistaken for one that sees another certificate.
 *
 * Pure: summaries in, a view out; takes the probe interval, never the clock.
 */
import type { DaneFacts, ProbeCheck, ProbeSummary, SummaryCert } from '../schemas.ts';
import { normaliseFingerprint } from './fingerprint.ts';

/** How the locations' certificates for one target compare. */
export const AGREEMENTS = ['agree', 'one-location', 'several', 'disagree', 'settling'] as const;
export type Agreement = (typeof AGREEMENTS)[number];

/** One location's view of one target. */
export interface LocationCert {
  /** e.g. `ams` */
  vantage: string;
  /** Newest record with a certificate, ISO, e.g. `2026-11-21T11:59:00Z`. */
  at: string;
  /** When this certificate was first seen here in an unbroken run, ISO; null from a summary older than issue 30. */
  since: string | null;
  /** Consecutive records with it; 0 when unknown (older summary). */
  streak: number;
  cert: SummaryCert;
  /** Fingerprints seen here in the last 48 hours (normalised), this one included. */
  seen: string[];
  /** The certificate before this one here, when the summary window has it. */
  previous: { cert: SummaryCert; until: string } | null;
  /** Times in the last 48 hours this location went back to a certificate it had seen (alternation); 0 when unknown. */
  returns: number;
  /** The target's TLSA records compared with the certificate, as this location saw them; absent when not looked up. */
  dane?: DaneFacts;
}

export interface TargetView {
  /** e.g. `hermes2.jabber.org:5222` or `https://www.jabber.org/` */
  target: string;
  locations: LocationCert[];
  agreement: Agreement;
  /** When `disagree`: which locations see which certificate, e.g. `[{ fingerprint256: 'AB:…', vantages: ['ams', 'fra'] }, …]`. */
  groups: { fingerprint256: string; vantages: string[] }[];
}

export interface CheckCerts {
  componentId: string;
  componentName: string;
  domain: string;
  check: ProbeCheck;
  /** What the check connects to, in words, e.g. `client connections, STARTTLS (port 5222)`. */
  label: string;
  targets: TargetView[];
}

export interface CertificatesView {
  checks: CheckCerts[];
  /** Component id → its targets where locations disagree. */
  disagreements: Map<string, { check: CheckCerts; target: TargetView }[]>;
}

/** Words for each check that presents a certificate; other checks have none. */
export const CERT_CHECK_LABELS: Partial<Record<ProbeCheck, string>> = {
  'c2s-starttls': 'client connections, STARTTLS (port 5222 or the SRV port)',
  'c2s-directtls': 'client connections, direct TLS (port 5223 or the SRV port)',
  's2s-starttls': 'server-to-server, STARTTLS (port 5269 or the SRV port)',
  website: 'website (HTTPS)',
};

export interface ViewOptions {
  /** The probe interval in seconds, e.g. `60`. */
  intervalSeconds: number;
}

/** A location's facts for each target of one (domain, check), from a summary of either format and any age. */
function locationCerts(summary: ProbeSummary, domain: string, check: ProbeCheck): Map<string, LocationCert> {
  const out = new Map<string, LocationCert>();
  const entry = summary.checks.find((c) => c.domain === domain && c.check === check);
  if (!entry) return out;
  if (entry.certs?.length) {
    for (const t of entry.certs) {
      out.set(t.target, {
        vantage: summary.vantage,
        at: t.at,
        since: t.since,
        streak: t.streak,
        cert: t.cert,
        seen: [...new Set([normaliseFingerprint(t.cert.fingerprint256), ...t.seen.map(([fp]) => normaliseFingerprint(fp))])],
        previous: t.previous,
        returns: t.returns ?? 0,
        ...(t.dane ? { dane: t.dane } : {}),
      });
    }
  } else if (entry.cert) {
    // A summary from before issue 30: one certificate per check, no run.
    out.set(entry.last.target, {
      vantage: summary.vantage,
      at: entry.last.at,
      since: null,
      streak: 0,
      cert: entry.cert,
      seen: [normaliseFingerprint(entry.cert.fingerprint256)],
      previous: null,
      returns: 0,
    });
  }
  return out;
}

/**
 * How the locations' certificates for one target compare (the rule in the module comment).
 * @example judgeAgreement([ams, fra], 60) // 'disagree' when each saw its own certificate twice in a row and never the other's
 */
export function judgeAgreement(locations: readonly LocationCert[], intervalSeconds: number): { agreement: Agreement; groups: TargetView['groups'] } {
  if (locations.length === 0) return { agreement: 'one-location', groups: [] };
  const newest = locations.reduce((max, l) => Math.max(max, Date.parse(l.at)), -Infinity);
  const current = locations.filter((l) => newest - Date.parse(l.at) <= 2 * intervalSeconds * 1000);
  const byFp = new Map<string, string[]>();
  for (const l of current) {
    const fp = normaliseFingerprint(l.cert.fingerprint256);
    byFp.set(fp, [...(byFp.get(fp) ?? []), l.vantage]);
  }
  const groups = [...byFp.entries()]
    .map(([fp, vantages]) => ({
      fingerprint256: current.find((l) => normaliseFingerprint(l.cert.fingerprint256) === fp)!.cert.fingerprint256,
      vantages: vantages.sort(),
    }))
    .sort((a, b) => b.vantages.length - a.vantages.length || (a.vantages[0]! < b.vantages[0]! ? -1 : 1));
  // Alternation: a location went back to a certificate it had seen in the
  // last 48 hours (several servers behind one name), or it has lately seen
  // the certificate another location sees now (a change reaching the
  // locations one by one). A single renewal is neither.
  const rotating = current.some((l) => l.returns > 0);
  if (byFp.size <= 1) {
    return { agreement: rotating ? 'several' : current.length < 2 ? 'one-location' : 'agree', groups: [] };
  }
  const crossing = current.some((l) => l.seen.some((fp) => fp !== normaliseFingerprint(l.cert.fingerprint256) && byFp.has(fp)));
  if (rotating || crossing) return { agreement: 'several', groups };
  const stable = current.every((l) => l.streak >= 2);
  return stable ? { agreement: 'disagree', groups } : { agreement: 'settling', groups };
}

/**
 * The view for every mapped component that has a certificate check.
 * @param components component id → the checks that stand for it (content/site.yaml `probes.components`)
 * @param names component id → its name, e.g. `Client connections (port 5222)`
 */
export function certificatesView(
  summaries: readonly ProbeSummary[],
  components: ReadonlyMap<string, readonly { domain: string; check: ProbeCheck }[]>,
  names: ReadonlyMap<string, string>,
  options: ViewOptions,
): CertificatesView {
  const checks: CheckCerts[] = [];
  const disagreements = new Map<string, { check: CheckCerts; target: TargetView }[]>();
  for (const [componentId, watched] of components) {
    for (const { domain, check } of watched) {
      const label = CERT_CHECK_LABELS[check];
      if (!label) continue;
      const byTarget = new Map<string, LocationCert[]>();
      for (const summary of summaries) {
        for (const [target, l] of locationCerts(summary, domain, check)) byTarget.set(target, [...(byTarget.get(target) ?? []), l]);
      }
      const targets = [...byTarget.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([target, locations]): TargetView => {
          const sorted = locations.sort((a, b) => (a.vantage < b.vantage ? -1 : a.vantage > b.vantage ? 1 : 0));
          return { target, locations: sorted, ...judgeAgreement(sorted, options.intervalSeconds) };
        });
      const entry: CheckCerts = { componentId, componentName: names.get(componentId) ?? componentId, domain, check, label, targets };
      checks.push(entry);
      for (const target of targets) {
        if (target.agreement === 'disagree') disagreements.set(componentId, [...(disagreements.get(componentId) ?? []), { check: entry, target }]);
      }
    }
  }
  return { checks, disagreements };
}

/**
 * One sentence for readers on how the locations compare, e.g.
 * `Locations disagree: ams and fra see one certificate, nyc another, each over two probe runs or more.`
 */
export function agreementSentence(target: TargetView): string {
  switch (target.agreement) {
    case 'agree':
      return `Every location sees the same certificate.`;
    case 'one-location':
      return `Seen from one location only.`;
    case 'several':
      return `This address presents more than one certificate (several servers behind one name, or a change in progress): locations saw them alternate, which is not by itself a sign of interception.`;
    case 'settling':
      return `Locations see different certificates, but not yet over two probe runs each: probably a change being rolled out.`;
    case 'disagree': {
      return `Locations disagree: ${disagreementPhrase(target)}, each over two probe runs or more. That is a strong sign of interception on one network path, or of a change deployed to only some servers.`;
    }
  }
}

/** Who sees what, short, e.g. `ams sees one certificate, nyc another` or `ams and fra see one certificate, nyc another`. */
export function disagreementPhrase(target: Pick<TargetView, 'groups'>): string {
  const list = (v: string[]) => (v.length <= 1 ? v.join('') : `${v.slice(0, -1).join(', ')} and ${v[v.length - 1]}`);
  const [first, ...rest] = target.groups;
  if (!first) return '';
  return `${list(first.vantages)} ${first.vantages.length === 1 ? 'sees' : 'see'} one certificate, ${rest.map((g) => list(g.vantages)).join('; ')} another`;
}
