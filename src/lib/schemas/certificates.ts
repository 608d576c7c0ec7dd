/**
 * Certificate continuity (issue 30): the certificates each location has seen
 * at each target, kept across builds by the build host
 * (`.history/certificates.json`, src/lib/certs/cert-history.ts), and the
 * admins' announcements of planned changes (content/certificates.yaml).
 */
import { z } from 'astro/zod';
import { InstantSchema } from './probe-summary.ts';
import { ProbeCheckSchema } from './vocabularies.ts';

/** One certificate as the history keeps it: what a change message and the renewal rule need. */
const CertHistoryCertSchema = z.strictObject({
  /** SHA-256 of the certificate, e.g. `5A:3C:…`. */
  fingerprint256: z.string().min(1).max(200),
  /** SHA-256 of its public key, when the probe recorded it, e.g. `1F:0A:…`. */
  spki256: z.string().max(200).optional(),
  /** Names in it, e.g. `['DNS:jabber.org']`. */
  names: z.array(z.string().max(1000)).max(100),
  /** e.g. `jabber.org` */
  subject: z.string().max(1000),
  /** e.g. `R11` */
  issuer: z.string().max(1000),
  /** e.g. `Let's Encrypt` */
  issuerOrg: z.string().max(1000).optional(),
  /** e.g. `2027-01-15T23:59:59Z`, null when unreadable. */
  validTo: InstantSchema.nullable(),
  /** First time any record showed it at this target from this location, e.g. `2026-10-17T03:00:00Z`. */
  firstSeen: InstantSchema,
  /** Last time, e.g. `2026-11-21T11:59:00Z`. */
  lastSeen: InstantSchema,
});
export type CertHistoryCert = z.output<typeof CertHistoryCertSchema>;

export const CertHistoryFileSchema = z.strictObject({
  /** Format version; a build refuses versions it does not know. */
  v: z.literal(1),
  /** What wrote it, e.g. `jabber-org-status certificates`. */
  generator: z.string().max(200),
  /** Newest summary time read, e.g. `2026-11-21T12:00:05Z`. */
  updatedAt: InstantSchema,
  /** One entry per (location, domain, check, target): the certificates seen there, oldest first, at most 50. */
  series: z
    .array(
      z.strictObject({
        vantage: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
        domain: z.string().min(1).max(253),
        check: ProbeCheckSchema,
        target: z.string().min(1).max(600),
        certs: z.array(CertHistoryCertSchema).min(1).max(50),
      }),
    )
    .max(20_000),
});
export type CertHistoryFile = z.output<typeof CertHistoryFileSchema>;

/**
 * One planned certificate change an admin announces ahead (content/certificates.yaml),
 * so that readers see it coming and the change is judged "expected" when it happens.
 */
export const CertAnnouncementSchema = z
  .strictObject({
    /** The XMPP domain whose certificate changes, e.g. `jabber.org`. */
    domain: z.string({ error: 'is missing. Name the domain whose certificate changes, e.g. domain: jabber.org' }).min(1).max(253),
    /** Which checks (ports) it concerns, e.g. `[c2s-starttls, c2s-directtls, s2s-starttls]`; every port of the domain when left out. */
    checks: z
      .array(
        z.enum(['c2s-starttls', 'c2s-directtls', 's2s-starttls', 'website'], { error: 'must be one of c2s-starttls, c2s-directtls, s2s-starttls, website' }),
      )
      .min(1)
      .optional(),
    /** When the change may happen from, with an offset, e.g. `2026-11-25T03:00:00Z`. */
    from: z.iso.datetime({ offset: true, error: 'must be a time with an offset, e.g. 2026-11-25T03:00:00Z' }),
    /** Until when, e.g. `2026-11-25T05:00:00Z`; a change seen after it is no longer covered. */
    until: z.iso.datetime({ offset: true, error: 'must be a time with an offset, e.g. 2026-11-25T05:00:00Z' }),
    /** The new certificate's SHA-256, when known, in any spelling (colons or not), e.g. `5A:3C:9E:…`. */
    fingerprint256: z
      .string()
      .regex(/^[0-9a-fA-F:\s]+$/, { error: 'must be the 64 hex digits of a SHA-256, with or without colons' })
      .refine((s) => s.replace(/[^0-9a-f]/gi, '').length === 64, { error: 'must have 64 hex digits (a SHA-256)' })
      .optional(),
    /** The new public key's SHA-256 (SPKI), when known, e.g. `1F:0A:…`. */
    spki256: z
      .string()
      .regex(/^[0-9a-fA-F:\s]+$/, { error: 'must be the 64 hex digits of a SHA-256, with or without colons' })
      .refine((s) => s.replace(/[^0-9a-f]/gi, '').length === 64, { error: 'must have 64 hex digits (a SHA-256)' })
      .optional(),
    /** What readers are told, one or two sentences, e.g. `We move to a new key; your app may ask you to accept the new certificate.` */
    note: z.string({ error: 'is missing. Say in a sentence what changes and what readers may see' }).trim().min(1).max(500),
  })
  .refine((a) => Date.parse(a.until) > Date.parse(a.from), { error: '"until" must be after "from"', path: ['until'] });
export type CertAnnouncement = z.output<typeof CertAnnouncementSchema>;

export const CertAnnouncementsFileSchema = z.strictObject({
  /** Planned changes, any order. */
  announcements: z.array(CertAnnouncementSchema).max(200).default([]),
});
