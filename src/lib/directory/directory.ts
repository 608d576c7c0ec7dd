/**
 * The whole directory at one instant: for every service its checklist
 * (policy.ts over the newest fresh results), its state and every state
 * change (service-state.ts), its uptime history (the same merge, quorum
 * and uptime rules as jabber.org's own components) and the certificates
 * seen. Pure: content, summaries and `now` in; the build (src/data.ts),
 * the pages, `/api/services.json` and the feed all read this one result.
 */
import type { Directory, Service } from '../content/content.ts';
import type { ProbeCheck, ProbeSummary, ServiceState } from '../schemas.ts';
import { MAX_CLOCK_SKEW_MS, windowStart } from '../monitoring/limits.ts';
import { DAY_MS, parseInstant } from '../monitoring/instant.ts';
import { currentRunStart, IntervalIndex, mergeIntervals, type Interval } from '../monitoring/intervals.ts';
import { mergeComponents, type ComponentMonitoring } from '../monitoring/merge-probes.ts';
import { quorumDowntime, vantageTimeline } from '../monitoring/quorum.ts';
import { dayVerdicts, type DayVerdict } from '../status/day-verdicts.ts';
import { combineByVantage, indexByDomain, observationsFromSummaries } from './evidence.ts';
import { evaluatePolicy, failingItems, POLICY_ITEMS, type ItemResult, type Observation, type PolicyItemId, type UptimeFacts } from './policy.ts';
import { deriveServiceState, testingEnd, type FailingItem, type ServiceStatus } from './service-state.ts';

/** The check whose samples measure uptime (item 7): clients connecting, as for jabber.org's own `c2s`. */
export const UPTIME_CHECK: ProbeCheck = 'c2s-starttls';

/**
 * Items whose history comes from their checks' failures. TLS is judged
 * only now, from the certificate: a summary's failure history cannot tell
 * a certificate problem from a refused connection, which items 2 and 3 own.
 */
const HISTORY_ITEMS: readonly PolicyItemId[] = ['c2s', 's2s', 'website', 'registration', 'addons', 'administrator'];

export interface CertificateSeen {
  check: ProbeCheck;
  vantage: string;
  at: string;
  issuer: string;
  validTo: string | null;
  daysLeft: number | null;
  trusted: boolean;
  identity: string | null;
}

export interface ServiceEntry {
  service: Service;
  status: ServiceStatus;
  checklist: ItemResult[];
  /** Uptime, day bars, monthly figures and the latest result per location for the uptime check; undefined without data. */
  monitoring: ComponentMonitoring | undefined;
  /** The newest certificate per TLS check and location. */
  certificates: CertificateSeen[];
  /** The last 90 days of the uptime check, as the components' day history shows them. */
  days: DayVerdict[];
}

export interface DirectoryView {
  now: Date;
  entries: ServiceEntry[];
  /** Locations the directory's data came from. */
  locations: string[];
  sample: boolean;
}

export interface DirectoryOptions {
  now: Date;
  /** Quorum of jabber.org's own components (content/site.yaml `probes.quorum`), e.g. `0.5`. */
  quorum: number;
  /** Ports item 4 accepts; `[80, 443]` except on a loopback test rig. */
  webPorts?: readonly number[];
  /** True when every source is sample data. */
  sample?: boolean;
}

/** The instant the 30-day downtime first exceeded the budget, or undefined. */
function uptimeBreach(down: readonly Interval[], covered: IntervalIndex, now: number, target: number): number | undefined {
  const from = now - 30 * DAY_MS;
  const budget = covered.measure(from, now) * (1 - target / 100);
  let used = 0;
  for (const i of down) {
    const s = Math.max(i.start, from);
    const e = Math.min(i.end, now);
    if (e <= s) continue;
    if (used + (e - s) > budget) return s + (budget - used);
    used += e - s;
  }
  return undefined;
}

function certificatesOf(observations: readonly Observation[]): CertificateSeen[] {
  return observations
    .filter((o) => o.cert && (o.check === 'c2s-starttls' || o.check === 'c2s-directtls' || o.check === 's2s-starttls'))
    .map((o) => ({ check: o.check, vantage: o.vantage, at: o.at, ...o.cert! }))
    .sort((a, b) => a.check.localeCompare(b.check) || a.vantage.localeCompare(b.vantage));
}

/**
 * @param summaries every directory summary that could be read, any order; files of one location are joined
 */
export function buildDirectoryView(directory: Directory, summaries: readonly ProbeSummary[], options: DirectoryOptions): DirectoryView {
  const now = options.now.getTime();
  const { config } = directory;
  const intervalMs = config.intervalSeconds * 1000;
  const windowFrom = windowStart(now);
  const joined = combineByVantage(summaries);
  const byDomain = indexByDomain(joined);
  // One merge for every service's uptime check: the same code as the
  // components'; its quorum result is also the service's covered time.
  const merged = mergeComponents(joined, new Map(directory.services.map((s) => [s.domain, [{ domain: s.domain, check: UPTIME_CHECK }]])), {
    now: options.now,
    intervalSeconds: config.intervalSeconds,
    quorum: options.quorum,
    slaTarget: config.uptimeTarget,
  });

  const entries = directory.services.map((service): ServiceEntry => {
    const checks = byDomain.get(service.domain) ?? [];
    const vantages = [...new Set(checks.map((c) => c.vantage))].sort();
    const quorumOf = (wanted: readonly ProbeCheck[]) =>
      quorumDowntime(
        vantages.map((v) =>
          vantageTimeline(
            checks.filter((c) => c.vantage === v && wanted.includes(c.check.check)).map((c) => c.check),
            intervalMs,
            windowFrom,
            now,
          ),
        ),
        options.quorum,
      );
    const uptimeRuns = merged.get(service.domain)!.quorum;
    const covered = uptimeRuns.coveredList;
    const applied = parseInstant(`${service.applied}T00:00:00Z`);
    const ended = applied + config.testingDays * DAY_MS <= windowFrom ? applied + config.testingDays * DAY_MS : testingEnd(covered, config.testingDays);
    const m = merged.get(service.domain)?.monitoring;
    const uptime: UptimeFacts =
      ended === null || ended > now
        ? { kind: 'testing', dataDays: Math.floor(uptimeRuns.covered.measure(-Infinity, now) / DAY_MS), testingDays: config.testingDays }
        : { kind: 'measured', uptime30: m?.uptime['30d'] ?? null, target: config.uptimeTarget, locations: vantages.length };
    const observations = observationsFromSummaries(checks, options.now, 2 * intervalMs, MAX_CLOCK_SKEW_MS);
    const checklist = evaluatePolicy({
      domain: service.domain,
      declared: service,
      observations,
      uptime,
      quorum: options.quorum,
      ...(options.webPorts ? { webPorts: options.webPorts } : {}),
    });

    const itemDown = new Map<PolicyItemId, Interval[]>();
    const downOf = new Map<PolicyItemId, Interval[]>();
    for (const item of POLICY_ITEMS) {
      if (item.checks.length === 0 || item.id === 'uptime') continue;
      // Pieces less than two intervals apart are one failure, cut at midnight by the summaries.
      const down = mergeIntervals(quorumOf(item.checks).down, 2 * intervalMs);
      downOf.set(item.id, down);
      if (HISTORY_ITEMS.includes(item.id)) itemDown.set(item.id, down);
    }
    const firstData = covered[0]?.start ?? now;
    const coveredIndex = uptimeRuns.covered;
    const breach = uptime.kind === 'measured' ? uptimeBreach(uptimeRuns.downList, coveredIndex, now, config.uptimeTarget) : undefined;
    if (breach !== undefined) itemDown.set('uptime', [{ start: breach, end: now }]);
    // Since when each failing item fails: its checks' current failure run;
    // a service that never offered something (a "." SRV target gives no
    // samples) fails it since its first data.
    const failingNow: FailingItem[] = failingItems(checklist).map((r) => ({
      id: r.id,
      since: r.id === 'uptime' ? (breach ?? now) : (currentRunStart(downOf.get(r.id) ?? [], now, 2 * intervalMs) ?? firstData),
    }));
    const status = deriveServiceState(
      {
        applied: service.applied,
        ...(service.withdrawn ? { withdrawn: service.withdrawn } : {}),
        testingDays: config.testingDays,
        graceDays: config.graceDays,
        covered,
        itemDown,
        failingNow,
        windowFrom,
      },
      now,
    );
    const days = dayVerdicts({
      componentId: service.domain,
      incidents: [],
      maintenance: [],
      ...(m ? { measured: m.days } : {}),
      target: config.uptimeTarget,
      now: options.now,
      days: 90,
    });
    return { service, status, checklist, monitoring: m, certificates: certificatesOf(observations), days };
  });
  return { now: options.now, entries, locations: joined.map((s) => s.vantage), sample: options.sample ?? false };
}

/** The order readers choose from: listed first, then testing, failing and withdrawn; by name within each. */
export const STATE_ORDER: Record<ServiceState, number> = { listed: 0, testing: 1, failing: 2, withdrawn: 3 };

export function sortEntries(entries: readonly ServiceEntry[]): ServiceEntry[] {
  return [...entries].sort(
    (a, b) =>
      STATE_ORDER[a.status.state] - STATE_ORDER[b.status.state] ||
      a.service.name.localeCompare(b.service.name, 'en') ||
      a.service.domain.localeCompare(b.service.domain),
  );
}
