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
import type { ContentResult } from './lib/content/content.ts';
import { readContentSnapshot, writeContentSnapshot } from './lib/content/content-snapshot-io.ts';
import { UPTIME_CHECK } from './lib/directory/directory.ts';
import { historyFileBytes, updateHistoryFile } from './lib/monitoring/history-store-io.ts';
import { loadProbeSources, type LoadedSource } from './lib/monitoring/probe-sources-io.ts';
import { absoluteUrl } from './lib/publish/paths.ts';
import { resolveBuildTime } from './lib/shared/time.ts';
import { siteView } from './lib/site/site-view.ts';
import { live, noteValidUntil, setLivePlan } from './lib/site/page-reads.ts';
import { readLivePlan } from './lib/site/page-reads-io.ts';
import { HISTORY_DAYS } from './lib/status/site-state.ts';
import { updateCertHistory } from './lib/certs/cert-history-io.ts';
import { loadAnnouncements } from './lib/certs/announcements-io.ts';

/**
 * Where content lives: the project root, or `STATUS_CONTENT_ROOT` so tests and
 * benchmarks can build the real site from fixture content.
 */
const contentRoot = process.env.STATUS_CONTENT_ROOT || process.cwd();

// `npm run publish` names the exact content and code by STATUS_CONTENT_KEY;
// the validated content of that key is then read from its snapshot instead
// of parsing every file again (issue 28: the live lane's minute).
const snapshot =
  process.env.STATUS_CONTENT_SNAPSHOT && process.env.STATUS_CONTENT_KEY
    ? { file: process.env.STATUS_CONTENT_SNAPSHOT, key: process.env.STATUS_CONTENT_KEY }
    : undefined;
const fromSnapshot = snapshot && readContentSnapshot(snapshot.file, snapshot.key);
// Otherwise frontmatter parses are kept between builds, keyed by each
// file's exact text: a rebuild parses only what changed (issue 16).
const result: ContentResult = fromSnapshot
  ? { ok: true, content: fromSnapshot }
  : loadContent(contentRoot, { parseCacheFile: parseCacheFile(process.env, process.cwd()) });
if (!result.ok) throw new ContentError(result.problems);
if (snapshot && !fromSnapshot) writeContentSnapshot(snapshot.file, snapshot.key, result.content);

// The build's "now": SOURCE_DATE_EPOCH when set, else the real clock. Used
// as is inside this module; pages get it through `live` (the exports below).
const buildNow = resolveBuildTime(process.env);
/** The site configuration from content/site.yaml. */
export const site = result.content.site;

/** STATUS_CACHE_DIR lets tests keep their copies of the sources apart from the project's. */
const cacheDir = process.env.STATUS_CACHE_DIR || join(process.cwd(), '.cache', 'probe-sources');

/**
 * Monitoring sources, fetched once per build. A source that fails is named
 * in the build log and on the page; it never fails the build.
 */
const monitoringSources: LoadedSource[] = await loadProbeSources(site.probes.sources, { root: contentRoot, cacheDir, now: buildNow });
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
        { root: contentRoot, cacheDir: join(cacheDir, 'services'), now: buildNow },
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
const historyDir = process.env.STATUS_HISTORY_DIR || join(contentRoot, '.history');
const mappedChecks = new Set(Object.values(site.probes.components).flatMap((list) => list.map((w) => `${w.domain}|${w.check}`)));
const statusHistory = updateHistoryFile(
  join(historyDir, 'status.json.gz'),
  summaries,
  buildNow,
  (domain, check) => mappedChecks.has(`${domain}|${check}`),
  absoluteUrl(site.url, site.base, 'history/status.json.gz'),
);
if (statusHistory.problem) console.warn(`[history] ${statusHistory.problem}`);
const directoryHistory = directoryContent
  ? updateHistoryFile(
      join(historyDir, 'directory.json.gz'),
      directorySummaries,
      buildNow,
      (_domain, check) => check === UPTIME_CHECK,
      absoluteUrl(site.url, site.base, 'history/directory.json.gz'),
    )
  : undefined;
if (directoryHistory?.problem) console.warn(`[history] ${directoryHistory.problem}`);
const historyFileMap = new Map<string, Uint8Array>();
for (const name of ['status.json.gz', ...(directoryHistory ? ['directory.json.gz'] : [])]) {
  const bytes = historyFileBytes(join(historyDir, name));
  if (bytes) historyFileMap.set(name, bytes);
}

// Certificate continuity (issue 30): the certificate history kept across
// builds in `<historyDir>/certificates.json`, and the admins' announcements
// in content/certificates.yaml (read here; judged in siteView).
const certAnnouncementsRead = loadAnnouncements(contentRoot);
if (!certAnnouncementsRead.ok) throw new ContentError(certAnnouncementsRead.problems);
const certHistory = updateCertHistory(join(historyDir, 'certificates.json'), summaries, (domain, check) => mappedChecks.has(`${domain}|${check}`));
if (certHistory.problem) console.warn(`[certificates] ${certHistory.problem}`);

// A live build (issue 28, src/lib/release/live-lane-io.ts) renders only the
// pages its plan names; the others are carried over from the live release.
if (process.env.STATUS_LIVE_PLAN) setLivePlan(readLivePlan(process.env.STATUS_LIVE_PLAN));

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
    certs: { history: certHistory.store, announcements: certAnnouncementsRead.announcements },
  },
  buildNow,
);

noteValidUntil(view.validUntil, site.base);

// ---------------------------------------------------------------------------
// What the pages read, each described where it is computed (`SiteView` in
// src/lib/site/site-view.ts). Two kinds (issue 28):
// - made from content alone (the content view): exported as they are;
// - depending on monitoring or the clock: exported through `live`, which
//   notes which page read them, so the live lane knows by construction
//   which pages to render again when only monitoring or the clock moved.
// A new export that depends on monitoring or `now` must go through `live`;
// tests/live-lane.test.ts builds twice and compares every other page.
// ---------------------------------------------------------------------------
export const { content, incidentsBySlug, incidentArchive, updateArchive, maintenanceArchive, componentArchives, maintenancePhases } = view;
/** Each feed's key and title (from content alone), for the links in every page's head and the subscribe page. */
export const feedTitles = view.feeds.map(({ key, title }) => ({ key, title }));
export { HISTORY_DAYS };
/** The directory's settings (grace period, testing days, uptime target); undefined without a directory. */
export const directoryConfig = directoryContent?.config;
/** Planned certificate changes the admins announced, soonest first (content/certificates.yaml: content). */
export const certAnnouncements = view.certAnnouncements;

/** The build's "now" (a page that shows or compares with it is live). */
export const now = live('now', buildNow);
export const status = live('status', view.status);
export const dayHistory = live('dayHistory', view.dayHistory);
export const federation = live('federation', view.federation);
export const freshness = live('freshness', view.freshness);
/** Undefined without a directory (which content decides). */
export const directory = view.directory && live('directory', view.directory);
export const componentHistory = live('componentHistory', view.componentHistory);
export const serviceHistory = live('serviceHistory', view.serviceHistory);
export const certificates = live('certificates', view.certificates);
export const certificateChanges = live('certificateChanges', view.certificateChanges);
/** Every feed with its entries (certificate changes included, so live). */
export const feeds = live('feeds', view.feeds);
export const serviceCertificates = view.serviceCertificates && live('serviceCertificates', view.serviceCertificates);
/**
 * The history store's files as published under /history/, e.g.
 * `status.json.gz` → the bytes on disk (the settled days; today is in every
 * summary), so publishing costs no rewrite.
 */
export const historyFiles = live('historyFiles', historyFileMap);
