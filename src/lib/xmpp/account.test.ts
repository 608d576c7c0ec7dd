import { expect, test } from 'vitest';
import { accountFor, accountWarnings } from './account.ts';

test('an account logs in only to its own domain', () => {
  expect(accountFor('Jabber.org', { jid: 'probe@jabber.org', password: 'pw' })).toEqual({ username: 'probe', password: 'pw' });
  expect(accountFor('xmpp.org', { jid: 'probe@jabber.org', password: 'pw' })).toEqual({
    notRun: 'account-elsewhere',
    error: 'not run: the probe account probe@jabber.org is not on xmpp.org',
  });
});

test.each([
  // settings → why not
  [{}, 'no-account', 'not run: no probe account (PROBE_JID and PROBE_PASSWORD are not set)'],
  [{ jid: 'probe@jabber.org' }, 'no-password', 'not run: PROBE_PASSWORD is not set'],
  [{ password: 'pw' }, 'no-account', 'not run: PROBE_JID is not set'],
])('%j does not run, as %s', (settings, notRun, error) => {
  expect(accountFor('jabber.org', settings)).toEqual({ notRun, error });
});

test('warnings name a half-configured account or one that fits no probed domain, and stay quiet without one', () => {
  expect(accountWarnings({}, ['jabber.org'])).toEqual([]);
  expect(accountWarnings({ jid: 'probe@jabber.org', password: 'pw' }, ['jabber.org', 'xmpp.org'])).toEqual([]);
  expect(accountWarnings({ jid: 'probe@jabber.org' }, ['jabber.org'])).toEqual([
    'PROBE_JID is set but PROBE_PASSWORD is not, so disco, contact, version, ping and federation do not run.',
  ]);
  expect(accountWarnings({ jid: 'probe@jabber.org', password: 'pw' }, ['xmpp.org'])).toEqual([
    'PROBE_JID probe@jabber.org is not on a probed domain (xmpp.org), so disco, contact, version, ping and federation do not run there.',
  ]);
});
