/**
 * Monitoring history (issue 29): daily aggregates per location, domain and
 * check, kept forever by the build host (src/lib/monitoring/history-store.ts)
 * and published with each release. Stored as columns (one array per field,
 * one entry per day) so that gzip finds the repetition: a year of one
 * series is a few kilobytes.
 */
import { z } from 'astro/zod';
import { DateStringSchema } from './building-blocks.ts';
import { InstantSchema, MAX_SUMMARY_CHECKS, SummaryCertSchema, SummaryDaySchema, SummaryTargetCertSchema } from './probe-summary.ts';
import { ProbeCheckSchema, ProbeNotRunSchema } from './vocabularies.ts';
import { problemsFromLegacyError } from './legacy-probe-formats.ts';
import { MAX_PROBLEMS, ProbeProblemSchema } from './probe-problem.ts';

/**
 * A column of whole numbers in [min, max] (null allowed when `nullable`),
 * checked in one loop: a 5-year directory history has tens of millions of
 * entries, and a schema per entry took seconds (issue 29). The message
 * names the first bad entry.
 */
function numberColumn<T extends number | null = number>(min: number, max: number, options: { nullable?: boolean; integer?: boolean } = {}) {
  const integer = options.integer ?? true;
  const what = `${integer ? 'whole numbers' : 'numbers'} from ${min} to ${max}${options.nullable ? ' (or null)' : ''}`;
  return z.custom<T[]>((v) => badEntry(v, min, max, options.nullable ?? false, integer) === -1, {
    error: (issue) => {
      const at = badEntry(issue.input, min, max, options.nullable ?? false, integer);
      return Array.isArray(issue.input)
        ? `entry ${at} is ${JSON.stringify((issue.input as unknown[])[at])?.slice(0, 20)}; must be ${what}`
        : `must be a list of ${what}`;
    },
  });
}
/** Index of the first entry outside the rule, -1 when all are fine, 0 for a non-list. */
function badEntry(v: unknown, min: number, max: number, nullable: boolean, integer: boolean): number {
  if (!Array.isArray(v)) return 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === null && nullable) continue;
    if (typeof x !== 'number' || !(x >= min && x <= max) || (integer && !Number.isInteger(x))) return i;
  }
  return -1;
}
const count = z.number().int().nonnegative();
const secondOfDay = z.number().int().min(0).max(86_400);
const BIG = Number.MAX_SAFE_INTEGER;

/** Days of one check as columns, every column with one entry per day: the history store's series and a compact summary's days. */
const dayColumnsShape = {
  /** UTC day of the first entry, e.g. `2021-01-01`. */
  from: DateStringSchema,
  /** Days since the previous entry (the first: since `from`, so 0), e.g. `[0, 1, 1, 3]` (two days without data before the last). */
  step: numberColumn(0, BIG),
  /** Samples per day, e.g. `[1440, 1440]`. */
  samples: numberColumn(1, BIG),
  /** Passing samples per day, e.g. `[1440, 1437]`. */
  ok: numberColumn(0, BIG),
  /** First and last sample, seconds after UTC midnight, e.g. `[12, 0]` and `[86352, 86340]`. */
  first: numberColumn(0, 86_400),
  last: numberColumn(0, 86_400),
  /** Response-time percentiles of passing samples in ms, null on a day without any, e.g. `[81, 80]`. */
  p50: numberColumn<number | null>(0, BIG, { nullable: true, integer: false }),
  p95: numberColumn<number | null>(0, BIG, { nullable: true, integer: false }),
  p99: numberColumn<number | null>(0, BIG, { nullable: true, integer: false }),
  /** Outage runs as [entry index, start second, end second], e.g. `[[1, 23700, 25800]]` for 06:35 to 07:10 on the second day. */
  outages: z.array(z.tuple([count, secondOfDay, secondOfDay])),
};
type DayColumnsInput = {
  step: number[];
  samples: number[];
  ok: number[];
  first: number[];
  last: number[];
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
  outages: [number, number, number][];
};
/** Every column one entry per day, steps after the first positive, outages naming a real entry. */
function checkColumns(s: DayColumnsInput, ctx: z.RefinementCtx): void {
  const n = s.step.length;
  for (const key of ['samples', 'ok', 'first', 'last', 'p50', 'p95', 'p99'] as const) {
    if (s[key].length !== n)
      ctx.addIssue({ code: 'custom', path: [key], message: `has ${s[key].length} entries but "step" has ${n}; every column needs one entry per day` });
  }
  s.step.forEach((d, i) => {
    if (i > 0 && d === 0) ctx.addIssue({ code: 'custom', path: ['step', i], message: 'is 0: two entries for one day' });
  });
  s.outages.forEach(([i, from, to], k) => {
    if (i >= n || from > to) ctx.addIssue({ code: 'custom', path: ['outages', k], message: `names entry ${i} of ${n}, or ends before it starts` });
  });
}
export const DayColumnsSchema = z.strictObject(dayColumnsShape).superRefine(checkColumns);
export type DayColumns = z.output<typeof DayColumnsSchema>;

/** The newest record's fields every summary version has. */
const lastFields = {
  at: InstantSchema,
  ok: z.boolean(),
  ms: z.number().nonnegative(),
  target: z.string().max(600),
  /** Set when the newest record is a check that did not run, e.g. `no-password`; such records are not samples. */
  notRun: ProbeNotRunSchema.optional(),
};

/** Version 3 (issue 24): why the newest record failed or did not run, as typed problems. */
const SummaryLastSchema = z.strictObject({
  ...lastFields,
  /** As the record had them, e.g. `[{ kind: 'connect-refused', text: 'connection refused (hermes2.jabber.org:5222)' }]`; absent when it passed. */
  problems: z.array(ProbeProblemSchema).min(1).max(MAX_PROBLEMS).optional(),
});

/** Versions 1 and 2: one sentence, e.g. `connection refused (hermes2.jabber.org:5222)`. */
const SummaryLastV2Schema = z.strictObject({ ...lastFields, error: z.string().max(1000).optional() });

/** One (domain, check) pair of a summary; `last` is the one field whose form differs between versions. */
const summaryCheck = <Last extends z.ZodType>(last: Last) =>
  z.strictObject({
    /** e.g. `jabber.org` */
    domain: z.string().min(1).max(253),
    check: ProbeCheckSchema,
    /** Oldest day first; empty in a compact summary (v2), whose days are in `columns`. */
    days: z.array(SummaryDaySchema),
    /** The days as columns (`npm run probe:summary -- --compact`, issue 29): a fraction of the size, and no per-day objects for the build to hold. Each day is in `days` or here, never both. */
    columns: DayColumnsSchema.optional(),
    /**
     * The last 48 hours at full resolution: one slot per `step` seconds from
     * `from`; each slot is the slowest passing ms, -1 if any sample failed, or
     * no value when there was no sample. Written as `runs` of consecutive
     * slots with a sample, e.g. `[[0, [81, 80, -1]], [2875, [79]]]` (slot
     * offset, values), so a check probed once costs a few bytes, not 2,880
     * slots. Summaries from before issue 10 have `values`, one entry per slot
     * (null for none); both are read.
     */
    recent: z
      .union([
        z.strictObject({
          /** Start of slot 0, e.g. `2026-11-19T12:00:00Z`. */
          from: InstantSchema,
          /** Seconds per slot, e.g. `60`. */
          step: z.number().int().positive(),
          /** Runs of consecutive slots with a sample: [offset of the first slot, values]. */
          runs: z.array(z.tuple([z.number().int().nonnegative(), z.array(z.number().int().min(-1)).min(1)])),
        }),
        z.strictObject({
          from: InstantSchema,
          step: z.number().int().positive(),
          /** One entry per slot, null for none (the format before issue 10). */
          values: z.array(z.number().int().min(-1).nullable()),
        }),
      ])
      // Compact summaries (v2) leave it out: nothing the build shows reads it (issue 29).
      .optional(),
    /** Newest record of this check, e.g. `{ at: '2026-11-21T11:59:00Z', ok: true, ms: 81, target: 'hermes2.jabber.org:5222' }`. */
    last,
    /** Certificate facts from the newest record that had them. */
    cert: SummaryCertSchema.nullable(),
    /** Issue 30: the certificate at each target (a check with two SRV targets has two), e.g. `[{ target: 'hermes2.jabber.org:5222', … }]`; absent in older summaries. */
    certs: z.array(SummaryTargetCertSchema).max(64).optional(),
  });
const SummaryCheckSchema = summaryCheck(SummaryLastSchema);
export type SummaryCheck = z.output<typeof SummaryCheckSchema>;

/**
 * The summary format written (issue 24): version 3 carries typed problems
 * in `last`, for full and compact summaries alike (a compact one has its
 * days as `columns` and no `recent`). Before it, 1 was a full summary and 2
 * a compact one, each with an `error` sentence; both are still read.
 */
export const SUMMARY_VERSION = 3 as const;

/** The versions a build reads, for its message about any other, e.g. `1, 2 and 3`. */
export const SUMMARY_VERSIONS = [1, 2, SUMMARY_VERSION] as const;

const summaryFields = {
  /** What wrote it, e.g. `jabber-org-status probe:summary`. */
  generator: z.string().max(200),
  /** When it was written, e.g. `2026-11-21T12:00:05Z`; more than a few minutes ahead of the build's clock and the summary is refused. */
  generatedAt: InstantSchema,
  /** e.g. `ams` */
  vantage: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
};
const tooMany = { error: `holds more than ${MAX_SUMMARY_CHECKS} domain/check pairs; split it by domain` };

const ProbeSummaryV3Schema = z.strictObject({
  /** Format version; the build ignores (and names) versions it does not know. */
  v: z.literal(SUMMARY_VERSION),
  ...summaryFields,
  /** One entry per (domain, check) pair, at most `MAX_SUMMARY_CHECKS`. */
  checks: z.array(SummaryCheckSchema).max(MAX_SUMMARY_CHECKS, tooMany),
});
export type ProbeSummary = z.output<typeof ProbeSummaryV3Schema>;

/** Versions 1 and 2, read as version 3: each `last.error` sentence becomes problems (legacy-probe-formats.ts). */
const ProbeSummaryV2Schema = z
  .strictObject({
    v: z.union([z.literal(1), z.literal(2)]),
    ...summaryFields,
    checks: z.array(summaryCheck(SummaryLastV2Schema)).max(MAX_SUMMARY_CHECKS, tooMany),
  })
  .transform(({ v: _v, checks, ...s }): ProbeSummary => ({
    v: SUMMARY_VERSION,
    ...s,
    checks: checks.map(({ last: { error, ...last }, ...c }) => {
      const problems = problemsFromLegacyError(error, last.notRun);
      return { ...c, last: { ...last, ...(problems.length ? { problems } : {}) } };
    }),
  }));

/** A summary of any version this build reads; every reader sees version 3. */
export const ProbeSummarySchema = z.discriminatedUnion('v', [ProbeSummaryV3Schema, ProbeSummaryV2Schema]);

/** One location's days of one check, as columns. */
const HistorySeriesSchema = z
  .strictObject({
    /** Location that measured it, e.g. `ams`. */
    vantage: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
    /** e.g. `jabber.org` */
    domain: z.string().min(1).max(253),
    check: ProbeCheckSchema,
    ...dayColumnsShape,
  })
  .superRefine(checkColumns);
export type HistorySeries = z.output<typeof HistorySeriesSchema>;

/** The history file: `history/<scope>.json.gz` on the build host and on the published site. */
export const HistoryFileSchema = z.strictObject({
  /** Format version; a build refuses versions it does not know, naming them. */
  v: z.literal(1),
  /** What wrote it, e.g. `jabber-org-status history`. */
  generator: z.string().max(200),
  /** The newest summary time appended, e.g. `2026-11-21T12:00:05Z`. */
  updatedAt: InstantSchema,
  /** One entry per (location, domain, check). */
  series: z.array(HistorySeriesSchema),
});
export type HistoryFile = z.output<typeof HistoryFileSchema>;
