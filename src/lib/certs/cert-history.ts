/**
 * Certificate changes as news (issue 30). The build host keeps, per
 * location, domain, check and target, the certificates seen there, oldest
 * first (`CertHistoryFileSchema`, `.history/certificates.json`): each build
 * appends what its summaries show, so a change is found once and stays
 * found, whatever builds come later. A summary that already holds the
 * certificate before the current one (`previous`) seeds both, so the first
 * build after a change still sees it.
 *
 * A change is judged `expected` when it is a renewal — the same names, the
 * same issuer family (organisation, or issuer name when the probe did not
 * record one), and either the old certificate was near its end or the key
 * is unchanged — or when it matches an admin's announcement (window, and
 * fingerprint or key when given). Anything else is `unexpected`, with the
 * reasons in words.
 *
 * Pure: the store and summaries in, the new store and the changes out.
 */
import type { CertAnnouncement, CertHistoryCert, CertHistoryFile, ProbeCheck, ProbeSummary, SummaryCert } from '../schemas.ts';
import { toIsoUtc } from '../shared/time.ts';
import { normaliseFingerprint, sameFingerprint } from './fingerprint.ts';

export const CERT_HISTORY_GENERATOR = 'jabber-org-status certificates';
/** Certificates kept per series: years of 60-day renewals. */
export const MAX_CERTS_PER_SERIES = 50;
/** A certificate with this many days left or fewer when replaced was "near its end" (Let's Encrypt renews at 30). */
export const RENEWAL_WINDOW_DAYS = 30;

export type CertSeries = CertHistoryFile['series'][number];

export function emptyCertHistory(): CertHistoryFile {
  return { v: 1, generator: CERT_HISTORY_GENERATOR, updatedAt: '1970-01-01T00:00:00Z', series: [] };
}

const keyOf = (s: { vantage: string; domain: string; check: string; target: string }) => `${s.vantage}|${s.domain}|${s.check}|${s.target}`;

function historyCert(cert: SummaryCert, firstSeen: string, lastSeen: string): CertHistoryCert {
  return {
    fingerprint256: cert.fingerprint256,
    ...(cert.spki256 ? { spki256: cert.spki256 } : {}),
    names: cert.names,
    subject: cert.subject,
    issuer: cert.issuer,
    ...(cert.issuerOrg ? { issuerOrg: cert.issuerOrg } : {}),
    validTo: cert.validTo,
    firstSeen,
    lastSeen,
  };
}

/** Adds one sighting to a series (oldest first): extends the last certificate or starts a new one. */
function sight(certs: CertHistoryCert[], cert: SummaryCert, from: string, to: string): void {
  const last = certs[certs.length - 1];
  if (last && sameFingerprint(last.fingerprint256, cert.fingerprint256)) {
    if (to > last.lastSeen) last.lastSeen = to;
    return;
  }
  // Older than what the store already has: the store knows better.
  if (last && to <= last.lastSeen) return;
  certs.push(historyCert(cert, from, to));
}

/**
 * Appends every target certificate of the summaries (issue 30 summaries;
 * older ones have no `certs` and add nothing).
 * @param keep which (domain, check) pairs are kept, e.g. the mapped components' checks
 */
export function appendCertSummaries(
  store: CertHistoryFile,
  summaries: readonly ProbeSummary[],
  keep: (domain: string, check: ProbeCheck) => boolean,
): CertHistoryFile {
  const series = new Map(store.series.map((s) => [keyOf(s), { ...s, certs: s.certs.map((c) => ({ ...c })) }]));
  let updatedAt = store.updatedAt;
  for (const summary of summaries) {
    if (summary.generatedAt > updatedAt) updatedAt = summary.generatedAt;
    for (const check of summary.checks) {
      if (!check.certs || !keep(check.domain, check.check)) continue;
      for (const t of check.certs) {
        const id = { vantage: summary.vantage, domain: check.domain, check: check.check, target: t.target };
        let s = series.get(keyOf(id));
        if (!s) series.set(keyOf(id), (s = { ...id, certs: [] }));
        if (t.previous && !s.certs.length) sight(s.certs, t.previous.cert, t.previous.until, t.previous.until);
        // A load balancer with several certificates: this location saw the
        // store's newest one lately as well, and the current one is already
        // known here. Alternation is not news; only the sighting is kept.
        const last = s.certs[s.certs.length - 1];
        const known = s.certs.find((c) => sameFingerprint(c.fingerprint256, t.cert.fingerprint256));
        if (last && known && known !== last && t.seen.some(([fp]) => sameFingerprint(fp, last.fingerprint256))) {
          if (t.at > known.lastSeen) known.lastSeen = t.at;
          continue;
        }
        sight(s.certs, t.cert, t.since, t.at);
        if (s.certs.length > MAX_CERTS_PER_SERIES) s.certs.splice(0, s.certs.length - MAX_CERTS_PER_SERIES);
      }
    }
  }
  const sorted = [...series.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return { v: 1, generator: CERT_HISTORY_GENERATOR, updatedAt, series: sorted };
}

export const CHANGE_VERDICTS = ['expected', 'unexpected'] as const;
export type ChangeVerdict = (typeof CHANGE_VERDICTS)[number];

/** One certificate change at one (domain, check), as every location that saw it saw it. */
export interface CertChange {
  domain: string;
  check: ProbeCheck;
  /** The earliest time a location saw the new certificate, ISO. */
  at: string;
  /** Where it was seen, e.g. `['hermes2.jabber.org:5222']`. */
  targets: string[];
  /** Locations that saw the change, e.g. `['ams', 'fra']`. */
  vantages: string[];
  before: CertHistoryCert;
  after: CertHistoryCert;
  /** True / false when both SPKI hashes are known; null when the probe did not record one. */
  keyUnchanged: boolean | null;
  verdict: ChangeVerdict;
  /** Why, in words, e.g. `['a renewal: same names and issuer, the key is unchanged']`. */
  reasons: string[];
  /** The announcement it matched, if any. */
  announcement?: CertAnnouncement;
}

const namesKey = (names: readonly string[]) =>
  [...names]
    .map((n) => n.toLowerCase())
    .sort()
    .join('\n');
const family = (c: CertHistoryCert) => (c.issuerOrg ?? c.issuer).trim().toLowerCase();

/** The announcement covering a change of `domain`/`check` at `at` to `after`, if any. */
export function matchAnnouncement(
  announcements: readonly CertAnnouncement[],
  domain: string,
  check: ProbeCheck,
  at: string,
  after: CertHistoryCert,
): CertAnnouncement | undefined {
  const t = Date.parse(at);
  return announcements.find(
    (a) =>
      a.domain.toLowerCase() === domain.toLowerCase() &&
      (!a.checks || (a.checks as readonly string[]).includes(check)) &&
      Date.parse(a.from) <= t &&
      t <= Date.parse(a.until) &&
      (!a.fingerprint256 || sameFingerprint(a.fingerprint256, after.fingerprint256)) &&
      (!a.spki256 || sameFingerprint(a.spki256, after.spki256)),
  );
}

/** The rule in the module comment, with its reasons. */
export function judgeChange(
  before: CertHistoryCert,
  after: CertHistoryCert,
  at: string,
  announcement: CertAnnouncement | undefined,
): { verdict: ChangeVerdict; reasons: string[]; keyUnchanged: boolean | null } {
  const keyUnchanged = before.spki256 && after.spki256 ? sameFingerprint(before.spki256, after.spki256) : null;
  const sameNames = namesKey(before.names) === namesKey(after.names) && before.subject.toLowerCase() === after.subject.toLowerCase();
  const sameFamily = family(before) === family(after);
  const daysLeft = before.validTo ? Math.floor((Date.parse(before.validTo) - Date.parse(at)) / 86_400_000) : null;
  const nearEnd = daysLeft !== null && daysLeft <= RENEWAL_WINDOW_DAYS;
  if (announcement) return { verdict: 'expected', reasons: ['announced in advance by the administrators'], keyUnchanged };
  const reasons: string[] = [];
  if (!sameNames) reasons.push(`the names changed (before: ${before.names.join(', ') || before.subject}; now: ${after.names.join(', ') || after.subject})`);
  if (!sameFamily) reasons.push(`another issuer (before: ${before.issuerOrg ?? before.issuer}; now: ${after.issuerOrg ?? after.issuer})`);
  if (sameNames && sameFamily && (nearEnd || keyUnchanged === true)) {
    const why =
      keyUnchanged === true
        ? 'the key is unchanged'
        : daysLeft! < 0
          ? 'the old certificate had expired'
          : `the old certificate had ${daysLeft} day${daysLeft === 1 ? '' : 's'} left`;
    return { verdict: 'expected', reasons: [`a renewal: same names and issuer, ${why}`], keyUnchanged };
  }
  if (sameNames && sameFamily)
    reasons.push(`a new key while the old certificate still had ${daysLeft ?? 'an unknown number of'} days left, and no announcement`);
  return { verdict: 'unexpected', reasons, keyUnchanged };
}

/**
 * Every change the store holds, one per (domain, check, old → new
 * certificate) however many locations and targets saw it, oldest first.
 */
export function certChanges(store: CertHistoryFile, announcements: readonly CertAnnouncement[]): CertChange[] {
  const groups = new Map<
    string,
    { domain: string; check: ProbeCheck; at: string; targets: Set<string>; vantages: Set<string>; before: CertHistoryCert; after: CertHistoryCert }
  >();
  for (const s of store.series) {
    for (let i = 1; i < s.certs.length; i++) {
      const before = s.certs[i - 1]!;
      const after = s.certs[i]!;
      const key = `${s.domain}|${s.check}|${normaliseFingerprint(before.fingerprint256)}|${normaliseFingerprint(after.fingerprint256)}`;
      const g = groups.get(key);
      if (!g)
        groups.set(key, { domain: s.domain, check: s.check, at: after.firstSeen, targets: new Set([s.target]), vantages: new Set([s.vantage]), before, after });
      else {
        if (after.firstSeen < g.at) g.at = after.firstSeen;
        g.targets.add(s.target);
        g.vantages.add(s.vantage);
      }
    }
  }
  return [...groups.values()]
    .map((g) => {
      const announcement = matchAnnouncement(announcements, g.domain, g.check, g.at, g.after);
      const judged = judgeChange(g.before, g.after, g.at, announcement);
      return {
        domain: g.domain,
        check: g.check,
        at: g.at,
        targets: [...g.targets].sort(),
        vantages: [...g.vantages].sort(),
        before: g.before,
        after: g.after,
        ...judged,
        ...(announcement ? { announcement } : {}),
      };
    })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.check < b.check ? -1 : 1));
}

/** The port a change concerns, in words, e.g. `port 5222` or `https://www.jabber.org/`. */
export function changePlace(change: Pick<CertChange, 'targets' | 'check'>): string {
  if (change.check === 'website') return change.targets.join(', ');
  const ports = [...new Set(change.targets.map((t) => /:(\d+)$/.exec(t)?.[1]).filter(Boolean))];
  return ports.length ? `port ${ports.join(', ')}` : change.targets.join(', ');
}

/** The headline of a change, e.g. `Certificate on port 5222 (jabber.org) changed: expected renewal`. */
export function changeTitle(change: CertChange): string {
  const what = change.verdict === 'expected' ? (change.announcement ? 'expected, announced' : 'expected renewal') : 'unexpected';
  return `Certificate on ${changePlace(change)} (${change.domain}) changed: ${what}`;
}

/** The message, plain sentences, e.g. `The certificate on port 5222 changed at 2026-11-21 06:00 UTC; new SHA-256 …; the key is unchanged.` */
export function changeSentences(change: CertChange): string[] {
  const key =
    change.keyUnchanged === true
      ? 'the key is unchanged'
      : change.keyUnchanged === false
        ? 'the key is new'
        : 'whether the key changed is not known (an older probe)';
  const when = toIsoUtc(new Date(change.at))
    .replace('T', ' ')
    .replace(/:\d\dZ$/, ' UTC');
  return [
    `The certificate of ${change.domain} on ${changePlace(change)} changed at ${when}, as seen from ${change.vantages.join(', ')}; new SHA-256 ${change.after.fingerprint256}; ${key}.`,
    change.verdict === 'expected'
      ? `Expected: ${change.reasons.join('; ')}.${change.announcement ? ` ${change.announcement.note} Compare` : ' Your app may ask you to accept the new certificate; compare'} the fingerprint with the one on the certificates page.`
      : `Unexpected: ${change.reasons.join('; ')}. If your app warns about this certificate, do not accept it until it matches the fingerprint on the certificates page from several locations.`,
  ];
}
