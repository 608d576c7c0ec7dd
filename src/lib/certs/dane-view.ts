/**
 * What the page says about a target's TLSA records (issue 30): whether they
 * match the certificate presented, and whether an announced change is about
 * to break them (records that match only the certificate, or the key, that
 * is going away). Always says what the probe cannot know without DNSSEC
 * validation. Pure.
 */
import type { CertAnnouncement, DaneFacts, ProbeCheck } from '../schemas.ts';
import { normaliseFingerprint } from './fingerprint.ts';

export const DANE_LEVELS = ['none', 'ok', 'warning'] as const;
export type DaneLevel = (typeof DANE_LEVELS)[number];

/** The sentence every DANE result carries. */
export const DNSSEC_CAVEAT =
  'The probe does not validate DNSSEC: it cannot tell whether these records are signed, nor a forged answer from a real one, so a match here does not prove DANE protects you; a mismatch is still what a validating client would see.';

const usageWords = (u: number) => ['PKIX-TA', 'PKIX-EE', 'DANE-TA', 'DANE-EE'][u] ?? `usage ${u}`;
const selectorWords = (s: number) => ['whole certificate', 'public key'][s] ?? `selector ${s}`;
const mtypeWords = (m: number) => ['exact', 'SHA-256', 'SHA-512'][m] ?? `type ${m}`;
/** e.g. `DANE-EE, public key, SHA-256`. */
export const describeRecord = (r: DaneFacts['records'][number]) => `${usageWords(r.usage)}, ${selectorWords(r.selector)}, ${mtypeWords(r.mtype)}`;

/**
 * @param upcoming announcements still ahead or under way for this domain and check
 * @example daneSentences(facts, []) // { level: 'ok', sentences: ['1 TLSA record at _5222._tcp.x: record 1 (DANE-EE, public key, SHA-256) matches the certificate presented.', …] }
 */
export function daneSentences(dane: DaneFacts | undefined, upcoming: readonly CertAnnouncement[]): { level: DaneLevel; sentences: string[] } {
  if (!dane) return { level: 'none', sentences: [] };
  if (dane.lookup === 'none') return { level: 'none', sentences: [`No TLSA records at ${dane.name}: DANE is not used for this port.`] };
  if (dane.lookup === 'failed')
    return { level: 'warning', sentences: [`The TLSA lookup at ${dane.name} failed from this location, so DANE could not be compared.`, DNSSEC_CAVEAT] };
  const n = dane.records.length;
  const matching = dane.records.map((r, i) => ({ r, i })).filter((x) => x.r.matches);
  const head = `${n} TLSA record${n === 1 ? '' : 's'} at ${dane.name}`;
  if (matching.length === 0) {
    return {
      level: 'warning',
      sentences: [`${head}, and none matches the certificate presented: clients that validate DANE will refuse to connect.`, DNSSEC_CAVEAT],
    };
  }
  const sentences = [
    `${head}: ${matching.map((x) => `record ${x.i + 1} (${describeRecord(x.r)})`).join(', ')} ${matching.length === 1 ? 'matches' : 'match'} the certificate presented.`,
  ];
  const breaking = upcoming.find((a) => rotationBreaks(dane, a));
  if (breaking) {
    sentences.push(
      `The announced change (${breaking.from.slice(0, 16).replace('T', ' ')} UTC) will break DANE: the records match only the ${matching.every((x) => x.r.selector === 1) ? 'key' : 'certificate'} in use now. Publish a TLSA record for the new ${breaking.spki256 || matching.every((x) => x.r.selector === 1) ? 'key' : 'certificate'} before the change, and remove the old one after it.`,
    );
  }
  sentences.push(DNSSEC_CAVEAT);
  return { level: breaking ? 'warning' : 'ok', sentences };
}

/**
 * True when every record that matches today would stop matching after the
 * announced change: end-entity records only (a trust-anchor record survives
 * a renewal from the same CA), and no record already matching the announced
 * key or certificate (when the announcement names them).
 */
export function rotationBreaks(dane: DaneFacts, announcement: CertAnnouncement): boolean {
  const matching = dane.records.filter((r) => r.matches);
  if (matching.length === 0 || matching.some((r) => r.usage === 0 || r.usage === 2)) return false;
  const newKey = announcement.spki256 ? normaliseFingerprint(announcement.spki256) : undefined;
  const newCert = announcement.fingerprint256 ? normaliseFingerprint(announcement.fingerprint256) : undefined;
  // A record already published for the new key or certificate keeps DANE working across the change.
  const readyForNew = dane.records.some(
    (r) =>
      (r.usage === 1 || r.usage === 3) &&
      r.mtype === 1 &&
      ((r.selector === 1 && newKey && r.data === newKey) || (r.selector === 0 && newCert && r.data === newCert)),
  );
  if (readyForNew) return false;
  // Key-only records survive a renewal that keeps the key; without a named new key we cannot tell, so only whole-certificate records are sure to break.
  if (matching.every((r) => r.selector === 1) && !newKey) return false;
  return true;
}

/** The announcements that concern `domain`/`check` and have not ended at `now`. */
export function upcomingFor(announcements: readonly CertAnnouncement[], domain: string, check: ProbeCheck, now: Date): CertAnnouncement[] {
  return announcements.filter(
    (a) =>
      a.domain.toLowerCase() === domain.toLowerCase() && (!a.checks || (a.checks as readonly string[]).includes(check)) && Date.parse(a.until) >= now.getTime(),
  );
}
