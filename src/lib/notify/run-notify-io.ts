/**
 * `npm run notify` and `npm run notify:contact` without the command line:
 * loads and validates the content (the same loader and problems as the
 * build), resolves secrets from the environment or files, builds the
 * channels from the `notify` block of content/site.yaml and runs them.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseYaml } from '../content/frontmatter.ts';
import { loadContent } from '../content/load-content-io.ts';
import type { SiteContent } from '../content/content.ts';
import type { Problem } from '../content/problems.ts';
import type { NotifyConfig } from '../schemas.ts';
import { computeStatus } from '../status/status.ts';
import { contentView } from '../site/content-view.ts';
import { deliver, describePlan, type Channel, type ChannelReport } from './deliver.ts';
import { emailChannel } from './email-io.ts';
import { notifyEntries, type NotifyEntry } from './entries.ts';
import { webhookPayload } from './messages.ts';
import { presenceFor } from './presence.ts';
import { openJournal } from './state-io.ts';
import { webhookChannel } from './webhook-io.ts';
import { contactChannel, pubsubChannel, roomChannel, startContactService, type XmppAccount } from './xmpp-io.ts';
import { loadAnnouncements } from '../certs/announcements-io.ts';
import { readCertHistory } from '../certs/cert-history-io.ts';
import { certChangeEntries, certChangesAsOf, componentsWatching } from '../certs/cert-feed.ts';
import type { FeedEntry } from '../shared/feed-entry.ts';
import { absoluteUrl } from '../publish/paths.ts';
import type { Result } from '../shared/result.ts';

const SITE_FILE = 'content/site.yaml';

/** The config's problems point at the line in site.yaml, like every other problem. */
function siteLocator(root: string): (path: readonly PropertyKey[]) => number | undefined {
  try {
    const parsed = parseYaml(SITE_FILE, readFileSync(join(root, SITE_FILE), 'utf8'));
    return 'locate' in parsed ? parsed.locate : () => undefined;
  } catch {
    return () => undefined;
  }
}

/**
 * Reads one secret from the variable or file the config names. A missing
 * one is a problem naming the field and the fix; the value is never printed.
 * @param field e.g. `['notify', 'xmpp', 'passwordEnv']`
 */
export function readSecret(
  root: string,
  source: { env?: string; file?: string },
  field: string[],
  env: NodeJS.ProcessEnv,
  problems: Problem[],
  locate: (p: readonly PropertyKey[]) => number | undefined,
): string | undefined {
  const at = (key: string, message: string): Problem => {
    const path = [...field.slice(0, -1), key];
    const line = locate(path);
    return { file: SITE_FILE, ...(line ? { line } : {}), field: path.join('.'), message };
  };
  if (source.env !== undefined) {
    const value = env[source.env];
    if (value === undefined || value === '') {
      problems.push(
        at(field[field.length - 1]!, `${source.env} is not set. Set it in the environment of npm run notify (never in this file), or name a file instead`),
      );
      return undefined;
    }
    return value;
  }
  if (source.file !== undefined) {
    const key = field[field.length - 1]!.replace(/Env$/, 'File');
    try {
      const value = readFileSync(isAbsolute(source.file) ? source.file : resolve(root, source.file), 'utf8')
        .split('\n')[0]!
        .trim();
      if (!value) problems.push(at(key, `"${source.file}" is empty. Put the secret on its first line`));
      return value || undefined;
    } catch (err) {
      problems.push(
        at(key, `"${source.file}" cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}). Check the path and that this user may read it`),
      );
      return undefined;
    }
  }
  return undefined;
}

export interface LoadedNotify {
  root: string;
  content: SiteContent;
  config: NotifyConfig;
}

/**
 * Loads content as published at `now` (the one rule every output follows:
 * an entry timed in the future is not sent before its time) and the notify
 * block; problems come back in the `file:line: field: message` form.
 */
export function loadNotify(root: string, now: Date): Result<{ value: LoadedNotify }, Problem> {
  const result = loadContent(root);
  if (!result.ok) return { ok: false, problems: result.problems };
  const config = result.content.site.notify;
  if (!config)
    return {
      ok: false,
      problems: [
        {
          file: SITE_FILE,
          field: 'notify',
          message: 'is missing, so there is nowhere to send entries. Add a "notify" block (see the README, "Notifications")',
        },
      ],
    };
  return { ok: true, value: { root, content: contentView(result.content, now).content, config } };
}

export function xmppAccount(loaded: LoadedNotify, env: NodeJS.ProcessEnv, problems: Problem[]): XmppAccount | undefined {
  const x = loaded.config.xmpp;
  if (!x) return undefined;
  const password = readSecret(
    loaded.root,
    { env: x.passwordEnv, file: x.passwordFile },
    ['notify', 'xmpp', x.passwordEnv ? 'passwordEnv' : 'passwordFile'],
    env,
    problems,
    siteLocator(loaded.root),
  );
  return password === undefined ? undefined : { jid: x.jid, password, ...(x.server ? { server: x.server } : {}) };
}

/** Every configured channel, or the problems that keep them from running. */
export function buildChannels(loaded: LoadedNotify, env: NodeJS.ProcessEnv, now: () => Date): { channels: Channel<NotifyEntry>[]; problems: Problem[] } {
  const { content, config, root } = loaded;
  const { site } = content;
  const problems: Problem[] = [];
  const locate = siteLocator(root);
  const channels: Channel<NotifyEntry>[] = [];
  const x = config.xmpp;
  if (x) {
    const account = xmppAccount(loaded, env, problems);
    if (account) {
      if (x.pubsub) {
        const p = x.pubsub;
        channels.push(pubsubChannel(account, { service: p.service, node: p.node, maxItems: p.maxItems, title: site.name, author: site.name }));
        if (p.perComponent) {
          for (const c of site.components) {
            channels.push(
              pubsubChannel(account, {
                service: p.service,
                node: `${p.node}/${c.id}`,
                maxItems: p.maxItems,
                title: `${site.name}: ${c.name}`,
                author: site.name,
                component: c.id,
              }),
            );
          }
        }
      }
      if (x.contact) channels.push(contactChannel(account));
      if (x.room) channels.push(roomChannel(account, { room: x.room.jid, nick: x.room.nick, roomName: site.name }));
    }
  }
  if (config.email) {
    const e = config.email;
    const password = e.username
      ? readSecret(
          root,
          { env: e.passwordEnv, file: e.passwordFile },
          ['notify', 'email', e.passwordEnv ? 'passwordEnv' : 'passwordFile'],
          env,
          problems,
          locate,
        )
      : undefined;
    if (!e.username || password !== undefined || (e.passwordEnv === undefined && e.passwordFile === undefined)) {
      channels.push(
        emailChannel(
          {
            host: e.host,
            port: e.port,
            security: e.security,
            from: e.from,
            to: e.to,
            headers: e.headers,
            ...(e.username ? { username: e.username } : {}),
            ...(password ? { password } : {}),
          },
          { name: site.name, host: new URL(site.url).hostname },
        ),
      );
    }
  }
  // One status for every webhook body of this run, from the one status function.
  let status: ReturnType<typeof computeStatus> | undefined;
  config.webhooks.forEach((w, i) => {
    const secret =
      w.secretEnv !== undefined || w.secretFile !== undefined
        ? readSecret(
            root,
            { env: w.secretEnv, file: w.secretFile },
            ['notify', 'webhooks', String(i), w.secretEnv ? 'secretEnv' : 'secretFile'],
            env,
            problems,
            (p) => locate(p.map((k, j) => (j === 2 ? Number(k) : k))),
          )
        : undefined;
    if (w.format === 'json' && secret === undefined) return;
    channels.push(
      webhookChannel({
        name: w.name,
        url: w.url,
        format: w.format,
        ...(secret ? { secret } : {}),
        // The signature's timestamp is checked against the receiver's clock (replay protection): the real time, never the build's.
        now: () => new Date(),
        payload: (entry) => webhookPayload(content, (status ??= computeStatus(content, now())), entry),
      }),
    );
  });
  // Webhook problems name the list item from 1, as every other problem does.
  for (const p of problems) if (p.field) p.field = p.field.replace(/\.webhooks\.(\d+)\./, (_m, i: string) => `.webhooks[${Number(i) + 1}].`);
  return { channels, problems };
}

/**
 * The certificate changes the build found (issue 30), read from the
 * certificate history the build keeps (`STATUS_HISTORY_DIR`, else
 * `.history/` in the content root, as the build does) and judged against
 * content/certificates.yaml, as entries the same functions make for the
 * feeds. Missing history: no entries; a damaged one or a bad
 * announcements file: none, and the problem is logged.
 */
export function certificateEntries(root: string, content: SiteContent, env: NodeJS.ProcessEnv, now: Date): { entries: FeedEntry[]; problem?: string } {
  const read = readCertHistory(join(env.STATUS_HISTORY_DIR || join(root, '.history'), 'certificates.json'));
  const announcements = loadAnnouncements(root);
  if (!announcements.ok)
    return {
      entries: [],
      problem: announcements.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.field ? `${p.field}: ` : ''}${p.message}`).join('; '),
    };
  const { site } = content;
  const changes = certChangesAsOf(read.store, announcements.announcements, now);
  return {
    entries: certChangeEntries(changes, site.url, absoluteUrl(site.url, site.base, 'certificates/'), componentsWatching(site.probes.components)),
    ...(read.problem ? { problem: read.problem } : {}),
  };
}

export interface NotifyRunOptions {
  backfill?: number;
  dryRun?: boolean;
  env: NodeJS.ProcessEnv;
  /** The instant the status is computed for (webhook bodies), e.g. from SOURCE_DATE_EPOCH. */
  now: () => Date;
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  afterSend?: (channel: string, entry: NotifyEntry) => void;
}

export type NotifyRunResult =
  { kind: 'problems'; problems: Problem[] } | { kind: 'dry-run'; plan: string } | { kind: 'done'; reports: ChannelReport[]; entries: number };

/**
 * Where the delivery journal lives: `stateFile` as written when absolute;
 * when relative, under `STATUS_NOTIFY_STATE_DIR` if set, else under the
 * content root. The publish unit sets that variable because it runs the
 * notifier in the live export (`DIR/live`), a new folder per commit: a
 * journal there started empty at every commit, so each commit's new
 * entries were marked delivered without being sent (found by a new admin's
 * reading of the docs).
 * @example notifyStatePath('/srv/site/live', 'notify-state/delivered.jsonl', { STATUS_NOTIFY_STATE_DIR: '/var/lib/jabber-status' }) // '/var/lib/jabber-status/notify-state/delivered.jsonl'
 */
export function notifyStatePath(root: string, stateFile: string, env: Readonly<Record<string, string | undefined>>): string {
  return resolve(env.STATUS_NOTIFY_STATE_DIR || root, stateFile);
}

export async function runNotify(root: string, o: NotifyRunOptions): Promise<NotifyRunResult> {
  const loaded = loadNotify(root, o.now());
  if (!loaded.ok) return { kind: 'problems', problems: loaded.problems };
  // A dry run sends nothing, so it needs no password: missing variables read as a placeholder.
  const env = o.dryRun ? new Proxy(o.env, { get: (target, key) => (typeof key === 'string' ? (target[key] ?? 'dry-run') : undefined) }) : o.env;
  const { channels, problems } = buildChannels(loaded.value, env, o.now);
  if (problems.length) return { kind: 'problems', problems };
  const certs = certificateEntries(root, loaded.value.content, o.env, o.now());
  if (certs.problem) o.log(`certificates: ${certs.problem}`);
  const entries = notifyEntries(loaded.value.content, certs.entries);
  const statePath = notifyStatePath(root, loaded.value.config.stateFile, o.env);
  if (o.dryRun) {
    const journal = openJournal(statePath, { readOnly: true });
    return { kind: 'dry-run', plan: describePlan(entries, channels, journal.state, o.backfill) };
  }
  const journal = openJournal(statePath);
  if (journal.skipped)
    o.log(`state: ${journal.skipped} unreadable line(s) in ${statePath} dropped (a run was cut off); their entries are sent again with the same ids`);
  try {
    const retry = loaded.value.config.retry;
    const reports = await deliver({
      entries,
      channels,
      state: journal.state,
      record: (records) => journal.record(records),
      ...(o.backfill !== undefined ? { backfill: o.backfill } : {}),
      retry: { attempts: retry.attempts, firstDelayMs: retry.firstDelaySeconds * 1000, maxDelayMs: retry.maxDelaySeconds * 1000 },
      // Records and timings use the real clock; `o.now` is the status's "now".
      now: () => new Date(),
      sleep: o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      log: o.log,
      ...(o.afterSend ? { afterSend: o.afterSend } : {}),
    });
    return { kind: 'done', reports, entries: entries.length };
  } finally {
    journal.close();
  }
}

/** One line per channel for the log, e.g. `room → room status@conference.jabber.org: sent 2 (1 retry)`. */
export function formatReports(reports: readonly ChannelReport[]): string {
  return reports
    .map((r) => {
      const parts = [r.sent > 0 ? `sent ${r.sent} in ${(r.ms / 1000).toFixed(1)} s (${Math.round((r.sent * 1000) / Math.max(1, r.ms))}/s)` : 'sent 0'];
      if (r.retried) parts.push(`${r.retried} ${r.retried === 1 ? 'retry' : 'retries'}`);
      if (r.firstRun) parts.push(`first run, ${r.baseline} earlier marked delivered`);
      if (r.failure) parts.push(`FAILED: ${r.failure.reason} (${r.pending} left for the next run)`);
      return `${r.channel} → ${r.target}: ${parts.join(', ')}`;
    })
    .join('\n');
}

/**
 * The status contact as a service: logs in, shows the status as presence,
 * and recomputes it every `refreshSeconds` and on `refresh()` (SIGHUP), from
 * the content on disk, so a publish or a maintenance window's start shows
 * without a restart. Invalid content keeps the last presence and says why.
 */
export async function runContactService(
  root: string,
  o: { env: NodeJS.ProcessEnv; now: () => Date; log: (line: string) => void },
): Promise<{ refresh(): Promise<void>; stop(): Promise<void> } | { problems: Problem[] }> {
  const loaded = loadNotify(root, o.now());
  if (!loaded.ok) return { problems: loaded.problems };
  const x = loaded.value.config.xmpp;
  if (!x?.contact)
    return {
      problems: [{ file: SITE_FILE, field: 'notify.xmpp.contact', message: 'is missing. Add "contact: {}" under notify.xmpp to run the status contact' }],
    };
  const problems: Problem[] = [];
  const account = xmppAccount(loaded.value, o.env, problems);
  if (!account) return { problems };
  const siteUrl = loaded.value.content.site.url;
  const service = await startContactService(
    account,
    `This account only posts the status of ${loaded.value.content.site.service}. Read more at ${siteUrl}/`,
    o.log,
  );
  const refresh = async () => {
    const result = loadContent(root);
    if (!result.ok) {
      o.log(`content has ${result.problems.length} problem(s); keeping the last presence. Run npm run check`);
      return;
    }
    const now = o.now();
    await service.show(presenceFor(computeStatus(contentView(result.content, now).content, now)));
  };
  await refresh();
  const timer = setInterval(() => void refresh().catch((err: unknown) => o.log(`refresh failed: ${(err as Error).message}`)), x.contact.refreshSeconds * 1000);
  return {
    refresh,
    async stop() {
      clearInterval(timer);
      await service.stop();
    },
  };
}
