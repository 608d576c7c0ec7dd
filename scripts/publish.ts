/**
 * `npm run publish -- --to DIR [--repo REPO --branch main] [--force] [--keep N]` builds a new release
 * when content, code, monitoring data or the clock-dependent state changed,
 * precompresses it and switches `DIR/current` to it in one step.
 * `npm run publish -- --to DIR --rollback` switches back to the previous
 * release and holds publishing until `--force`. See
 * src/lib/release/publish-io.ts and the README, "Operating it".
 *
 * With `--repo`, it builds commits of that repository (the newest one that
 * passes the check), never the working tree (issue 26).
 *
 * Exit code 0 when published, unchanged or held (also when it published the
 * last good commit because the newest fails the check: the alert says so);
 * 1 when nothing could be published; 75 (EX_TEMPFAIL) when another publish
 * is running, so that the safety-net timer's run that meets the watcher's
 * (`npm run publish:follow`, issue 28) is not a failed unit
 * (SuccessExitStatus=75 in deploy/systemd/jabber-status-publish.service)
 * and the watcher knows to try again; 2 on a usage error.
 */
import { join, resolve } from 'node:path';
import { branchHead } from '../src/lib/release/commits-io.ts';
import { listReleases, publish, rollback, wrongUser } from '../src/lib/release/publish-io.ts';
import { resolveBuildTime } from '../src/lib/shared/time.ts';
import { parseCommand, usageErrorFor } from '../src/lib/shared/usage-io.ts';

const USAGE = `Usage: npm run publish -- --to DIR [--repo REPO [--branch main]] [--force] [--keep N]
       npm run publish -- --to DIR [--repo REPO [--branch main]] --rollback

Builds the site into DIR/releases/<id>/ (only when something changed),
writes .gz and .br copies of its text files, and points DIR/current at it.

Options:
  --to DIR      the publish target; the web server's root is DIR/current
  --repo REPO   build commits of this git repository (code and content), never
                a working tree: the newest commit of --branch that passes the
                check, else the last good one with fresh monitoring and an alert
  --branch B    the deployed branch (default main)
  --force       build even when nothing changed; lifts a rollback's hold
  --keep N      releases kept on disk, the live one included (default 5)
  --allow-sample  publish the bundled sample site (refused otherwise: run
                npm run site:empty to start a real one)
  --rollback    point DIR/current at the release live before and hold
                publishing (with --repo: keep rebuilding that commit)
  --help        show this text`;

// Typed here so TypeScript knows the code after a call is not reached.
const usageError: (message: string) => never = usageErrorFor(USAGE);
const { values } = parseCommand(USAGE, {
  options: {
    to: { type: 'string' },
    force: { type: 'boolean', default: false },
    keep: { type: 'string' },
    rollback: { type: 'boolean', default: false },
    repo: { type: 'string' },
    branch: { type: 'string', default: 'main' },
    'allow-sample': { type: 'boolean', default: false },
  },
});
if (!values.to) usageError('--to DIR is required');
if (values.keep !== undefined && !/^[1-9]\d*$/.test(values.keep)) usageError(`--keep must be a whole number above 0, got "${values.keep}"`);

const now = resolveBuildTime(process.env);
// Run as another user than the target's owner, a publish would leave files
// the service cannot remove (issue 25): refuse in one line instead.
const refusal = wrongUser(values.to, `npm run publish -- ${process.argv.slice(2).join(' ')}`);
if (refusal) {
  console.error(refusal);
  process.exit(1);
}
if (values.rollback) {
  let head: string | undefined;
  if (values.repo) {
    try {
      head = branchHead(values.repo, values.branch).commit;
    } catch {
      // No head to compare with: the hold then lasts until --force.
    }
  }
  const result = rollback(values.to, now, head);
  if (result.kind === 'locked') {
    console.error(result.message);
    process.exit(1);
  }
  if (result.kind === 'nowhere') {
    console.error(
      `No release was live before ${result.live ?? '(none)'} that is still on disk, so there is nothing to roll back to. Releases: ${listReleases(values.to).join(', ') || 'none'}`,
    );
    process.exit(1);
  }
  console.log(`Rolled back: ${join(values.to, 'current')} now points to ${result.to} (was ${result.from ?? 'nothing'}).`);
  if (result.commit)
    console.log(
      `Publishing is on hold: later publishes rebuild commit ${result.commit.slice(0, 12)} with fresh monitoring until a new push passes the check or you run: npm run publish -- --to ${values.to} --repo ${values.repo ?? 'REPO'} --force`,
    );
  else console.log(`Publishing is on hold until you run: npm run publish -- --to ${values.to} --force`);
  process.exit(0);
}

const projectRoot = join(import.meta.dirname, '..');
const contentRoot = process.env.STATUS_CONTENT_ROOT || process.cwd();
const node = process.execPath;
// What must outlive a build: the monitoring history kept forever (issue 29)
// and the last good copy of each probe summary. Built from commits, each
// build runs in an export (DIR/work/<commit>) that is deleted later, so
// their defaults there (.history/, .cache/ in the build's folder) would
// start empty at every new commit and the published /history/ copy would
// shrink to 90 days. They live beside the releases instead, and the build
// is told where (the review of the merged branches found this).
const keptDir = (name: string) => (values.repo && values.to ? join(resolve(values.to), name) : undefined);
const cacheDir = process.env.STATUS_CACHE_DIR || keptDir('cache') || join(process.cwd(), '.cache', 'probe-sources');
const historyDir = process.env.STATUS_HISTORY_DIR || keptDir('history');
const result = await publish({
  target: values.to,
  projectRoot,
  contentRoot,
  // The same cache the build uses (src/data.ts reads STATUS_CACHE_DIR), so both see the same copies.
  cacheDir,
  now,
  force: values.force,
  keep: values.keep === undefined ? undefined : Number(values.keep),
  check: [node, join(import.meta.dirname, 'check.ts')],
  build: [node, join(projectRoot, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'],
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', STATUS_CACHE_DIR: cacheDir, ...(historyDir ? { STATUS_HISTORY_DIR: historyDir } : {}) },
  allowSample: values['allow-sample'],
  ...(values.repo
    ? {
        source: {
          repo: values.repo,
          branch: values.branch,
          workDir: join(resolve(values.to), 'work'),
          commands: (dir: string) => ({
            check: [node, join(dir, 'scripts', 'check.ts')],
            build: [node, join(dir, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'],
          }),
        },
      }
    : {}),
});
for (const alert of result.alerts) if (result.kind !== 'failed' || alert.text !== result.message) console.error(`ALERT: ${alert.text}`);
switch (result.kind) {
  case 'published':
    console.log(
      `Published ${result.id} (${result.changed.join(', ')}): ` +
        (result.lane === 'live'
          ? `live lane, ${result.rendered} pages rendered and ${result.linked} files carried over`
          : `${result.rendered} pages${result.fullBecause ? ` (every page: ${result.fullBecause})` : ''}`) +
        `, built in ${(result.buildMs / 1000).toFixed(1)} s, ` +
        `${result.compressed.compressed} files precompressed in ${(result.compressMs / 1000).toFixed(1)} s (${result.compressed.reused} reused)` +
        (result.pruned.length ? `; removed ${result.pruned.length} old release${result.pruned.length === 1 ? '' : 's'}` : ''),
    );
    break;
  case 'unchanged':
    console.log(`Nothing changed since ${result.live}; not rebuilt (--force to rebuild anyway).`);
    break;
  case 'held':
    console.log(`Publishing is on hold (${result.since}). Run with --force to publish again.`);
    break;
  case 'locked':
    console.error(result.message);
    process.exitCode = 75;
    break;
  case 'failed':
    console.error(result.message ?? `Not published: the build failed; ${join(values.to, 'current')} is unchanged.`);
    process.exitCode = 1;
    break;
}
