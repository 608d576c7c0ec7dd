/**
 * The only module pages import content from. It does the build's reading:
 * content (validated once; any problem stops the build with the full list,
 * in the same words `npm run check` prints), the monitoring sources, and the
 * history store kept forever. Everything the pages say is assembled from
 * that by one pure function, `siteView` (src/lib/site/site-view.ts), which
 * the authoring commands and the tests call too.
 */
import { join } from 'node:path';
import { loadContent, parseCacheFile } from './lib/content/load-content-io.ts';
import { ContentError } from './lib/content/problems.ts';
import { UPTIME_CHECK } from './lib/directory/directory.ts';
import { historyFileBytes, updateHistoryFile } from './lib/monitoring/history-store-io.ts';
import { loadProbeSources, type LoadedSource } from './lib/monitoring/probe-sources-io.ts';
import { absoluteUrl } from './lib/publish/paths.ts';
import { resolveBuildTime } from './lib/shared/time.ts';
import { siteView } from './lib/site/site-view.ts';
import { HISTORY_DAYS } from './lib/status/site-state.ts';
import { buildFeeds } from './lib/publish/feeds.ts';
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

/** STATUS_CACHE_DIR lets tests keep their copies of the sources apart from the project's. */
const cacheDir = process.env.STATUS_CACHE_DIR || join(process.cwd(), '.cache', 'probe-sources');

/**
 * Monitoring sources, fetched once per build. A source that fails is named
 * in the build log and on the page; it never fails the build.
 */
export const monitoringSources: LoadedSource[] = await loadProbeSources(site.probes.sources, { root: contentRoot, cacheDir, now });
for (const source of monitoringSources) if (source.problem) console.warn(`[monitoring] ${source.name}: ${source.problem}`);
const summaries = monitoringSources.flatMap((s) => (s.summary ? [s.summary] : []));

// ---------------------------------------------------------------------------
// The IM-service directory (issue 17): content/services/. Absent when the
// site has no such folder; its pages and feed are then not built.
// ---------------------------------------------------------------------------
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
        { root: contentRoot, cacheDir: join(cacheDir, 'services'), now },
      )
    ).map((loaded, i) => ({ ...loaded, location: directoryContent.config.sources[i]!.location }))
  : [];
for (const source of directorySources) if (source.problem) console.warn(`[directory] ${source.location} (${source.name}): ${source.problem}`);
const directorySummaries = directorySources.flatMap((s) => (s.summary ? [{ ...s.summary, vantage: s.location }] : []));

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
  summaries,
  now,
  (domain, check) => mappedChecks.has(`${domain}|${check}`),
  absoluteUrl(site.url, site.base, 'history/status.json.gz'),
);
if (statusHistory.problem) console.warn(`[history] ${statusHistory.problem}`);
const directoryHistory = directoryContent
  ? updateHistoryFile(
      join(historyDir, 'directory.json.gz'),
      directorySummaries,
      now,
      (_domain, check) => check === UPTIME_CHECK,
      absoluteUrl(site.url, site.base, 'history/directory.json.gz'),
    )
  : undefined;
if (directoryHistory?.problem) console.warn(`[history] ${directoryHistory.problem}`);
/**
 * The history store's files as published under /history/, e.g.
 * `status.json.gz` → the bytes on disk (the settled days; today is in every
 * summary), so publishing costs no rewrite.
 */
export const historyFiles = new Map<string, Uint8Array>();
for (const name of ['status.json.gz', ...(directoryHistory ? ['directory.json.gz'] : [])]) {
  const bytes = historyFileBytes(join(historyDir, name));
  if (bytes) historyFiles.set(name, bytes);
}

/** Everything the pages say at `now`, assembled once (src/lib/site/site-view.ts). */
const view = siteView(
  result.content,
  {
    summaries,
    sources: monitoringSources.map((s) => ({
      name: s.name,
      sample: s.sample,
      origin: s.origin,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.summary ? { generatedAt: s.summary.generatedAt, checks: s.summary.checks.length } : {}),
    })),
    directory: { summaries: directorySummaries, sample: directorySources.length > 0 && directorySources.every((s) => s.sample) },
    history: { status: statusHistory.store, ...(directoryHistory ? { directory: directoryHistory.store } : {}) },
  },
  now,
);
/**
 * What the pages read, each described where it is computed (`SiteView` in
 * src/lib/site/site-view.ts): the content as published at `now`, the
 * status, monitoring, day history, federation, freshness, feeds, archives,
 * the directory and the uptime history kept forever.
 */
export const {
  content,
  status,
  monitoring,
  dayHistory,
  federation,
  freshness,
  incidentsBySlug,
  incidentArchive,
  updateArchive,
  maintenanceArchive,
  componentArchives,
  directory,
  componentHistory,
  serviceHistory,
} = view;
export { HISTORY_DAYS };
/** The directory's settings (grace period, testing days, uptime target); undefined without a directory. */
export const directoryConfig = directoryContent?.config;

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
/** Each monitored component's certificates, per target and location. */
export const certificates = buildCertificatesView(
  summaries,
  new Map(Object.entries(site.probes.components)),
  new Map(site.components.map((c) => [c.id, c.name])),
  { intervalSeconds: site.probes.intervalSeconds },
);
const certHistory = updateCertHistory(join(historyDir, 'certificates.json'), summaries, (domain, check) => mappedChecks.has(`${domain}|${check}`));
if (certHistory.problem) console.warn(`[certificates] ${certHistory.problem}`);
/** Every certificate change found, newest first, judged expected or unexpected. */
export const certificateChanges = certChanges(certHistory.store, certAnnouncements).filter((c) => Date.parse(c.at) <= now.getTime()).reverse();
const componentsOfCheck = (domain: string, check: string) =>
  Object.entries(site.probes.components)
    .filter(([, watched]) => watched.some((w) => w.domain === domain && w.check === check))
    .map(([id]) => id);
/** The changes as feed entries (the `certificates` feed, `all` and their components' feeds). */
export const certificateEntries = certChangeEntries(certificateChanges, site.url, absoluteUrl(site.url, site.base, 'certificates/'), componentsOfCheck);
/** Every feed, for the feed endpoints and the subscribe page: the content view's, with the certificate changes in them. */
export const feeds = buildFeeds(content, certificateEntries);
/**
 * Each directory service's certificates per port, target and location, with
 * the same facts and agreement rule as jabber.org's own (keyed by the
 * service's domain).
 */
export const serviceCertificates = directoryContent
  ? buildCertificatesView(
      directorySummaries,
      new Map(directoryContent.services.map((s) => [s.domain, (['c2s-starttls', 'c2s-directtls', 's2s-starttls'] as const).map((check) => ({ domain: s.domain, check }))])),
      new Map(directoryContent.services.map((s) => [s.domain, s.name])),
      { intervalSeconds: directoryContent.config.intervalSeconds },
    )
  : undefined;
