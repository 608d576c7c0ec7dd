/**
 * Webhooks: one POST per entry, signed per Standard Webhooks
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`); `webhook-id` is
 * the entry's delivery id, the same on every retry and resend, and is also
 * sent as `Idempotency-Key`. Any 2xx is success; anything else is retried.
 */
import type { Channel } from './deliver.ts';
import type { NotifyEntry } from './entries.ts';
import { deliveryId } from './message-id.ts';
import { signWebhook, slackPayload } from './messages.ts';
import { redactUrlsIn } from '../shared/redact-url.ts';

export interface WebhookSettings {
  name: string;
  url: string;
  format: 'json' | 'slack';
  secret?: string;
  /** Builds the JSON body for an entry (messages.ts `webhookPayload`, bound to the content and status). */
  payload(entry: NotifyEntry): unknown;
  /** The clock for `webhook-timestamp`. */
  now(): Date;
}

const TIMEOUT_MS = 15_000;

export function webhookChannel(w: WebhookSettings): Channel<NotifyEntry> {
  const origin = new URL(w.url);
  // fetch refuses a URL with credentials (and quotes it whole in its error):
  // they go in an Authorization header instead, and never into a message (issue 22).
  const basic =
    origin.username || origin.password
      ? `Basic ${Buffer.from(`${decodeURIComponent(origin.username)}:${decodeURIComponent(origin.password)}`).toString('base64')}`
      : undefined;
  const target = new URL(w.url);
  target.username = '';
  target.password = '';
  return {
    key: `webhook:${w.name}`,
    // Never log the path or query: they often carry a token (Slack, Mattermost).
    target: `${origin.protocol}//${origin.host}/…`,
    accepts: () => true,
    async open() {},
    async send(entry) {
      const body = JSON.stringify(w.format === 'slack' ? slackPayload(entry) : w.payload(entry));
      const id = deliveryId(entry.id);
      const timestamp = Math.floor(w.now().getTime() / 1000);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'jabber-org-status-notify',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'idempotency-key': id,
      };
      if (w.secret) headers['webhook-signature'] = signWebhook(w.secret, id, timestamp, body);
      if (basic) headers.authorization = basic;
      let res: Response;
      try {
        res = await fetch(target, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(redactUrlsIn(`POST to ${origin.host} failed: ${cause?.code ?? cause?.message ?? (err as Error).message}`));
      }
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status > 299) throw new Error(`POST to ${origin.host} answered HTTP ${res.status}`);
    },
    async close() {},
  };
}
