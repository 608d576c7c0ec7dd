import { expect, test } from 'vitest';
import { judgePing } from './federation-ping.ts';

test.each([
  // answer, pinged domain → verdict
  [{ type: 'result' }, 'xmpp.org', { ok: true }],
  [{ type: 'error', condition: 'service-unavailable' }, 'jabber.org', { ok: false, error: 'ping to jabber.org failed: service-unavailable' }],
  [
    { type: 'error', condition: 'remote-server-not-found', by: 'xmpp.org' },
    'xmpp.org',
    { ok: false, error: 'ping to xmpp.org failed: remote-server-not-found' },
  ],
  [
    { type: 'error', condition: 'forbidden (Access denied by service policy)' },
    'xmpp.org',
    { ok: false, error: 'ping to xmpp.org failed: forbidden (Access denied by service policy); the error does not say xmpp.org sent it' },
  ],
  // XEP-0199's "ping not supported" error proves federation only when the remote server signs it.
  [{ type: 'error', condition: 'service-unavailable', by: 'XMPP.org' }, 'xmpp.org', { ok: true }],
  [
    { type: 'error', condition: 'service-unavailable', by: 'jabber.org' },
    'xmpp.org',
    { ok: false, error: 'ping to xmpp.org failed: service-unavailable; the error came from jabber.org, not xmpp.org' },
  ],
] as const)('%j from %s', (answer, to, verdict) => {
  expect(judgePing(answer, to, 'jabber.org')).toEqual(verdict);
});
