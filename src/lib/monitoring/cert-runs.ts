/**
 * Which certificate one location saw at each target of a check, as the
 * summary carries it (issue 30, `SummaryTargetCertSchema`): the newest
 * certificate, the unbroken run of records that had it (`since`, `streak`),
 * the certificate before that run, and every certificate seen lately.
 *
 * Streaming like the rest of the summary: a few facts per target, never the
 * records. Records normally arrive oldest first (day files in order); a
 * record older than the current run's newest cannot change the run and only
 * counts as "seen", so a late file never invents a change.
 */
import { MAX_SEEN_CERTS, type CertFacts, type DaneFacts, type SummaryCert, type SummaryTargetCert } from '../schemas.ts';
import { toIsoUtc } from '../shared/time.ts';

/** Most return times kept per target; a load balancer switching every minute still shows as thousands of returns only up to this. */
export const MAX_RETURNS = 3000;

/** Most targets per check kept (the schema's cap); a check with more SRV targets keeps the first ones seen. */
export const MAX_CERT_TARGETS = 64;

interface Run {
  facts: CertFacts;
  /** The TLSA comparison of the newest record of the run, when the probe made one. */
  dane?: DaneFacts;
  since: number;
  last: number;
  streak: number;
}

interface TargetState {
  run: Run;
  previous: { facts: CertFacts; until: number } | null;
  /** Fingerprint → last time seen. */
  seen: Map<string, number>;
  /** When the run went back to a certificate already seen here (newest kept): alternation, not a change. */
  returns: number[];
}

const iso = (ms: number) => toIsoUtc(new Date(ms));

export class CertRunTracker {
  private readonly targets = new Map<string, TargetState>();

  get size(): number {
    return this.targets.size;
  }

  /** One record's certificate at `target`, at `at` (ms). */
  add(target: string, at: number, facts: CertFacts, dane?: DaneFacts): void {
    let state = this.targets.get(target);
    if (!state) {
      if (this.targets.size >= MAX_CERT_TARGETS) return;
      this.targets.set(target, {
        run: { facts, ...(dane ? { dane } : {}), since: at, last: at, streak: 1 },
        previous: null,
        seen: new Map([[facts.fingerprint256, at]]),
        returns: [],
      });
      return;
    }
    const seenAt = state.seen.get(facts.fingerprint256);
    if (seenAt === undefined || at > seenAt) state.seen.set(facts.fingerprint256, at);
    const wasSeen = seenAt !== undefined;
    if (state.seen.size > MAX_SEEN_CERTS * 4) this.trimSeen(state);
    const run = state.run;
    if (at < run.last) return; // a late record: seen, but it cannot change the run
    if (facts.fingerprint256 === run.facts.fingerprint256) {
      if (at > run.last) run.streak += 1;
      run.last = at;
      run.facts = facts;
      if (dane) run.dane = dane;
      else delete run.dane;
      return;
    }
    state.previous = { facts: run.facts, until: run.last };
    state.run = { facts, ...(dane ? { dane } : {}), since: at, last: at, streak: 1 };
    if (wasSeen) {
      state.returns.push(at);
      if (state.returns.length > MAX_RETURNS) state.returns.splice(0, state.returns.length - MAX_RETURNS);
    }
  }

  /** Keeps the newest seen fingerprints only, so a hostile log cannot grow the map. */
  private trimSeen(state: TargetState): void {
    const newest = [...state.seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_SEEN_CERTS);
    state.seen = new Map(newest);
  }

  /**
   * The per-target facts, sorted by target.
   * @param seenFrom only certificates seen at or after this instant (ms) are listed in `seen`, e.g. 48 hours before the summary
   * @param toCert turns record facts into summary facts (dates checked)
   */
  finish(seenFrom: number, toCert: (facts: CertFacts) => SummaryCert): SummaryTargetCert[] {
    return [...this.targets.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([target, state]) => ({
        target,
        at: iso(state.run.last),
        cert: toCert(state.run.facts),
        since: iso(state.run.since),
        streak: state.run.streak,
        previous: state.previous ? { cert: toCert(state.previous.facts), until: iso(state.previous.until) } : null,
        seen: [...state.seen.entries()]
          .filter(([, t]) => t >= seenFrom)
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, MAX_SEEN_CERTS)
          .map(([fp, t]): [string, string] => [fp, iso(t)]),
        returns: state.returns.filter((t) => t >= seenFrom).length,
        ...(state.run.dane ? { dane: state.run.dane } : {}),
      }));
  }
}
