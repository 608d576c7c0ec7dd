/**
 * `/api/certificates.json` (issue 30): the same facts as /certificates/, for
 * scripts and clients that want to compare fingerprints themselves. Field
 * names are snake_case like the Statuspage-shaped API beside it.
 */
import type { CertAnnouncement } from '../schemas.ts';
import type { CertChange } from './cert-history.ts';
import type { CertificatesView } from './cert-view.ts';
import { daneSentences, upcomingFor } from './dane-view.ts';

export function certificatesJson(view: CertificatesView, changes: readonly CertChange[], announcements: readonly CertAnnouncement[], generatedAt: Date) {
  return {
    generated_at: generatedAt.toISOString(),
    components: view.checks.map((c) => ({
      component: c.componentId,
      domain: c.domain,
      check: c.check,
      targets: c.targets.map((t) => ({
        target: t.target,
        agreement: t.agreement,
        disagreeing_groups: t.agreement === 'disagree' ? t.groups.map((g) => ({ sha256: g.fingerprint256, locations: g.vantages })) : [],
        locations: t.locations.map((l) => ({
          location: l.vantage,
          checked_at: l.at,
          first_seen: l.since,
          consecutive_checks: l.streak,
          subject: l.cert.subject,
          names: l.cert.names,
          issuer: l.cert.issuer,
          issuer_organization: l.cert.issuerOrg ?? null,
          valid_from: l.cert.validFrom,
          valid_to: l.cert.validTo,
          trusted: l.cert.trusted,
          key_type: l.cert.keyType ?? null,
          key_bits: l.cert.keyBits ?? null,
          sha256: l.cert.fingerprint256,
          spki_sha256: l.cert.spki256 ?? null,
          // TLSA records as this location saw them (never DNSSEC-validated), with what the page says of them.
          dane: l.dane ? { ...l.dane, ...daneSentences(l.dane, upcomingFor(announcements, c.domain, c.check, generatedAt)) } : null,
        })),
      })),
    })),
    planned_changes: announcements.map((a) => ({
      domain: a.domain,
      checks: a.checks ?? null,
      from: a.from,
      until: a.until,
      sha256: a.fingerprint256 ?? null,
      spki_sha256: a.spki256 ?? null,
      note: a.note,
    })),
    changes: changes.map((c) => ({
      domain: c.domain,
      check: c.check,
      at: c.at,
      targets: c.targets,
      locations: c.vantages,
      verdict: c.verdict,
      reasons: c.reasons,
      key_unchanged: c.keyUnchanged,
      before_sha256: c.before.fingerprint256,
      after_sha256: c.after.fingerprint256,
      after_spki_sha256: c.after.spki256 ?? null,
    })),
  };
}
