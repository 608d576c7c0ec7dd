/**
 * Each entry as every channel sends it: chat text, mail, webhook JSON
 * (Statuspage's shape where one exists), Slack/Mattermost text, and the
 * Standard Webhooks signature. Pure: the I/O modules only transmit these.
 */
import { createHmac } from 'node:crypto';
import type { SiteContent } from '../content/content.ts';
import { buildStatuspageApi } from '../publish/statuspage-api.ts';
import type { StatusSnapshot } from '../status/status.ts';
import { toIsoUtc } from '../shared/time.ts';
import type { NotifyEntry } from './entries.ts';
import { deliveryId } from './message-id.ts';

/** Chat text (contact messages, room posts): title, plain body, link. */
export function chatText(entry: NotifyEntry): string {
  return `${entry.title}\n\n${entry.text}\n\n${entry.link}`;
}

export interface MailMessage {
  messageId: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/**
 * @param siteHost e.g. `status.jabber.org`, the right-hand side of every Message-ID
 * @param headers `List-*` headers from the config, passed through
 */
export function mailFor(entry: NotifyEntry, siteName: string, siteHost: string, headers: Readonly<Record<string, string>>): MailMessage {
  return {
    // RFC 5322 §3.6.4: unique and stable, so a resend is recognisably the same mail.
    messageId: `<${deliveryId(entry.id)}@${siteHost}>`,
    subject: `[${siteName}] ${entry.title}`,
    text: `${entry.title}\n${'='.repeat(Math.min(entry.title.length, 72))}\n\n${entry.text}\n\nMore: ${entry.link}\n`,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title></title></head><body><h1 style="font-size:1.2em">${escapeHtmlText(entry.title)}</h1>${entry.html}<p><a href="${escapeHtmlText(entry.link)}">${escapeHtmlText(entry.link)}</a></p></body></html>`,
    headers: { ...headers },
  };
}

function escapeHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

type Api = ReturnType<typeof buildStatuspageApi>;

/**
 * Statuspage's incident object for the incident or window an entry belongs
 * to, made by the API module itself from a content view holding only that
 * one (so the shape is the published API's, never a copy).
 */
function statuspageSubject(content: SiteContent, status: StatusSnapshot, entry: NotifyEntry): Record<string, unknown> {
  if (!entry.source) return {};
  const one: SiteContent =
    entry.source.kind === 'incident'
      ? { ...content, incidents: [entry.source.incident], maintenance: [], updates: [] }
      : { ...content, incidents: [], maintenance: [entry.source.maintenance], updates: [] };
  // The API lists only incidents started by `now`; an entry dated ahead of
  // the clock is still news when it is sent.
  const api: Api = buildStatuspageApi(one, { ...status, now: new Date(Math.max(status.now.getTime(), entry.published.getTime())) });
  const subject = (entry.source.kind === 'incident' ? api.incidents[0] : api.maintenances[0]) as
    (Api['incidents'][number] & { incident_updates: { created_at: string }[] }) | undefined;
  if (!subject) return {};
  const at = toIsoUtc(entry.published);
  const update = subject.incident_updates.find((u) => u.created_at === at);
  return { incident: subject, ...(update ? { incident_update: update } : {}) };
}

/**
 * The JSON body of a webhook. Shaped like Statuspage's webhook (`meta`,
 * `page` with `status_indicator`, `incident` with its `incident_updates`) so
 * existing receivers read it; `entry` carries what every kind has, including
 * daily updates, which Statuspage has no object for.
 */
export function webhookPayload(content: SiteContent, status: StatusSnapshot, entry: NotifyEntry): Record<string, unknown> {
  const api = buildStatuspageApi({ ...content, incidents: [], maintenance: [], updates: [] }, status);
  return {
    meta: { id: deliveryId(entry.id), generated_at: toIsoUtc(status.now), documentation: `${api.page.url}` },
    page: { id: api.page.id, name: api.page.name, url: api.page.url, status_indicator: api.status.indicator, status_description: api.status.description },
    entry: {
      id: entry.id,
      kind: entry.kind,
      title: entry.title,
      link: entry.link,
      published: toIsoUtc(entry.published),
      updated: toIsoUtc(entry.updated),
      components: entry.components,
      text: entry.text,
      html: entry.html,
    },
    ...statuspageSubject(content, status, entry),
  };
}

/** Slack and Mattermost incoming webhooks: `{ "text": … }` with a `<url|label>` link. */
export function slackPayload(entry: NotifyEntry): { text: string } {
  const clean = (s: string) => s.replace(/[<>|]/g, ' ');
  return { text: `*<${entry.link}|${clean(entry.title)}>*\n${entry.text}` };
}

/**
 * Standard Webhooks signature (standardwebhooks.com, v1): HMAC-SHA256 over
 * `id.timestamp.body`, base64. A secret written `whsec_<base64>` is decoded
 * as the spec says; any other secret is used as its UTF-8 bytes.
 * @param timestamp Unix seconds, e.g. `1763704800`
 * @returns the `webhook-signature` header value, e.g. `v1,K5oZ…=`
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}
