/**
 * 400 days of raw probe records from three locations, and the summaries a
 * probe host would publish from them, for the history tests (issue 29).
 * Everything goes through the real schemas.
 * - `fra` is down (no records at all) for 11 days: a gap;
 * - `nyc` dies on day 300 and never comes back;
 * - everyone fails together now and then (a real outage), and each
 *   location fails alone now and then (its own network: not an outage).
 */
import { SummaryBuilder } from '../../src/lib/monitoring/probe-summary.ts';
import { ProbeRecordSchema, ProbeSummarySchema, type ProbeRecord, type ProbeSummary } from '../../src/lib/schemas.ts';

export const DAY = 86_400_000;
/** Seconds between samples: 96 a day keeps 400 days × 3 locations quick. */
export const INTERVAL = 900;
export const START = Date.parse('2025-10-01T00:00:00Z');
export const DAYS = 400;
export const END = START + DAYS * DAY;
export const VANTAGES = ['ams', 'fra', 'nyc'] as const;

export function rawRecords(): ProbeRecord[] {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const globalDown = new Set<number>();
  for (let t = START; t < END; t += INTERVAL * 1000) if (random() < 0.004) for (let k = 0; k < 4; k++) globalDown.add(t + k * INTERVAL * 1000);
  const records: ProbeRecord[] = [];
  for (const vantage of VANTAGES) {
    for (let t = START; t < END; t += INTERVAL * 1000) {
      const day = Math.floor((t - START) / DAY);
      if (vantage === 'fra' && day >= 120 && day <= 130) continue;
      if (vantage === 'nyc' && day >= 300) continue;
      const ok = !globalDown.has(t) && random() > 0.01;
      records.push(
        ProbeRecordSchema.parse({
          v: 1,
          at: new Date(t + 7000).toISOString(),
          vantage,
          domain: 'jabber.org',
          check: 'c2s-starttls',
          target: 'hermes2.jabber.org:5222',
          ok,
          ms: 60 + Math.round(random() * 50),
          attempts: 1,
          detail: {},
          ...(ok ? {} : { error: 'connection refused' }),
        }),
      );
    }
  }
  return records;
}

/** What `npm run probe:summary` on a probe host would publish at `now` (the last 90 days), through the schema the build uses; null when the location has nothing. */
export function summaryAt(records: readonly ProbeRecord[], vantage: string, now: number): ProbeSummary | null {
  const builder = new SummaryBuilder(vantage, new Date(now));
  let any = false;
  for (const r of records) {
    if (r.vantage !== vantage) continue;
    const at = Date.parse(r.at);
    if (at > now || at < now - 91 * DAY) continue;
    any = builder.add(r) === 'added' || any;
  }
  return any ? ProbeSummarySchema.parse(JSON.parse(JSON.stringify(builder.finish()))) : null;
}

/** Every record of each location in one summary with no window: the direct computation's input. */
export function wholeSummaries(records: readonly ProbeRecord[], now: Date): ProbeSummary[] {
  return VANTAGES.map((v) => {
    const b = new SummaryBuilder(v, now, { allDays: true });
    for (const r of records) b.add(r);
    return b.finish();
  });
}
