/**
 * The only module pages import content from. It loads and validates all
 * content once per build; any problem stops the build with the full list
 * (nothing is half-published), in the same words `npm run check` prints.
 */
import { loadContent, parseCacheFile } from './lib/content/load-content-io.ts';
import { ContentError } from './lib/content/problems.ts';
import { paginateByYear } from './lib/status/archive.ts';
import { buildFeeds } from './lib/publish/feeds.ts';
import { incidentsForComponent, updateDay } from './lib/status/history.ts';
import { describeFreshness } from './lib/monitoring/source-freshness.ts';
import { HISTORY_DAYS, siteState } from './lib/status/site-state.ts';
import { loadProbeSources, type LoadedSource } from './lib/monitoring/probe-sources-io.ts';
import { join } from 'node:path';
import { resolveBuildTime } from './lib/shared/time.ts';
import { historyFileBytes, updateHistoryFile } from './lib/monitoring/history-store-io.ts';
import { componentUptimeHistory, serviceUptimeHistory } from './lib/status/uptime-history.ts';
import { UPTIME_CHECK } from './lib/directory/directory.ts';
import { absoluteUrl } from './lib/publish/paths.ts';
import { certificatesView as buildCertificatesView } from './lib/certs/cert-view.ts';
import { certChanges } from './lib/certs/cert-history.ts';
import { updateCertHistory } from './lib/certs/cert-history-io.ts';
import { loadAnnouncements } from './lib/certs/announcements-io.ts';
import { certChangeEntries } from './lib/certs/cert-feed.ts';

/**
 * Where content lives: the project root, or `STATUS_CONTENT_ROOT` so tests and
 * benchmarks can build the real site from fixture content.
 */
export const contentRoot = process.env.STATUS_CONTENT_ROOT || process.cwd();

// Frontmatter parses are kept between builds, keyed by each file's exact
// text: a rebuild parses only what changed (issue 16).
const result = loadContent(contentRoot, { parseCacheFile: parseCacheFile(process.env, process.cwd()) });
if (!result.ok) throw new ContentError(result.problems);

/** The build's "now": SOURCE_DATE_EPOCH when set, else the real clock. */
export const now = resolveBuildTime(process.env);
/** The site configuration from content/site.yaml. */
export const site = result.content.site;

/**
 * Monitoring sources, fetched once per build. A source that fails is named
 * in the build log and on the page; it never fails the build.
 */
export const monitoringSources: LoadedSource[] = await loadProbeSources(site.probes.sources, {
  root: contentRoot,
  // STATUS_CACHE_DIR lets tests keep their copies apart from the project's.
  cacheDir: process.env.STATUS_CACHE_DIR || join(process.cwd(), '.cache', 'probe-sources'),
  now,
});
for (const source of monitoringSources) if (source.problem) console.warn(`[monitoring] ${source.name}: ${source.problem}`);

/**
 * Everything the pages say at `now`, computed once (src/lib/status/site-state.ts):
 * the content as published at `now` (entries timed later are left out, for
 * every page and output alike), merged monitoring, status and day history.
 */
const state = siteState(result.content, monitoringSources.flatMap((s) => (s.summary ? [s.summary] : [])), now);
/** The content as published at `now`. */
export const content = state.content;
/** Merged monitoring per mapped component; empty when no source is configured. */
export const monitoring = state.monitoring;
/** The last 90 days of every component, day by day. */
export const dayHistory = state.dayHistory;
/** Current status of every component, computed once for every page. */
export const status = state.status;
export { HISTORY_DAYS };

// ---------------------------------------------------------------------------
// Monitoring history kept forever (issue 29): every summary this build read
// is appended to the history store on the build host, which the year pages
// read and the release publishes under /history/ (so any machine can
// restore it: `npm run history -- restore URL`). A missing or damaged store
// is named in the build log; this build's 90 days still come from the
// summaries.
// ---------------------------------------------------------------------------
/** Where the store lives: `STATUS_HISTORY_DIR`, else `.history/` in the content root. */
export const historyDir = process.env.STATUS_HISTORY_DIR || join(contentRoot, '.history');
const mappedChecks = new Set(Object.values(site.probes.components).flatMap((list) => list.map((w) => `${w.domain}|${w.check}`)));
const statusHistory = updateHistoryFile(
  join(historyDir, 'status.json.gz'),
  monitoringSources.flatMap((s) => (s.summary ? [s.summary] : [])),
  now,
  (domain, check) => mappedChecks.has(`${domain}|${check}`),
  absoluteUrl(site.url, site.base, 'history/status.json.gz'),
);
if (statusHistory.problem) console.warn(`[history] ${statusHistory.problem}`);
/** Yearly uptime and monthly SLA of each monitored component, for every month ever measured. */
export const componentHistory = componentUptimeHistory(statusHistory.store, content, now);
/**
 * The history store's files as published under /history/, e.g.
 * `status.json.gz` → the bytes on disk (the settled days; today is in every
 * summary), so publishing costs no rewrite.
 */
export const historyFiles = new Map<string, Uint8Array>();
const publishHistory = (name: string) => {
  const bytes = historyFileBytes(join(historyDir, name));
  if (bytes) historyFiles.set(name, bytes);
};
publishHistory('status.json.gz');

// ---------------------------------------------------------------------------
// Certificate continuity (issue 30): which certificate each location sees at
// each monitored target, whether the locations agree, and every change
// found so far (kept in `<historyDir>/certificates.json` across builds),
// judged against the admins' announcements in content/certificates.yaml.
// ---------------------------------------------------------------------------

const certAnnouncementsRead = loadAnnouncements(contentRoot);
if (!certAnnouncementsRead.ok) throw new ContentError(certAnnouncementsRead.problems);
/** Planned certificate changes the admins announced, soonest first. */
export const certAnnouncements = [...certAnnouncementsRead.announcements].sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
const statusSummaries = monitoringSources.flatMap((s) => (s.summary ? [s.summary] : []));
/** Each monitored component's certificates, per target and location. */
export const certificates = buildCertificatesView(
  statusSummaries,
  new Map(Object.entries(site.probes.components)),
  new Map(site.components.map((c) => [c.id, c.name])),
  { intervalSeconds: site.probes.intervalSeconds },
);
const certHistory = updateCertHistory(join(historyDir, 'certificates.json'), statusSummaries, (domain, check) => mappedChecks.has(`${domain}|${check}`));
if (certHistory.problem) console.warn(`[certificates] ${certHistory.problem}`);
/** Every certificate change found, newest first, judged expected or unexpected. */
export const certificateChanges = certChanges(certHistory.store, certAnnouncements).filter((c) => Date.parse(c.at) <= now.getTime()).reverse();
const componentsOfCheck = (domain: string, check: string) =>
  Object.entries(site.probes.components)
    .filter(([, watched]) => watched.some((w) => w.domain === domain && w.check === check))
    .map(([id]) => id);
/** The changes as feed entries (the `certificates` feed, and `all`). */
export const certificateEntries = certChangeEntries(certificateChanges, site.url, absoluteUrl(site.url, site.base, 'certificates/'), componentsOfCheck);

/** Every feed, computed once for the feed endpoints and the subscribe page; certificate changes (issue 30) are in `all`, `certificates` and their components' feeds. */
export const feeds = buildFeeds(content, certificateEntries);
/** Incidents by slug, so pages that link incidents never scan the history. */
export const incidentsBySlug = new Map(content.incidents.map((i) => [i.slug, i]));
/** Archive pages, computed once: each page renders only its slice. */
export const incidentArchive = paginateByYear(content.incidents, (i) => i.startedAt);
export const updateArchive = paginateByYear(content.updates, updateDay);
/** Maintenance windows by year, newest first (issue 16: one page listing every window grew past 50 KB). */
export const maintenanceArchive = paginateByYear([...content.maintenance].reverse(), (m) => m.start);
export const componentArchives = new Map(
  site.components.map((c) => [c.id, paginateByYear(incidentsForComponent(content.incidents, c.id), (i) => i.startedAt)]),
);
/** How fresh the monitoring data is, for the page. */
export const freshness = describeFreshness(
  monitoringSources.map((s) => ({
    name: s.name,
    sample: s.sample,
    origin: s.origin,
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.summary ? { generatedAt: s.summary.generatedAt, checks: s.summary.checks.length } : {}),
  })),
  now,
  site.probes.intervalSeconds,
);

// ---------------------------------------------------------------------------
// The IM-service directory (issue 17): content/services/. Absent when the
// site has no such folder; its pages and feed are then not built.
// ---------------------------------------------------------------------------
import { buildDirectoryView, type DirectoryView } from './lib/directory/directory.ts';

const directoryContent = result.content.directory;
/**
 * The directory's monitoring sources, fetched once per build into their own
 * cache folder. One location may have several files (`<location>-<n>`
 * for the loader); each summary is named after its location again.
 */
const directorySources = directoryContent
  ? (
      await loadProbeSources(
        directoryContent.config.sources.map(({ location, path, url, sample, allowCrossOriginRedirects }, i) =>
          path !== undefined ? { name: `${location}-${i + 1}`, path, sample } : { name: `${location}-${i + 1}`, url: url!, sample, allowCrossOriginRedirects },
        ),
        { root: contentRoot, cacheDir: join(process.env.STATUS_CACHE_DIR || join(process.cwd(), '.cache', 'probe-sources'), 'services'), now },
      )
    ).map((loaded, i) => ({ ...loaded, location: directoryContent.config.sources[i]!.location }))
  : [];
for (const source of directorySources) if (source.problem) console.warn(`[directory] ${source.location} (${source.name}): ${source.problem}`);
/** Every service with its checklist, state and uptime at `now`; undefined without a directory. */
export const directory: DirectoryView | undefined = directoryContent
  ? buildDirectoryView(directoryContent, directorySources.flatMap((s) => (s.summary ? [{ ...s.summary, vantage: s.location }] : [])), {
      now,
      quorum: site.probes.quorum,
      sample: directorySources.length > 0 && directorySources.every((s) => s.sample),
    })
  : undefined;
const directoryHistory = directoryContent
  ? updateHistoryFile(
      join(historyDir, 'directory.json.gz'),
      directorySources.flatMap((s) => (s.summary ? [{ ...s.summary, vantage: s.location }] : [])),
      now,
      (_domain, check) => check === UPTIME_CHECK,
      absoluteUrl(site.url, site.base, 'history/directory.json.gz'),
    )
  : undefined;
if (directoryHistory?.problem) console.warn(`[history] ${directoryHistory.problem}`);
if (directoryHistory) publishHistory('directory.json.gz');
/** Each directory service's uptime for every month it was testing or listed. */
export const serviceHistory =
  directoryContent && directoryHistory
    ? serviceUptimeHistory(directoryHistory.store, directoryContent.services, {
        now,
        check: UPTIME_CHECK,
        intervalSeconds: directoryContent.config.intervalSeconds,
        quorum: site.probes.quorum,
        slaTarget: directoryContent.config.uptimeTarget,
      })
    : new Map();
/**
 * Issue 30: each directory service's certificates per port, target and
 * location, with the same facts and agreement rule as jabber.org's own
 * (keyed by the service's domain).
 */
export const serviceCertificates = directoryContent
  ? buildCertificatesView(
      directorySources.flatMap((s) => (s.summary ? [{ ...s.summary, vantage: s.location }] : [])),
      new Map(directoryContent.services.map((s) => [s.domain, (['c2s-starttls', 'c2s-directtls', 's2s-starttls'] as const).map((check) => ({ domain: s.domain, check }))])),
      new Map(directoryContent.services.map((s) => [s.domain, s.name])),
      { intervalSeconds: directoryContent.config.intervalSeconds },
    )
  : undefined;
/** The directory's settings (grace period, testing days, uptime target); undefined without a directory. */
export const directoryConfig = directoryContent?.config;
/** Federation, server by server (issue 17): each remote server pinged over federation, and what they say together. */
export const federation = state.federation;

