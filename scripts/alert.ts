/**
 * Alerts to the admins (issue 26), two ways to run:
 *
 * - `npm run alert -- --site DIR` on the build host, after every publish
 *   (the publish unit runs it): the causes the publish loop recorded in
 *   DIR/publish-status.json (a content check failure, a hold, a failed fetch,
 *   a publish that failed, a release it cannot remove), plus what the live
 *   release shows: a component that monitoring sees down while no incident
 *   is declared, and monitoring that no location keeps fresh (every
 *   monitored component "unknown"); one stale location among fresh ones is
 *   shown on the page and by `npm run doctor`, not alerted.
 * - `npm run alert:watch -- https://status.jabber.org/publish-status.json`
 *   on each probe host, every minute (the probe unit runs it after each probe, failed or not): a build host
 *   that has not published for 5 minutes, or a status nobody can fetch.
 *
 * Each cause is sent once (XMPP direct message, mail, webhook: the ALERT_*
 * variables in /etc/jabber-status/alert.env), then "resolved" when it
 * clears. Delivery ids are shared between hosts, so receivers that dedupe
 * get one message per cause.
 *
 * Exit code 0 when every configured path took the messages (or there were
 * none); 1 when a path failed (the next run tries again) or nothing is
 * configured while an alert is open; 2 on a usage error.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { planAlerts, watchCauses, type AlertCause, type WatchedStatus } from '../src/lib/alert/alerts.ts';
import { alertSettingsFromEnv, configuredPaths, deliverAlerts } from '../src/lib/alert/deliver-io.ts';
import { readOpenAlerts, writeOpenAlerts } from '../src/lib/alert/state-io.ts';
import { resolveBuildTime } from '../src/lib/shared/time.ts';
import { parseCommand, usageErrorFor } from '../src/lib/shared/usage-io.ts';

const USAGE = `Usage: npm run alert -- --site DIR [--state FILE] [--name NAME]
       npm run alert -- --watch URL [--state FILE] [--name NAME]

Sends the admins an alert once per cause, and "resolved" when it clears.

Options:
  --site DIR    the publish target (build host): reads DIR/publish-status.json
                and the live release DIR/current
  --watch URL   the site's publish-status.json (probe hosts): alerts when the
                publish loop has not succeeded for 5 minutes
  --state FILE  the alerts still open (default DIR/alerts.json, or
                /var/lib/jabber-status/alert-watch.json with --watch)
  --name NAME   the site's name in subjects (default "jabber.org status")
  --help        show this text`;

const usageError: (message: string) => never = usageErrorFor(USAGE);
const { values } = parseCommand(USAGE, {
  options: { site: { type: 'string' }, watch: { type: 'string' }, state: { type: 'string' }, name: { type: 'string', default: 'jabber.org status' } },
});
if (!values.site === !values.watch) usageError('give exactly one of --site DIR and --watch URL');

const now = resolveBuildTime(process.env);

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The build host's causes: the publish loop's own, and what the live release shows. */
function siteCauses(dir: string): AlertCause[] {
  const status = readJson<{ alerts?: AlertCause[]; lastSuccessAt?: string | null }>(join(dir, 'publish-status.json'));
  if (!status)
    return [
      {
        key: 'publish-status-missing',
        text: `${join(dir, 'publish-status.json')} cannot be read: the publish loop has not run here yet, or --site names the wrong folder.`,
      },
    ];
  const causes = [...(status.alerts ?? [])];
  const live = join(dir, 'current');
  const components = readJson<{ components: { id: string; name: string; group: boolean; monitoring?: { verdict: string; locations_reporting: number } }[] }>(
    join(live, 'api/v2/components.json'),
  );
  const unresolved = readJson<{ incidents: { components?: { id: string }[] }[] }>(join(live, 'api/v2/incidents/unresolved.json'));
  const declared = new Set((unresolved?.incidents ?? []).flatMap((i) => (i.components ?? []).map((c) => c.id)));
  for (const c of components?.components ?? []) {
    if (c.group || c.monitoring?.verdict !== 'down' || declared.has(c.id)) continue;
    causes.push({
      key: `monitoring-down:${c.id}`,
      text: `Monitoring sees ${c.name} down (${c.monitoring.locations_reporting} location${c.monitoring.locations_reporting === 1 ? '' : 's'} reporting) and no incident is declared. Declare one: npm run new:incident (README, "Publishing as an admin").`,
    });
  }
  const withData = (components?.components ?? []).filter((c) => !c.group && c.monitoring);
  if (withData.length > 0 && withData.every((c) => c.monitoring!.verdict === 'unknown')) {
    causes.push({
      key: 'monitoring-stale',
      text: 'No monitoring location has fresh data: every monitored component shows "unknown". Check the probe hosts (systemctl status jabber-status-probe.timer) and npm run doctor on the build host.',
    });
  }
  return causes;
}

async function watchStatus(url: string): Promise<WatchedStatus | { error: string }> {
  try {
    const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(15_000) });
    if (!res.ok) return { error: `HTTP ${res.status}` };
    const body = (await res.json()) as WatchedStatus;
    if (typeof body?.ranAt !== 'string') return { error: 'not a publish status' };
    return body;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? (err as Error).message };
  }
}

const causes = values.site ? siteCauses(resolve(values.site)) : watchCauses(await watchStatus(values.watch!), now, values.watch!);
const stateFile = values.state ?? (values.site ? join(resolve(values.site), 'alerts.json') : '/var/lib/jabber-status/alert-watch.json');
const { settings, problems } = alertSettingsFromEnv(process.env);
for (const p of problems) console.error(p);
const plan = planAlerts(readOpenAlerts(stateFile), causes, now, values.name);
const paths = configuredPaths(settings);
if (plan.send.length === 0) {
  writeOpenAlerts(stateFile, plan.open);
  console.log(
    plan.open.length === 0
      ? 'No alert open.'
      : `${plan.open.length} alert${plan.open.length === 1 ? '' : 's'} open, already sent: ${plan.open.map((a) => a.key).join(', ')}.`,
  );
  process.exit(problems.length > 0 ? 1 : 0);
}
for (const m of plan.send) console.log(`${m.kind === 'raised' ? 'ALERT' : 'RESOLVED'}: ${m.text}`);
if (paths.length === 0) {
  console.error(
    'No alert path is configured, so nobody was told: set ALERT_XMPP_*, ALERT_SMTP_URL/ALERT_MAIL_* or ALERT_WEBHOOK_URL in /etc/jabber-status/alert.env (deploy/install.sh writes it with each variable explained; README, "Alerts to the admins").',
  );
  process.exit(1);
}
const result = await deliverAlerts(settings, plan.send);
for (const f of result.failed) console.error(`Alert not delivered by ${f}; the next run tries again.`);
if (result.failed.length === 0) {
  writeOpenAlerts(stateFile, plan.open);
  console.log(`Sent ${plan.send.length} alert message${plan.send.length === 1 ? '' : 's'} by ${result.delivered.join(', ')}.`);
} else if (result.delivered.length > 0) {
  // Delivered somewhere: record it, so a path that works is not flooded by retries for the one that does not.
  writeOpenAlerts(stateFile, plan.open);
  process.exitCode = 1;
} else {
  process.exitCode = 1;
}
