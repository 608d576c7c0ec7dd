/**
 * SRV records for XMPP (RFC 6120 §3.2, RFC 2782, XEP-0368): ordering, the
 * "service not offered" target, and the fallback to the domain itself.
 */

export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

export interface ConnectTarget {
  /** Host to connect to, e.g. `hermes2.jabber.org`. */
  host: string;
  port: number;
}

export type SrvPlan =
  { kind: 'srv'; targets: ConnectTarget[] } | { kind: 'fallback'; targets: ConnectTarget[] } | { kind: 'not-offered' } | { kind: 'dns-error'; error: string };

/**
 * Orders records as RFC 2782 says: by priority, and within a priority by a
 * weighted random draw (weight 0 records rarely first). `random` is injected
 * so the order is testable.
 * @param random returns a number in [0, 1), e.g. `Math.random`
 */
export function orderSrvRecords(records: readonly SrvRecord[], random: () => number): SrvRecord[] {
  const byPriority = new Map<number, SrvRecord[]>();
  for (const r of records) {
    const list = byPriority.get(r.priority) ?? [];
    list.push(r);
    byPriority.set(r.priority, list);
  }
  const out: SrvRecord[] = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) {
    // Zero-weight records go first in the running sum, per the RFC.
    const pool = [...byPriority.get(priority)!].sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
    while (pool.length > 0) {
      const total = pool.reduce((sum, r) => sum + r.weight, 0);
      const pick = random() * (total + 1);
      let running = 0;
      let index = pool.length - 1;
      for (let i = 0; i < pool.length; i++) {
        running += pool[i]!.weight;
        if (running >= pick) {
          index = i;
          break;
        }
      }
      out.push(pool.splice(index, 1)[0]!);
    }
  }
  return out;
}

/** A lone record whose target is `.` (Node reports `''`) means "deliberately not offered". */
export function isNotOffered(records: readonly SrvRecord[]): boolean {
  return records.length === 1 && (records[0]!.name === '' || records[0]!.name === '.');
}

/**
 * Targets tried per service. A zone can publish any number of SRV records;
 * beyond this the probe would open that many connections at once for one
 * domain (issue 22: 150 targets meant 150 parallel connections). Real
 * services publish one to four.
 */
export const MAX_SRV_TARGETS = 8;

/**
 * Decides where to connect from an SRV lookup's outcome: at most
 * MAX_SRV_TARGETS targets, the first ones in RFC 2782 order.
 * @param lookup the records, or the DNS error code (e.g. `ENOTFOUND`)
 * @param fallbackPort used only when no SRV record exists, e.g. `5222`
 */
export function planSrvTargets(domain: string, lookup: SrvRecord[] | { code: string }, fallbackPort: number, random: () => number): SrvPlan {
  if (!Array.isArray(lookup)) {
    // "No such records" means: use the domain itself. Any other error is a DNS failure
    // and must not silently fall back (RFC 6120 §3.2.1).
    if (lookup.code === 'ENOTFOUND' || lookup.code === 'ENODATA') {
      return { kind: 'fallback', targets: [{ host: domain, port: fallbackPort }] };
    }
    return { kind: 'dns-error', error: lookup.code };
  }
  if (lookup.length === 0) return { kind: 'fallback', targets: [{ host: domain, port: fallbackPort }] };
  if (isNotOffered(lookup)) return { kind: 'not-offered' };
  return {
    kind: 'srv',
    targets: orderSrvRecords(lookup, random)
      .slice(0, MAX_SRV_TARGETS)
      .map((r) => ({ host: r.name.replace(/\.$/, ''), port: r.port })),
  };
}
