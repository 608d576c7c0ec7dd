/**
 * One stable id per entry, derived from its permanent feed id, so a resend
 * after a crash carries the same XMPP stanza id, `Message-ID` and webhook id
 * as the first send and receivers can drop the duplicate.
 */
import { createHash } from 'node:crypto';

/**
 * @param entryId e.g. `tag:status.jabber.org,2026-11-09:incident/2026-11-09-login/2026-11-09T06:40:00Z`
 * @returns e.g. `status-5f1c…` (32 hex digits after the prefix)
 */
export function deliveryId(entryId: string): string {
  return `status-${createHash('sha256').update(entryId).digest('hex').slice(0, 32)}`;
}
