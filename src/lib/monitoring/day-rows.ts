/**
 * One day of one check in numbers (`DayRow`), and its column form
 * (`DayColumns`, issue 29): how the history store keeps days, and how a
 * compact summary carries them. Columns compress well (gzip finds the
 * repetition in each field) and are read without one object per day.
 */
import type { DayColumns, SummaryCheck, SummaryDay } from '../schemas.ts';
import { DAY_MS, isoDay, parseInstant } from './instant.ts';

export interface DayRow {
  /** Days since 1970-01-01 (UTC), e.g. 20413 for 2025-11-21. */
  day: number;
  samples: number;
  ok: number;
  /** First and last sample, seconds after UTC midnight. */
  first: number;
  last: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Flat [start, end, start, end, …] seconds after UTC midnight. */
  outages: readonly number[];
}

const NO_OUTAGES: readonly number[] = Object.freeze([]);

/** e.g. `dayNumber('2025-11-21')` → 20413; NaN for anything that is not a date. */
export function dayNumber(date: string): number {
  const t = parseInstant(`${date}T00:00:00Z`);
  return Number.isFinite(t) ? Math.floor(t / DAY_MS) : NaN;
}

/** e.g. `dateOf(20413)` → `2025-11-21` */
export const dateOf = (day: number) => isoDay(day * DAY_MS);

/**
 * A summary day as a row, every instant clamped to its own day (as the
 * merge reads it); null for a day without samples or without a real date.
 */
export function rowFromDay(d: SummaryDay): DayRow | null {
  const day = dayNumber(d.date);
  if (d.samples === 0 || !Number.isFinite(day)) return null;
  const start = day * DAY_MS;
  const second = (iso: string) => {
    const t = parseInstant(iso);
    return Number.isFinite(t) ? Math.min(86_400, Math.max(0, Math.round((t - start) / 1000))) : 0;
  };
  const outages: number[] = [];
  for (const [from, to] of d.outages) {
    const s = second(from);
    outages.push(s, Math.max(s, second(to)));
  }
  return {
    day,
    samples: d.samples,
    ok: Math.min(d.ok, d.samples),
    first: second(d.first),
    last: Math.max(second(d.first), second(d.last)),
    p50: d.p50,
    p95: d.p95,
    p99: d.p99,
    outages: outages.length ? outages : NO_OUTAGES,
  };
}

/** Rows (sorted by day, one per day, at least one) as columns. */
export function rowsToColumns(rows: readonly DayRow[]): DayColumns {
  const out: DayColumns = { from: dateOf(rows[0]!.day), step: [], samples: [], ok: [], first: [], last: [], p50: [], p95: [], p99: [], outages: [] };
  let previous = rows[0]!.day;
  rows.forEach((r, i) => {
    out.step.push(r.day - previous);
    previous = r.day;
    out.samples.push(r.samples);
    out.ok.push(r.ok);
    out.first.push(r.first);
    out.last.push(r.last);
    out.p50.push(r.p50);
    out.p95.push(r.p95);
    out.p99.push(r.p99);
    for (let k = 0; k + 1 < r.outages.length; k += 2) out.outages.push([i, r.outages[k]!, r.outages[k + 1]!]);
  });
  return out;
}

/** Columns (validated by `DayColumnsSchema`) as rows, one at a time. */
export function* columnRows(c: DayColumns): Generator<DayRow> {
  const outagesOf = new Map<number, number[]>();
  for (const [i, from, to] of c.outages) {
    const list = outagesOf.get(i) ?? [];
    list.push(from, to);
    outagesOf.set(i, list);
  }
  let day = dayNumber(c.from);
  for (let i = 0; i < c.step.length; i++) {
    day += c.step[i]!;
    yield {
      day,
      samples: c.samples[i]!,
      ok: Math.min(c.ok[i]!, c.samples[i]!),
      first: c.first[i]!,
      last: Math.max(c.first[i]!, c.last[i]!),
      p50: c.p50[i]!,
      p95: c.p95[i]!,
      p99: c.p99[i]!,
      outages: outagesOf.get(i) ?? NO_OUTAGES,
    };
  }
}

/** Every day of a summary's check with samples, from `days` and `columns` alike. */
export function* checkRows(check: SummaryCheck): Generator<DayRow> {
  for (const d of check.days) {
    const row = rowFromDay(d);
    if (row) yield row;
  }
  if (check.columns) yield* columnRows(check.columns);
}
