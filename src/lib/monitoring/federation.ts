/**
 * Federation, server by server (issue 17): "can I talk to my friend on that
 * server?". The logged-in probe pings each remote server over federation
 * (XEP-0199) and writes one `federation` record per server; the summary
 * keys those records by the remote server (`domain` = the remote server,
 * see probe-summary.ts). This module reads them across locations with the
 * site's quorum, per remote server, and decides what they say about
 * jabber.org's own federation. Pure: summaries, lists and `now` in.
 *
 * A remote server that refuses federation is that server's fact, not an
 * outage of jabber.org: only when most remote servers fail at once does the
 * federation component count as down (`federationRule`).
 */
import type { Directory } from '../content/content.ts';
import type { ProbeSummary } from '../schemas.ts';
import { formatUtc } from '../shared/time.ts';
import { parseInstant } from './instant.ts';
import { currentRunStart } from './intervals.ts';
import { MAX_CLOCK_SKEW_MS } from './limits.ts';
import { median } from './median.ts';
import { mergeComponents, type ComponentMonitoring } from './merge-probes.ts';
import { readerSafe } from './reader-text.ts';

/**
 * Every remote server the `federation` check pings: the configured large
 * public servers, then each directory service not withdrawn by `today`, in
 * that order, without duplicates and without the probed domain itself.
 * @param servers `probes.federation.servers` of content/site.yaml, e.g. `['xmpp.org']`
 * @param today e.g. `2026-11-21`
 * @param own the probed domain, e.g. `jabber.org`
 */
export function federationDomains(servers: readonly string[], directory: Directory | undefined, today: string, own: string): string[] {
  const all = [
    ...servers,
    ...(directory?.config.federation ?? []),
    ...(directory?.services ?? []).filter((s) => !s.withdrawn || s.withdrawn > today).map((s) => s.domain),
  ];
  return [...new Set(all.map((d) => d.toLowerCase()))].filter((d) => d !== own.toLowerCase());
}

/** One remote server as readers see it. */
export interface RemoteServer {
  /** e.g. `xmpp.org` */
  domain: string;
  /** `yes`: reachable now (no quorum of locations fails); `no`: a quorum fails; `unknown`: no fresh result. */
  reachable: 'yes' | 'no' | 'unknown';
  /**
   * Since when it has been in that state, ISO, e.g. `2026-11-20T06:00:00Z`:
   * the end of the last quorum failure (or the start of the data when there
   * was none, with `sinceDataStart`), or the start of the current failure.
   * Null when unknown.
   */
  since: string | null;
  /** True when `since` is only where the data begins: reachable at least since then. */
  sinceDataStart: boolean;
  /** Median round trip of the fresh passing pings across locations, in ms, e.g. `84`; null without any. */
  latencyMs: number | null;
  /** The newest error any location saw, e.g. `ping to x.org failed: remote-server-not-found`, and when; null when no location's newest ping failed. */
  lastError: { at: string; vantage: string; error: string } | null;
  /** e.g. `1 of 3 locations (nyc) sees failures`, when some but not a quorum fail. */
  note?: string;
  /** Locations with a fresh result. */
  reporting: number;
  /** True when any location has ever pinged it in the 90-day window. */
  hasData: boolean;
}

export interface FederationOptions {
  now: Date;
  /** Seconds between probe runs, e.g. `60`. */
  intervalSeconds: number;
  /** Share of reporting locations that must fail, strictly more than it, e.g. `0.5`. */
  quorum: number;
}

/**
 * Each remote server's reachability across locations, in the order given.
 * @param domains from `federationDomains`
 */
export function federationView(summaries: readonly ProbeSummary[], domains: readonly string[], options: FederationOptions): RemoteServer[] {
  const mapping = new Map(domains.map((d) => [d, [{ domain: d, check: 'federation' as const }]]));
  // One merge and one quorum per remote server: the verdict, the latest
  // results and the failure history all come from it.
  const merged = mergeComponents(summaries, mapping, options);
  const now = options.now.getTime();
  const intervalMs = options.intervalSeconds * 1000;
  return domains.map((domain) => {
    const { monitoring: m, quorum, vantagesWithData } = merged.get(domain)!;
    const down = quorum.downList;
    const reachable = m.verdict === 'up' ? 'yes' : m.verdict === 'down' ? 'no' : 'unknown';
    let since: string | null = null;
    let sinceDataStart = false;
    const lastDown = down[down.length - 1];
    if (reachable === 'no') {
      // The current failure began where the last quorum failure run began
      // (day summaries cut a long failure at midnight: pieces closer than two
      // intervals are one run); with no quorum failure that recent, as far as `latest` tells.
      const start = currentRunStart(down, now, 2 * intervalMs);
      since = start !== undefined ? new Date(start).toISOString() : newestFailureStart(m);
    } else if (reachable === 'yes') {
      if (lastDown) since = new Date(lastDown.end).toISOString();
      else if (quorum.coveredList[0]) {
        since = new Date(quorum.coveredList[0].start).toISOString();
        sinceDataStart = true;
      }
    }
    const fresh = m.latest.filter((l) => !l.stale);
    const okMs = fresh.filter((l) => l.ok).map((l) => l.ms);
    // A ping that did not run (the probe's login failed) is no failure of the remote server.
    const failed = m.latest
      .filter((l) => !l.ok && !l.notRun && !l.ahead && now - parseInstant(l.at) <= 2 * intervalMs + MAX_CLOCK_SKEW_MS)
      .sort((a, b) => b.at.localeCompare(a.at))[0];
    return {
      domain,
      reachable,
      since,
      sinceDataStart,
      latencyMs: okMs.length ? Math.round(median(okMs)) : null,
      lastError: failed?.error ? { at: failed.at, vantage: failed.vantage, error: readerSafe(failed.error) } : null,
      ...(m.note ? { note: m.note } : {}),
      reporting: m.reporting,
      hasData: vantagesWithData > 0,
    };
  });
}

/** The oldest newest-failure among locations: when the current failure was first seen, as far as `latest` tells. */
function newestFailureStart(m: ComponentMonitoring): string | null {
  const failing = m.latest
    .filter((l) => !l.ok && !l.notRun && !l.stale)
    .map((l) => l.at)
    .sort();
  return failing[0] ?? null;
}

/** What the remote servers together say about our own federation. */
export interface FederationVerdict {
  /** `down` only when more than half of the remote servers with a known state are unreachable at once. */
  verdict: 'up' | 'down' | 'unknown';
  /** e.g. `2 of 6 remote servers unreachable (a.org, b.org): their fact, not an outage here`. */
  note?: string;
  failing: number;
  known: number;
}

/**
 * The rule: one remote server that refuses federation is that server's
 * fact; jabber.org's federation is down only when MORE than half of the
 * remote servers whose state is known fail at once. With fewer than
 * `minServers` known (default 3) the remote servers cannot tell us apart
 * from them, so the verdict is `unknown`.
 */
export function federationRule(servers: readonly Pick<RemoteServer, 'domain' | 'reachable'>[], minServers = 3): FederationVerdict {
  const known = servers.filter((s) => s.reachable !== 'unknown');
  const failing = known.filter((s) => s.reachable === 'no');
  const names = failing.map((s) => s.domain).join(', ');
  const count = `${failing.length} of ${known.length} remote server${known.length === 1 ? '' : 's'} unreachable over federation (${names})`;
  if (known.length < minServers) {
    return { verdict: 'unknown', failing: failing.length, known: known.length, ...(failing.length ? { note: count } : {}) };
  }
  if (failing.length > known.length / 2)
    return { verdict: 'down', note: `${count}: most fail at once, so federation from here is down`, failing: failing.length, known: known.length };
  return { verdict: 'up', failing: failing.length, known: known.length, ...(failing.length ? { note: `${count}: their fact, not an outage here` } : {}) };
}

/**
 * The federation component's monitoring with the rule applied, through the
 * one status path (computeStatus still puts incidents, then maintenance,
 * first): a `down` from the rule makes the verdict `down`; otherwise the
 * component keeps what its own checks (e.g. s2s-starttls) measured, with the
 * rule's note added. Without its own monitoring, a known rule verdict is
 * not turned into a component result: the page still lists the servers.
 */
export function applyFederationRule(monitoring: ComponentMonitoring | undefined, rule: FederationVerdict): ComponentMonitoring | undefined {
  if (!monitoring) return undefined;
  const note = [monitoring.note, rule.note].filter(Boolean).join('; ');
  const verdict = rule.verdict === 'down' && monitoring.verdict !== 'unknown' ? 'down' : monitoring.verdict;
  return { ...monitoring, verdict, ...(note ? { note } : {}) };
}

/** Words for `reachable`, shown next to (never instead of) the colour. */
export const REACHABLE_WORDS: Record<RemoteServer['reachable'], { label: string; className: string }> = {
  yes: { label: 'Reachable', className: 'state-operational' },
  no: { label: 'Not reachable', className: 'state-major-outage' },
  unknown: { label: 'Unknown', className: 'state-unknown' },
};

/** When a remote server's state began, in words, e.g. `since 2026-11-19 08:15 UTC` or `at least since 2026-08-23 00:00 UTC`. */
export function sinceWords(server: Pick<RemoteServer, 'since' | 'sinceDataStart'>): string {
  if (!server.since) return '';
  return `${sincePrefix(server)} ${formatUtc(new Date(server.since))}`;
}

/** `since`, or `at least since` when the state goes back to the start of the data. */
export const sincePrefix = (server: Pick<RemoteServer, 'sinceDataStart'>) => (server.sinceDataStart ? 'at least since' : 'since');

/**
 * The service page's line, e.g. `Federates with jabber.org: yes (since 2026-11-03 14:45 UTC)`;
 * undefined when the probe has no data on this service.
 * @param own e.g. `jabber.org`
 */
export function federatesLine(server: RemoteServer | undefined, own: string): string | undefined {
  if (!server?.hasData) return undefined;
  const answer = server.reachable === 'yes' ? 'yes' : server.reachable === 'no' ? 'no' : 'unknown';
  const since = sinceWords(server);
  return `Federates with ${own}: ${answer}${since ? ` (${since})` : ''}`;
}
