/**
 * `npm run doctor [-- --site DIR] [--root DIR]`: checks a deployment from
 * the machine it runs on (issue 25), one line per check with the fix:
 * content valid, no sample content, every probe source reachable and fresh,
 * directory sources configured and fresh, notify secrets present for every
 * enabled channel, alert paths configured, the publish loop's last run and
 * result, a hold, ownership of the site folder, clock sync.
 *
 * --root is the content to judge (default DIR/live when --site is given and
 * it exists: what is live; else the current folder). Checks that need --site
 * are skipped without it (a probe host).
 *
 * Exit code 0 when every check passed; 1 when any failed; 2 on a usage error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ago, doctorExitCode, isFresh, judgePublishLoop, renderChecks, type DoctorCheck } from '../src/lib/admin/doctor.ts';
import { alertSettingsFromEnv, configuredPaths } from '../src/lib/alert/deliver-io.ts';
import { loadContent } from '../src/lib/content/load-content-io.ts';
import { sampleReasonsAt } from '../src/lib/content/sample-site-io.ts';
import { loadProbeSources } from '../src/lib/monitoring/probe-sources-io.ts';
import { buildChannels, loadNotify } from '../src/lib/notify/run-notify-io.ts';
import { readHold, readPublishStatus, wrongUser } from '../src/lib/release/publish-io.ts';
import { resolveBuildTime } from '../src/lib/shared/time.ts';
import { parseCommand } from '../src/lib/shared/usage-io.ts';

const USAGE = `Usage: npm run doctor [-- --site DIR] [--root DIR]

Checks this deployment, one line per check with its fix. Exit 1 when any fails.

Options:
  --site DIR   the publish target (build host), e.g. /srv/jabber-status/site
  --root DIR   the content to check (default DIR/live, else the current folder)
  --help       show this text`;
const { values } = parseCommand(USAGE, { options: { site: { type: 'string' }, root: { type: 'string' } } });
const now = resolveBuildTime(process.env);
const site = values.site ? resolve(values.site) : undefined;
const root = resolve(values.root ?? (site && existsSync(join(site, 'live')) ? realpathSync(join(site, 'live')) : process.env.STATUS_CONTENT_ROOT || '.'));
const checks: DoctorCheck[] = [];

// Content.
const loaded = loadContent(root);
if (loaded.ok) {
  const c = loaded.content;
  checks.push({
    name: 'content',
    result: 'ok',
    detail: `valid in ${root}: ${c.site.components.length} components, ${c.incidents.length} incidents, ${c.maintenance.length} maintenance windows.`,
  });
} else {
  checks.push({
    name: 'content',
    result: 'fail',
    detail: `${loaded.problems.length} problem${loaded.problems.length === 1 ? '' : 's'} in ${root}, first: ${loaded.problems[0]!.file}${loaded.problems[0]!.line ? `:${loaded.problems[0]!.line}` : ''}: ${loaded.problems[0]!.message}.`,
    fix: `npm run check -- --root ${root} lists every line; fix, commit and push.`,
  });
}

// Sample.
const sample = sampleReasonsAt(root);
checks.push(
  sample.length === 0
    ? { name: 'sample', result: 'ok', detail: 'no sample content or sample monitoring sources.' }
    : {
        name: 'sample',
        result: 'fail',
        detail: `still the sample site: ${sample.join('; ')}.`,
        fix: 'npm run site:empty, then add your probe hosts to content/site.yaml; commit and push.',
      },
);

// Probe sources.
if (loaded.ok) {
  const { probes } = loaded.content.site;
  if (probes.sources.length === 0) {
    checks.push({
      name: 'probes',
      result: 'fail',
      detail: 'no probe source in content/site.yaml: the page can only say "unknown".',
      fix: 'add each probe host under probes.sources (url: https://<probe host>/summary.json).',
    });
  }
  const cacheDir = process.env.STATUS_CACHE_DIR || join(root, '.cache', 'probe-sources-doctor');
  for (const s of await loadProbeSources(probes.sources, { root, cacheDir, now })) {
    const name = `probe ${s.name}`;
    if (!s.summary || s.origin === 'none')
      checks.push({
        name,
        result: 'fail',
        detail: `no data: ${s.problem ?? s.reason ?? 'unreachable'}.`,
        fix: 'on that probe host: systemctl status jabber-status-probe.timer; check nginx serves summary.json.',
      });
    else if (s.origin === 'cache')
      checks.push({
        name,
        result: 'fail',
        detail: `unreachable, using the copy generated ${ago(s.summary.generatedAt, now)} (${s.problem ?? ''}).`,
        fix: 'check the probe host and its nginx (deploy/nginx/probe-summary.conf).',
      });
    else if (!isFresh(s.summary.generatedAt, now, probes.intervalSeconds))
      checks.push({
        name,
        result: 'fail',
        detail: `stale: generated ${ago(s.summary.generatedAt, now)} (over twice the ${probes.intervalSeconds} s interval).`,
        fix: 'on that probe host: journalctl -u jabber-status-probe; systemctl list-timers jabber-status-probe.timer.',
      });
    else checks.push({ name, result: 'ok', detail: `fresh: generated ${ago(s.summary.generatedAt, now)} (${s.origin}).` });
  }
}

// Directory sources.
try {
  const dir = parse(readFileSync(join(root, 'content/services/directory.yaml'), 'utf8')) as {
    sources?: { location: string; path?: string; url?: string }[];
    intervalSeconds?: number;
  };
  const sources = dir?.sources ?? [];
  const interval = dir?.intervalSeconds ?? 300;
  const services = existsSync(join(root, 'content/services'))
    ? readdirSync(join(root, 'content/services')).filter((f) => f.endsWith('.md') && !f.startsWith('_')).length
    : 0;
  if (sources.length === 0)
    checks.push({
      name: 'directory',
      result: services > 0 ? 'fail' : 'ok',
      detail: `no directory source configured (${services} service${services === 1 ? '' : 's'} listed).`,
      ...(services > 0 ? { fix: "list the probe hosts' services-<location>.json under sources in content/services/directory.yaml." } : {}),
    });
  for (const s of sources) {
    let generatedAt: string | undefined;
    let why = '';
    try {
      if (s.url) {
        const res = await fetch(s.url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
        generatedAt = res.ok ? ((await res.json()) as { generatedAt?: string }).generatedAt : undefined;
        if (!res.ok) why = `HTTP ${res.status}`;
      } else if (s.path) generatedAt = (JSON.parse(readFileSync(resolve(root, s.path), 'utf8')) as { generatedAt?: string }).generatedAt;
    } catch (err) {
      why = (err as Error).message.split('\n')[0]!;
    }
    const name = `directory ${s.location}`;
    if (!generatedAt)
      checks.push({
        name,
        result: 'fail',
        detail: `cannot be read (${why || 'no generatedAt'}).`,
        fix: 'on that probe host: npm run probe -- --services runs in jabber-status-probe.service; check its summary is served.',
      });
    else if (!isFresh(generatedAt, now, interval))
      checks.push({
        name,
        result: 'fail',
        detail: `stale: generated ${ago(generatedAt, now)}.`,
        fix: 'on that probe host: journalctl -u jabber-status-probe.',
      });
    else checks.push({ name, result: 'ok', detail: `fresh: generated ${ago(generatedAt, now)}.` });
  }
} catch (err) {
  checks.push({
    name: 'directory',
    result: 'fail',
    detail: `content/services/directory.yaml cannot be read (${(err as Error).message.split('\n')[0]}).`,
    fix: 'restore it from git.',
  });
}

// Notify secrets.
const notify = loadNotify(root, now);
if (notify.ok) {
  const { channels, problems } = buildChannels(notify.value, process.env, () => now);
  if (problems.length > 0)
    checks.push({
      name: 'notify',
      result: 'fail',
      detail: problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('; '),
      fix: 'put each secret in /etc/jabber-status/notify.env (the variable named by …Env) and restart nothing: the next publish reads it.',
    });
  else
    checks.push({
      name: 'notify',
      result: 'ok',
      detail:
        channels.length === 0
          ? 'no channel enabled.'
          : `${channels.length} channel${channels.length === 1 ? '' : 's'} with every secret: ${channels.map((c) => c.key).join(', ')}.`,
    });
}

// Alert paths.
const alerts = alertSettingsFromEnv(process.env);
const paths = configuredPaths(alerts.settings);
if (alerts.problems.length > 0 || paths.length === 0)
  checks.push({
    name: 'alerts',
    result: 'fail',
    detail: alerts.problems.length > 0 ? alerts.problems.join(' ') : 'no alert path configured: nobody is told when something breaks.',
    fix: 'set ALERT_* in /etc/jabber-status/alert.env (README, "Alerts to the admins"); at least one path not on jabber.org.',
  });
else checks.push({ name: 'alerts', result: 'ok', detail: `paths: ${paths.join(', ')}.` });

// The publish loop, the hold and ownership (build host).
if (site) {
  checks.push(judgePublishLoop(readPublishStatus(site), now));
  const open = readPublishStatus(site)?.alerts ?? [];
  for (const a of open)
    if (a.key !== 'hold') checks.push({ name: 'publish alert', result: 'fail', detail: a.text.split('\n').join(' '), fix: 'see the alert text.' });
  const hold = readHold(site);
  checks.push(
    hold
      ? {
          name: 'hold',
          result: 'fail',
          detail: `in place since ${hold.since} (${hold.reason})${hold.commit ? `; the page is rebuilt from ${hold.commit.slice(0, 12)}` : ''}.`,
          fix: `npm run publish -- --to ${site} --repo /srv/jabber-status/app --force, or push a fix that passes the check.`,
        }
      : { name: 'hold', result: 'ok', detail: 'none.' },
  );
  const wrong = wrongUser(site, 'npm run doctor -- --site ' + site);
  const owner = existsSync(site) ? statSync(site).uid : undefined;
  const foreign = existsSync(join(site, 'releases'))
    ? readdirSync(join(site, 'releases')).filter((n) => statSync(join(site, 'releases', n)).uid !== owner)
    : [];
  if (wrong)
    checks.push({
      name: 'ownership',
      result: 'fail',
      detail: wrong.split(': files')[0]! + '.',
      fix: `run the site's commands as the owner of ${site} (sudo -u <owner> …).`,
    });
  else if (foreign.length > 0)
    checks.push({
      name: 'ownership',
      result: 'fail',
      detail: `${foreign.length} release${foreign.length === 1 ? '' : 's'} in ${site}/releases belong${foreign.length === 1 ? 's' : ''} to another user: ${foreign.slice(0, 3).join(', ')}.`,
      fix: `chown -R $(stat -c %U ${site}) ${site}`,
    });
  else checks.push({ name: 'ownership', result: 'ok', detail: `${site} and every release belong to one user.` });
} else {
  checks.push({ name: 'publish loop', result: 'skip', detail: 'not checked (no --site: run with --site /srv/jabber-status/site on the build host).' });
}

// Clock.
const sync = spawnSync('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'], { encoding: 'utf8' });
if (sync.error || sync.status !== 0) checks.push({ name: 'clock', result: 'skip', detail: 'timedatectl is not available here: check the clock sync by hand.' });
else if (sync.stdout.trim() === 'yes') checks.push({ name: 'clock', result: 'ok', detail: 'synchronised (NTP).' });
else
  checks.push({
    name: 'clock',
    result: 'fail',
    detail: 'not synchronised: "As of", staleness and maintenance windows depend on it.',
    fix: 'apt-get install systemd-timesyncd (or chrony); timedatectl set-ntp true.',
  });

console.log(renderChecks(checks));
process.exitCode = doctorExitCode(checks);
