import { describe, expect, test } from 'vitest';
import { matchesDnsName, matchXmppIdentity, parseSubjectAltName } from './identity.ts';

test("parses Node's subjectaltname, including othernames and quoted values", () => {
  expect(
    parseSubjectAltName('DNS:xmpp.test, DNS:*.xmpp.test, othername:XmppAddr:xmpp.test, othername:SRVName:_xmpp-client.xmpp.test, DNS:"a, b.test"'),
  ).toEqual([
    { type: 'DNS', value: 'xmpp.test' },
    { type: 'DNS', value: '*.xmpp.test' },
    { type: 'XmppAddr', value: 'xmpp.test' },
    { type: 'SRVName', value: '_xmpp-client.xmpp.test' },
    { type: 'DNS', value: 'a, b.test' },
  ]);
  expect(parseSubjectAltName(undefined)).toEqual([]);
});

describe('matchXmppIdentity', () => {
  const san = (s: string) => parseSubjectAltName(s);
  test.each([
    // [what, domain, service, SAN string, CN, expected]
    ['SRV-ID for the right service', 'xmpp.test', 'xmpp-client', 'othername:SRVName:_xmpp-client.xmpp.test', undefined, 'SRV-ID'],
    ['SRV-ID for the other service does not count', 'xmpp.test', 'xmpp-server', 'othername:SRVName:_xmpp-client.xmpp.test', undefined, null],
    ['XmppAddr', 'xmpp.test', 'xmpp-server', 'othername:XmppAddr:XMPP.test', undefined, 'XmppAddr'],
    ['XmppAddr never takes wildcards', 'xmpp.test', 'xmpp-client', 'othername:XmppAddr:*.test', undefined, null],
    ['DNS-ID exact', 'jabber.org', 'xmpp-client', 'DNS:jabber.org', undefined, 'DNS-ID'],
    ['DNS-ID leftmost wildcard', 'chat.jabber.org', 'xmpp-client', 'DNS:*.jabber.org', undefined, 'DNS-ID'],
    ['wildcard does not match the bare domain', 'jabber.org', 'xmpp-client', 'DNS:*.jabber.org', undefined, null],
    ['wildcard covers one label only', 'a.b.jabber.org', 'xmpp-client', 'DNS:*.jabber.org', undefined, null],
    ['the SRV target host is not the identity', 'jabber.org', 'xmpp-client', 'DNS:hermes.jabber.org', undefined, null],
    ['CN only when there are no SAN identifiers', 'xmpp.test', 'xmpp-client', '', 'xmpp.test', 'CN'],
    ['a website needs a DNS name, not an XmppAddr', 'xmpp.test', 'https', 'othername:XmppAddr:xmpp.test', undefined, null],
    ['a website matches a DNS name', 'www.xmpp.test', 'https', 'DNS:*.xmpp.test', undefined, 'DNS-ID'],
    ['CN ignored when SANs exist', 'xmpp.test', 'xmpp-client', 'DNS:other.test', 'xmpp.test', null],
  ] as const)('%s', (_what, domain, service, sanString, cn, expected) => {
    expect(matchXmppIdentity(domain, service, san(sanString), cn)).toBe(expected);
  });
});

test('matchesDnsName ignores case and a trailing dot', () => {
  expect(matchesDnsName('Jabber.ORG.', 'jabber.org')).toBe(true);
  expect(matchesDnsName('*.*.org', 'a.b.org')).toBe(false);
});
