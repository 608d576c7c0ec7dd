/**
 * Building blocks
 */
import { z } from 'astro/zod';
import { isCalendarDate, parseOffsetTimestamp } from '../shared/time.ts';
import { quoteShort } from '../shared/text.ts';

/**
 * An instant written with an explicit UTC offset. A zone-less time is
 * ambiguous (cState #220, NuGet #9428), so it is rejected rather than guessed.
 */
export const TimestampSchema = z
  .string({ error: 'must be a timestamp such as 2026-11-03T08:12:00Z (quote it if it is not text)' })
  .superRefine((value, ctx) => {
    const parsed = parseOffsetTimestamp(value);
    if ('date' in parsed) return;
    if (parsed.error === 'format') {
      const hasTime = /\d{2}:\d{2}/.test(value);
      ctx.addIssue({
        code: 'custom',
        message: hasTime
          ? `${quoteShort(value)} has no UTC offset. Write it like 2026-11-03T08:12:00Z or 2026-11-03T09:12:00+01:00`
          : `${quoteShort(value)} is not a timestamp. Write it like 2026-11-03T08:12:00Z`,
      });
    } else ctx.addIssue({ code: 'custom', message: `${quoteShort(value)} ${parsed.error}` });
  })
  // A refused value still becomes a (NaN) Date, so that checks across a list
  // (timeline order) run and report their own problems in the same pass.
  .transform((value) => {
    const parsed = parseOffsetTimestamp(value);
    return 'date' in parsed ? parsed.date : new Date(Number.NaN);
  });

/**
 * An absolute web address a reader may click: http or https only, never
 * `javascript:` or `data:`, e.g. `https://www.jabber.org/`.
 */
export const HttpUrlSchema = z.url({
  protocol: /^https?$/,
  error: 'must be an absolute http(s) address such as https://www.jabber.org/ (other schemes are refused)',
});

/**
 * When the next update is promised: a timestamp with an offset, or a
 * duration after the update it is written on (`30m`, `2h`, `1h30m`, `1d`).
 * Parsed to `{ at }` or `{ afterMs }`; the content model turns it into an instant.
 */
export const NextUpdateSchema = z
  .string({ error: 'must be a time such as 2026-11-09T08:00:00Z or a duration such as 2h or 30m' })
  .transform((value, ctx): { at: Date } | { afterMs: number } => {
    const duration = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(value.trim());
    if (duration && value.trim() !== '') {
      const [, d, h, m] = duration;
      const ms = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * 60_000;
      if (ms > 0 && ms <= 7 * 86_400_000) return { afterMs: ms };
      ctx.addIssue({ code: 'custom', message: `${quoteShort(value)} must be between 1 minute and 7 days` });
      return z.NEVER;
    }
    const parsed = parseOffsetTimestamp(value);
    if ('date' in parsed) return { at: parsed.date };
    ctx.addIssue({ code: 'custom', message: `${quoteShort(value)} is neither a time with an offset (2026-11-09T08:00:00Z) nor a duration (2h, 30m, 1h30m)` });
    return z.NEVER;
  });

/** Lower-case identifier used in URLs and cross-references, e.g. `c2s`. */
export const IdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be lower-case letters, digits and dashes, e.g. "c2s-directtls"' });

/** A calendar date, e.g. `2026-11-20`. */
export const DateStringSchema = z
  .string({ error: 'must be a date such as 2026-11-20' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date such as 2026-11-20' })
  .refine(isCalendarDate, { error: 'is not a real calendar date' });
