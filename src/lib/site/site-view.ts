/**
 * Everything the site says at one instant, assembled in one place: the
 * content as published, the feeds and archives, the status, monitoring,
 * federation, day history, freshness, the uptime history kept forever and
 * the directory. The build (src/data.ts, which keeps only the reading of
 * files and sources), the authoring commands (scripts/author.ts), the
 * notifier (its content half) and the tests all call these functions, so
 * no output assembles its own copy. Pure: content, what was read and `now` in.
 *
 * The seam between the two halves:
 * - `contentView(all, now)` (content-view.ts): what depends only on content. The clock enters
 *   only through `publishedAsOf` (an entry timed in the future appears when
 *   its time comes), so this half changes when a file changes or an entry's
 *   time is reached, never because monitoring moved.
 * - `liveView(view, inputs, now)`: what depends on monitoring and the
 *   clock (status, merged monitoring, federation, day history, freshness,
 *   uptime history, the directory's states). A live lane that refreshes the
 *   status every minute recomputes only this half, over the `ContentView`
 *   it already has.
 */
import type { SiteContent } from '../content/content.ts';
import { buildDirectoryView, UPTIME_CHECK, type DirectoryView } from '../directory/directory.ts';
import type { HistoryFigures, HistoryStore } from '../monitoring/history-store.ts';
import { describeFreshness, type Freshness, type SourceState } from '../monitoring/source-freshness.ts';
import type { ProbeSummary } from '../schemas.ts';
import { statusState, type SiteState } from '../status/site-state.ts';
import { componentUptimeHistory, serviceUptimeHistory } from '../status/uptime-history.ts';
import { contentView, type ContentView } from './content-view.ts';
import { certificatesView, type CertificatesView } from '../certs/cert-view.ts';
import type { CertChange } from '../certs/cert-history.ts';
import { certChangeEntries, certChangesAsOf, componentsWatching } from '../certs/cert-feed.ts';
import { buildFeeds, type Feed } from '../publish/feeds.ts';
import { absoluteUrl } from '../publish/paths.ts';
import type { CertAnnouncement, CertHistoryFile } from '../schemas.ts';

export { contentView, type ContentView };

/** What was read for the live half: each is optional, and what is missing is said as missing, never as "all well". */
export interface LiveInputs {
  /** jabber.org's own monitoring summaries that could be read, any order. */
  summaries: readonly ProbeSummary[];
  /** Every configured monitoring source as read (for the freshness notices); none without monitoring. */
  sources?: readonly SourceState[];
  /** The directory's summaries, each named after its location, and whether every source is sample data. */
  directory?: { summaries: readonly ProbeSummary[]; sample: boolean };
  /** The history stores kept forever (issue 29), when they could be read. */
  history?: { status?: HistoryStore; directory?: HistoryStore };
  /** Certificate continuity (issue 30): the certificate history kept across builds, and the admins' announcements (content/certificates.yaml). */
  certs?: { history: CertHistoryFile; announcements: readonly CertAnnouncement[] };
}

/** The half that depends on monitoring and the clock. */
export interface LiveView extends SiteState {
  /** How fresh the monitoring data is, for the page. */
  freshness: Freshness;
  /** Every directory service with its checklist, state and uptime at `now`; undefined without a directory. */
  directory: DirectoryView | undefined;
  /** Yearly uptime and monthly SLA of each monitored component, for every month ever measured; empty without a store. */
  componentHistory: Map<string, HistoryFigures>;
  /** Each directory service's uptime for every month it was testing or listed; empty without a directory or its store. */
  serviceHistory: Map<string, HistoryFigures>;
  /** Each monitored component's certificates, per target and location. */
  certificates: CertificatesView;
  /** Planned certificate changes the admins announced, soonest first. */
  certAnnouncements: CertAnnouncement[];
  /** Every certificate change found up to `now`, newest first, judged expected or unexpected. */
  certificateChanges: CertChange[];
  /** Every feed: the content view's, with the certificate changes in `all`, `certificates` and their components' feeds. */
  feeds: Feed[];
  /** Each directory service's certificates per port, target and location (keyed by domain); undefined without a directory. */
  serviceCertificates: CertificatesView | undefined;
}

/**
 * @param view `contentView(all, now)`
 * @param inputs what the build read: summaries, source states, history stores
 */
export function liveView(view: ContentView, inputs: LiveInputs, now: Date): LiveView {
  const { content } = view;
  const { site, directory: directoryContent } = content;
  const state = statusState(content, inputs.summaries, now);
  const directory = directoryContent
    ? buildDirectoryView(directoryContent, inputs.directory?.summaries ?? [], { now, quorum: site.probes.quorum, sample: inputs.directory?.sample ?? false })
    : undefined;
  const announcements = [...(inputs.certs?.announcements ?? [])].sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
  const certificateChanges = inputs.certs ? certChangesAsOf(inputs.certs.history, announcements, now).reverse() : [];
  const certificateEntries = certChangeEntries(
    certificateChanges,
    site.url,
    absoluteUrl(site.url, site.base, 'certificates/'),
    componentsWatching(site.probes.components),
  );
  return {
    ...state,
    certificates: certificatesView(inputs.summaries, new Map(Object.entries(site.probes.components)), new Map(site.components.map((c) => [c.id, c.name])), {
      intervalSeconds: site.probes.intervalSeconds,
    }),
    certAnnouncements: announcements,
    certificateChanges,
    // Without certificate changes the feeds are the content view's own (no second build of the entries).
    feeds: certificateEntries.length > 0 ? buildFeeds(content, certificateEntries) : view.feeds,
    serviceCertificates: directoryContent
      ? certificatesView(
          inputs.directory?.summaries ?? [],
          new Map(
            directoryContent.services.map((s) => [
              s.domain,
              (['c2s-starttls', 'c2s-directtls', 's2s-starttls'] as const).map((check) => ({ domain: s.domain, check })),
            ]),
          ),
          new Map(directoryContent.services.map((s) => [s.domain, s.name])),
          { intervalSeconds: directoryContent.config.intervalSeconds },
        )
      : undefined,
    freshness: describeFreshness(inputs.sources ?? [], now, site.probes.intervalSeconds),
    directory,
    componentHistory: inputs.history?.status ? componentUptimeHistory(inputs.history.status, content, now) : new Map(),
    serviceHistory:
      directoryContent && inputs.history?.directory
        ? serviceUptimeHistory(inputs.history.directory, directoryContent.services, {
            now,
            check: UPTIME_CHECK,
            intervalSeconds: directoryContent.config.intervalSeconds,
            quorum: site.probes.quorum,
            slaTarget: directoryContent.config.uptimeTarget,
          })
        : new Map(),
  };
}

/** Everything the site says at `now`: both halves. */
export type SiteView = ContentView & LiveView;

/**
 * @param all every validated content file, including entries timed after `now`
 * @param inputs what was read of monitoring (summaries only is enough for tests)
 * @param now e.g. `new Date('2026-11-21T12:00:00Z')`
 */
export function siteView(all: SiteContent, inputs: LiveInputs, now: Date): SiteView {
  const view = contentView(all, now);
  return { ...view, ...liveView(view, inputs, now) };
}
