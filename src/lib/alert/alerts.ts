/**
 * Alerts to the admins (issue 26): what the publish loop and the watch on
 * the probe hosts found wrong, delivered once per cause and followed by a
 * "resolved" when the cause clears. Pure: the caller passes the causes seen
 * now, the alerts still open and the clock; `planAlerts` says what to send.
 */
import { createHash } from 'node:crypto';

/** Something wrong now, as the publish loop or the watch reports it. */
export interface AlertCause {
  /**
   * Stable while the same thing is wrong, e.g. `content-check-failed:3f52ccc…`,
   * `hold`, `fetch-failed`, `publish-silent`. A new key is a new alert.
   */
  key: string;
  /** What an admin reads, with the fix, e.g. `Publishing is on hold since …`. */
  text: string;
}

/** An alert that was sent and has not been resolved yet. */
export interface OpenAlert extends AlertCause {
  /** When it was first sent, ISO, e.g. `2026-11-21T21:26:00.000Z`. */
  since: string;
}

/** One message to send on every configured channel. */
export interface AlertMessage {
  /** `raised` when a cause appears, `resolved` when it is gone. */
  kind: 'raised' | 'resolved';
  key: string;
  /**
   * The same on every host that sees the same cause starting in the same
   * minute, so receivers that dedupe (webhook `Idempotency-Key`, mail
   * `Message-ID`, XMPP message id) get it once, e.g. `alert-3f9c…`.
   */
  id: string;
  /** One line, e.g. `[jabber.org status] ALERT: Publishing is on hold …`. */
  subject: string;
  text: string;
}

/**
 * A delivery id shared by every host that raises the same cause: the key
 * and the start of the cause rounded down to the 10-minute window.
 */
export function alertId(kind: AlertMessage['kind'], key: string, since: Date): string {
  const window = Math.floor(since.getTime() / 600_000);
  return `alert-${createHash('sha256').update(`${kind}\0${key}\0${window}`).digest('hex').slice(0, 32)}`;
}

/**
 * What to send now and what stays open.
 * @example planAlerts([], [{ key: 'hold', text: 'On hold' }], now, 'jabber.org status')
 * // → one `raised` message; `open` holds the hold alert with `since: now`
 */
export function planAlerts(open: readonly OpenAlert[], current: readonly AlertCause[], now: Date, site: string): { send: AlertMessage[]; open: OpenAlert[] } {
  const send: AlertMessage[] = [];
  const byKey = new Map(open.map((a) => [a.key, a]));
  const seen = new Set<string>();
  const next: OpenAlert[] = [];
  for (const cause of current) {
    if (seen.has(cause.key)) continue;
    seen.add(cause.key);
    const already = byKey.get(cause.key);
    if (already) {
      next.push({ ...already, text: cause.text });
      continue;
    }
    next.push({ ...cause, since: now.toISOString() });
    send.push({
      kind: 'raised',
      key: cause.key,
      id: alertId('raised', cause.key, now),
      subject: `[${site}] ALERT: ${firstLine(cause.text)}`,
      text: cause.text,
    });
  }
  for (const gone of open) {
    if (seen.has(gone.key)) continue;
    const since = new Date(gone.since);
    send.push({
      kind: 'resolved',
      key: gone.key,
      id: alertId('resolved', gone.key, since),
      subject: `[${site}] RESOLVED: ${firstLine(gone.text)}`,
      text: `Resolved at ${now.toISOString().replace(/\.\d+Z$/, 'Z')} (open since ${gone.since.replace(/\.\d+Z$/, 'Z')}): ${gone.text}`,
    });
  }
  return { send, open: next };
}

/** The first line, cut to 140 characters, for subjects. */
function firstLine(text: string): string {
  const line = text.split('\n')[0]!;
  return line.length > 140 ? `${line.slice(0, 139)}…` : line;
}

/** `publish-status.json` as the watch reads it (the fields it needs). */
export interface WatchedStatus {
  /** e.g. `2026-11-21T21:20:10.000Z`, or null before the first success. */
  lastSuccessAt: string | null;
  ranAt: string;
}

/** How long the publish loop may go without success before the watch alerts. */
export const SILENT_AFTER_MS = 5 * 60_000;

/**
 * The watch's causes, from the probe hosts (issue 26): a build host that
 * stopped publishing is noticed from outside.
 * @param status the publish status fetched from the site, or why it could not be
 */
export function watchCauses(status: WatchedStatus | { error: string }, now: Date, url: string): AlertCause[] {
  if ('error' in status) {
    return [
      {
        key: 'publish-silent',
        text: `The publish status at ${url} cannot be read (${status.error}): the build host or the web host may be down. Check jabber-status-publish on the build host and nginx on the web host.`,
      },
    ];
  }
  const last = status.lastSuccessAt ? Date.parse(status.lastSuccessAt) : NaN;
  if (Number.isNaN(last) || now.getTime() - last > SILENT_AFTER_MS) {
    const age = Number.isNaN(last) ? 'never' : `${Math.round((now.getTime() - last) / 60_000)} min ago (${status.lastSuccessAt})`;
    return [
      {
        key: 'publish-silent',
        text: `The status page has not been published successfully for over ${SILENT_AFTER_MS / 60_000} minutes (last success: ${age}; last run ${status.ranAt}). Check journalctl -u jabber-status-publish on the build host, and npm run doctor there.`,
      },
    ];
  }
  return [];
}
