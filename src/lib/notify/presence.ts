/**
 * The status contact's presence, from the one status function: contacts see
 * jabber.org's state in their contact list without opening anything.
 */
import type { ComponentState } from '../schemas.ts';
import type { StatusSnapshot } from '../status/status.ts';
import { isStale, lastMonitoringReport, listNames, readerName, staleSentence } from '../status/reader-words.ts';

export interface StatusPresence {
  /** Absent for plain "available"; XMPP's `away` or `dnd` otherwise (RFC 6121 §4.7.2.1). */
  show?: 'away' | 'dnd';
  /** The status text clients show under the name, in readers' words, e.g. `Major outage: Logging in and Logging in with direct TLS`. */
  status: string;
}

/** Outages are "do not disturb" (red in most clients); anything less than working is "away" (yellow). */
const SHOW: Record<ComponentState, StatusPresence['show']> = {
  operational: undefined,
  'under-maintenance': 'away',
  unknown: 'away',
  degraded: 'away',
  'partial-outage': 'dnd',
  'major-outage': 'dnd',
};

/**
 * The components in the worst state by their reader names (issue 27: a
 * contact list has room for "Logging in", not for port numbers); when the
 * status includes stale monitoring and nothing else, the page's one
 * stale sentence.
 * @example presenceFor(status) // { show: 'dnd', status: 'Major outage: Logging in and Logging in with direct TLS' }
 */
export function presenceFor(status: StatusSnapshot): StatusPresence {
  const { state, headline } = status.overall;
  const show = SHOW[state];
  if (state === 'operational') return { status: headline };
  if (isStale(status)) return { show: 'away', status: staleSentence(lastMonitoringReport(status), status.now) };
  const worst = status.components.filter((c) => c.state === state).map((c) => readerName(c.component));
  return { ...(show ? { show } : {}), status: worst.length ? `${headline}: ${listNames(worst)}` : headline };
}

/** True when two presences would look the same to a contact (no need to resend). */
export function samePresence(a: StatusPresence | undefined, b: StatusPresence): boolean {
  return a !== undefined && a.show === b.show && a.status === b.status;
}
