import { expect, test } from 'vitest';
import { mailingList, webcalUrl, xmppUri } from './subscribe.ts';

test('the calendar link asks calendar apps to subscribe, not import', () => {
  expect(webcalUrl('https://status.jabber.org/maintenance.ics')).toBe('webcal://status.jabber.org/maintenance.ics');
  expect(webcalUrl('http://localhost:4321/status/maintenance.ics')).toBe('webcal://localhost:4321/status/maintenance.ics');
});

test('XMPP links use the registered query actions', () => {
  expect(xmppUri.contact('status@jabber.org')).toBe('xmpp:status@jabber.org?roster');
  expect(xmppUri.room('status@conference.jabber.org')).toBe('xmpp:status@conference.jabber.org?join');
  expect(xmppUri.pubsub('pubsub.jabber.org', 'status/c2s')).toBe('xmpp:pubsub.jabber.org?pubsub;action=subscribe;node=status%2Fc2s');
});

test.each([
  // headers → how to join and leave
  [
    { 'List-Unsubscribe': '<mailto:status-announce-leave@lists.jabber.org>' },
    { join: 'status-announce-join@lists.jabber.org', leave: 'status-announce-leave@lists.jabber.org' },
  ],
  [
    { 'List-Subscribe': '<mailto:join@x.org?subject=subscribe>', 'List-Unsubscribe': '<mailto:leave@x.org>' },
    { join: 'join@x.org', leave: 'leave@x.org' },
  ],
  [{ 'List-Unsubscribe': '<mailto:unsubscribe@x.org>' }, { leave: 'unsubscribe@x.org' }],
  [{ 'List-Unsubscribe': '<https://x.org/leave>' }, {}],
  [{}, {}],
])('mailingList(%j) is %j', (headers, expected) => expect(mailingList(headers)).toEqual(expected));
