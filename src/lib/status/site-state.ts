/**
 * The status at one instant, computed in one place from the content as
 * published and the monitoring summaries: merged monitoring, federation,
 * the status snapshot and the 90-day history. It is the status half of the
 * live lane of the site's one assembly (src/lib/site/site-view.ts, which
 * the build, the authoring commands and the tests call); `siteState` also
 * applies the "published as of now" rule first, for callers that hold all
 * content.
 */
import type { SiteContent } from '../content/content.ts';
import { applyFederationRule, federationDomains, federationRule, federationView, type FederationVerdict, type RemoteServer } from '../monitoring/federation.ts';
import { mergeProbes, type ComponentMonitoring } from '../monitoring/merge-probes.ts';
import type { ProbeSummary } from '../schemas.ts';
import { dayVerdicts, type DayVerdict } from './day-verdicts.ts';
import { publishedAsOf } from './published.ts';
import { computeStatus, type StatusSnapshot } from './status.ts';

/** Days of history shown in bars and day tables. */
export const HISTORY_DAYS = 90;

export interface SiteState {
  now: Date;
  /** The content as readers may see it at `now`. */
  content: SiteContent;
  /** Merged probe results by component id; empty without monitoring sources. */
  monitoring: Map<string, ComponentMonitoring>;
  status: StatusSnapshot;
  /** The last HISTORY_DAYS days of every component, oldest first. */
  dayHistory: Map<string, DayVerdict[]>;
  /** Federation, server by server (issue 17): each remote server and what they say together; empty without monitoring sources. */
  federation: { servers: RemoteServer[]; rule: FederationVerdict };
}

/**
 * @param all every validated content file, including entries timed after `now`
 * @param summaries the monitoring summaries that could be read (any order)
 * @param now e.g. `new Date('2026-11-21T12:00:00Z')`
 */
export function siteState(all: SiteContent, summaries: readonly ProbeSummary[], now: Date): SiteState {
  return statusState(publishedAsOf(all, now), summaries, now);
}

/**
 * `siteState` for content already published as of `now` (`publishedAsOf`).
 * @param content as published at `now`
 */
export function statusState(content: SiteContent, summaries: readonly ProbeSummary[], now: Date): SiteState {
  const { site } = content;
  const monitoring =
    site.probes.sources.length === 0
      ? new Map<string, ComponentMonitoring>()
      : mergeProbes(summaries, new Map(Object.entries(site.probes.components)), {
          now,
          intervalSeconds: site.probes.intervalSeconds,
          quorum: site.probes.quorum,
          slaTarget: site.slaTarget,
          maintenance: new Map(
            site.probes.excludeMaintenance
              ? site.components.map((c) => [c.id, content.maintenance.filter((m) => m.status !== 'cancelled' && m.components.includes(c.id))])
              : [],
          ),
        });
  // Federation, server by server (issue 17): the rule reaches the status
  // only as the federation component's monitoring verdict, so incidents and
  // maintenance still come first in computeStatus.
  const servers =
    site.probes.sources.length === 0
      ? []
      : federationView(summaries, federationDomains(site.probes.federation.servers, content.directory, now.toISOString().slice(0, 10), site.service), {
          now,
          intervalSeconds: site.probes.intervalSeconds,
          quorum: site.probes.quorum,
        });
  const rule = federationRule(servers);
  const fedComponent = site.probes.federation.component;
  if (fedComponent && monitoring.has(fedComponent)) monitoring.set(fedComponent, applyFederationRule(monitoring.get(fedComponent), rule)!);
  const dayHistory = new Map(
    site.components.map((c) => [
      c.id,
      dayVerdicts({
        componentId: c.id,
        incidents: content.incidents,
        maintenance: content.maintenance,
        measured: monitoring.get(c.id)?.days,
        target: site.slaTarget,
        now,
        days: HISTORY_DAYS,
      }),
    ]),
  );
  return { now, content, monitoring, status: computeStatus(content, now, monitoring), dayHistory, federation: { servers, rule } };
}
