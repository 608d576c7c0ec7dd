/**
 * Probe summary: what `npm run probe:summary` makes of one vantage point's
 * raw records, what a probe host publishes, and what the build fetches.
 */
import { z } from 'astro/zod';
import { DateStringSchema } from './building-blocks.ts';
import { CertFactsSchema, DaneFactsSchema } from './probe-record.ts';

/**
 * Most (domain, check) pairs one summary may hold; jabber.org's probe has 12.
 * A summary is read whole by every build, and 400 pairs with 90 days of
 * one-minute data (about 38 KB each) still fit the 16 MiB a build reads, so
 * a probe host that logs more domains splits them
 * (`npm run probe:summary -- --domain`).
 */
export const MAX_SUMMARY_CHECKS = 400;

/**
 * An ISO instant in UTC that is a real calendar time, e.g.
 * `2026-11-21T12:00:00Z`. Probe hosts are not trusted to write one.
 */
export const InstantSchema = z.iso.datetime({ error: 'must be a UTC time such as 2026-11-21T12:00:00Z' });

/** Certificate facts in a summary: as a probe record has them, but both dates must be real instants, or null when the probe could not read them. */
export const SummaryCertSchema = CertFactsSchema.extend({
  /** Start of validity, e.g. `2026-10-01T00:00:00Z`; null when the certificate's date could not be read. */
  validFrom: InstantSchema.nullable(),
  /** End of validity, e.g. `2026-12-30T23:59:59Z`; null when it could not be read (the page then warns). */
  validTo: InstantSchema.nullable(),
});
export type SummaryCert = z.output<typeof SummaryCertSchema>;

/** How many fingerprints a summary lists per target as seen lately (`seen`); a load balancer with more certificates than this still shows as several. */
export const MAX_SEEN_CERTS = 8;

/**
 * The certificate one location sees at one target of one check (issue 30),
 * newest first. Optional in summaries: those written before it have only
 * the check's `cert`.
 */
export const SummaryTargetCertSchema = z.strictObject({
  /** What was contacted, e.g. `hermes2.jabber.org:5222` or `https://www.jabber.org/`. */
  target: z.string().min(1).max(600),
  /** The newest record with a certificate, e.g. `2026-11-21T11:59:00Z`. */
  at: InstantSchema,
  /** The certificate it had. */
  cert: SummaryCertSchema,
  /** The first record of the unbroken run of records with this certificate, e.g. `2026-11-20T03:12:00Z`: when it was first seen here. */
  since: InstantSchema,
  /** Records in that run, e.g. `1440`; 2 or more means the certificate was seen over at least two probe intervals. */
  streak: z.number().int().min(1),
  /** The certificate before this run, with the last time it was seen; null when none was seen in the summary's window. */
  previous: z.strictObject({ cert: SummaryCertSchema, until: InstantSchema }).nullable(),
  /**
   * Every certificate (SHA-256) seen here in the last 48 hours, with the
   * last time, newest first, at most `MAX_SEEN_CERTS`, e.g.
   * `[['AB:CD:…', '2026-11-21T11:59:00Z']]`. More than one, alternating,
   * is a load balancer with several certificates, not a change.
   */
  seen: z.array(z.tuple([z.string().max(200), InstantSchema])).max(MAX_SEEN_CERTS),
  /**
   * How often in the last 48 hours this location went back to a certificate
   * it had already seen here, e.g. `0` after a renewal, `700` behind a load
   * balancer whose servers hold different certificates. Absent in summaries
   * written before it was added (read as 0).
   */
  returns: z.number().int().nonnegative().optional(),
  /** The TLSA records of this target as the newest record saw them (issue 30); absent when the probe did not look. */
  dane: DaneFactsSchema.optional(),
});
export type SummaryTargetCert = z.output<typeof SummaryTargetCertSchema>;

/** One UTC day of one check at one vantage point. */
export const SummaryDaySchema = z.strictObject({
  /** e.g. `2026-11-21` */
  date: DateStringSchema,
  /** Records that day (one per target per run), duplicates removed, e.g. `1440`. */
  samples: z.number().int().nonnegative(),
  /** How many of them passed, e.g. `1438`. */
  ok: z.number().int().nonnegative(),
  /** First and last sample that day, ISO, e.g. `2026-11-21T00:00:12Z`; time outside them had no data. */
  first: InstantSchema,
  last: InstantSchema,
  /** Response-time percentiles of the passing samples in ms; null without any. */
  p50: z.number().nonnegative().nullable(),
  p95: z.number().nonnegative().nullable(),
  p99: z.number().nonnegative().nullable(),
  /** Runs of consecutive failures as [first failure, first success after it] (or the last failure if none followed), ISO instants, e.g. `[['2026-11-21T06:35:00Z', '2026-11-21T07:10:00Z']]`. */
  outages: z.array(z.tuple([InstantSchema, InstantSchema])),
});
export type SummaryDay = z.output<typeof SummaryDaySchema>;
