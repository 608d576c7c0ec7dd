/**
 * The admins channel (issue 26): every alert goes to each configured path,
 * an XMPP direct message to the admins' JIDs, a mail and a webhook. At least
 * one of them should not depend on jabber.org (an account on another XMPP
 * server, another mail relay, or the webhook): jabber.org is what is down
 * when it matters. Settings come from the environment (the env file
 * /etc/jabber-status/alert.env), never from the repository, because each
 * carries a secret.
 */
import { createHmac } from 'node:crypto';
import { client, xml } from '@xmpp/client';
import nodemailer from 'nodemailer';
import type { AlertMessage } from './alerts.ts';

/** Where alerts go; each path is optional, and an empty variable leaves it out. */
export interface AlertSettings {
  /** `ALERT_XMPP_JID`, `ALERT_XMPP_PASSWORD`, `ALERT_XMPP_TO` (JIDs, comma-separated), `ALERT_XMPP_SERVER` (HOST:PORT instead of SRV). */
  xmpp?: { jid: string; password: string; to: string[]; server?: string };
  /** `ALERT_SMTP_URL` (e.g. `smtp://user:pass@relay.example.net:587`), `ALERT_MAIL_FROM`, `ALERT_MAIL_TO`. */
  mail?: { url: string; from: string; to: string };
  /** `ALERT_WEBHOOK_URL`, `ALERT_WEBHOOK_SECRET` (Standard Webhooks signing secret, optional). */
  webhook?: { url: string; secret?: string };
}

/** Reads the settings; names every variable that is set while its partners are missing. */
export function alertSettingsFromEnv(env: NodeJS.ProcessEnv): { settings: AlertSettings; problems: string[] } {
  const get = (name: string) => env[name]?.trim() || undefined;
  const settings: AlertSettings = {};
  const problems: string[] = [];
  const group = (names: string[], build: () => void) => {
    const set = names.filter((n) => get(n));
    if (set.length === 0) return;
    if (set.length < names.length)
      problems.push(
        `${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set but ${names.filter((n) => !get(n)).join(', ')} ${names.length - set.length === 1 ? 'is' : 'are'} empty: set ${names.length - set.length === 1 ? 'it' : 'them'} in /etc/jabber-status/alert.env, or empty the others.`,
      );
    else build();
  };
  group(['ALERT_XMPP_JID', 'ALERT_XMPP_PASSWORD', 'ALERT_XMPP_TO'], () => {
    const server = get('ALERT_XMPP_SERVER');
    settings.xmpp = {
      jid: get('ALERT_XMPP_JID')!,
      password: get('ALERT_XMPP_PASSWORD')!,
      to: get('ALERT_XMPP_TO')!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      ...(server ? { server } : {}),
    };
  });
  group(['ALERT_SMTP_URL', 'ALERT_MAIL_FROM', 'ALERT_MAIL_TO'], () => {
    settings.mail = { url: get('ALERT_SMTP_URL')!, from: get('ALERT_MAIL_FROM')!, to: get('ALERT_MAIL_TO')! };
  });
  const hook = get('ALERT_WEBHOOK_URL');
  if (hook) {
    const secret = get('ALERT_WEBHOOK_SECRET');
    settings.webhook = { url: hook, ...(secret ? { secret } : {}) };
  }
  return { settings, problems };
}

/** The paths that are configured, for messages: e.g. `xmpp, webhook`. */
export function configuredPaths(settings: AlertSettings): string[] {
  return (['xmpp', 'mail', 'webhook'] as const).filter((k) => settings[k]);
}

const TIMEOUT_MS = 15_000;

async function sendXmpp(s: NonNullable<AlertSettings['xmpp']>, messages: readonly AlertMessage[]): Promise<void> {
  const at = s.jid.indexOf('@');
  const domain = s.jid.slice(at + 1);
  const xmpp = client({
    service: s.server ? `xmpp://${s.server}` : domain,
    domain,
    username: s.jid.slice(0, at),
    password: s.password,
    resource: 'alerts',
    timeout: TIMEOUT_MS,
  });
  xmpp.reconnect.stop();
  xmpp.on('error', () => undefined);
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no login within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS).unref());
  try {
    await Promise.race([xmpp.start(), timer]);
  } catch (err) {
    await xmpp.stop().catch(() => undefined);
    throw new Error(`cannot log in as ${s.jid}${s.server ? ` via ${s.server}` : ''}: ${(err as Error).message}`);
  }
  try {
    for (const m of messages)
      for (const to of s.to) await xmpp.send(xml('message', { type: 'chat', to, id: m.id }, xml('body', {}, `${m.subject}\n${m.text}`)));
  } finally {
    await xmpp.stop().catch(() => undefined);
  }
}

async function sendMail(s: NonNullable<AlertSettings['mail']>, messages: readonly AlertMessage[]): Promise<void> {
  const transport = nodemailer.createTransport(s.url, { connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: 30_000 } as object);
  try {
    for (const m of messages) {
      const host = s.from.slice(s.from.lastIndexOf('@') + 1).replace(/>$/, '') || 'localhost';
      await transport.sendMail({ from: s.from, to: s.to, subject: m.subject, text: m.text, messageId: `<${m.id}@${host}>` });
    }
  } finally {
    transport.close();
  }
}

async function sendWebhook(s: NonNullable<AlertSettings['webhook']>, messages: readonly AlertMessage[]): Promise<void> {
  for (const m of messages) {
    const body = JSON.stringify({ type: `alert.${m.kind}`, key: m.key, subject: m.subject, text: m.text });
    // The wall clock, never SOURCE_DATE_EPOCH: receivers refuse a signature more than 5 minutes off.
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'jabber-org-status-alert',
      'webhook-id': m.id,
      'webhook-timestamp': String(timestamp),
      'idempotency-key': m.id,
    };
    if (s.secret) {
      // Standard Webhooks v1: HMAC-SHA256 over id.timestamp.body; a `whsec_` secret is base64.
      const key = s.secret.startsWith('whsec_') ? Buffer.from(s.secret.slice(6), 'base64') : Buffer.from(s.secret, 'utf8');
      headers['webhook-signature'] = `v1,${createHmac('sha256', key).update(`${m.id}.${timestamp}.${body}`).digest('base64')}`;
    }
    const host = new URL(s.url).host;
    let res: Response;
    try {
      res = await fetch(s.url, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      throw new Error(`POST to ${host} failed: ${cause?.code ?? (err as Error).message}`);
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status > 299) throw new Error(`POST to ${host} answered HTTP ${res.status}`);
  }
}

/**
 * Sends every message on every configured path. One path failing never
 * stops the others.
 * @returns one line per path that failed, e.g. `mail: connect ECONNREFUSED`
 */
export async function deliverAlerts(settings: AlertSettings, messages: readonly AlertMessage[]): Promise<{ delivered: string[]; failed: string[] }> {
  const delivered: string[] = [];
  const failed: string[] = [];
  if (messages.length === 0) return { delivered, failed };
  const paths: [string, (() => Promise<void>) | undefined][] = [
    ['xmpp', settings.xmpp && (() => sendXmpp(settings.xmpp!, messages))],
    ['mail', settings.mail && (() => sendMail(settings.mail!, messages))],
    ['webhook', settings.webhook && (() => sendWebhook(settings.webhook!, messages))],
  ];
  await Promise.all(
    paths.map(async ([name, send]) => {
      if (!send) return;
      try {
        await send();
        delivered.push(name);
      } catch (err) {
        failed.push(`${name}: ${(err as Error).message}`);
      }
    }),
  );
  return { delivered: delivered.sort(), failed: failed.sort() };
}
