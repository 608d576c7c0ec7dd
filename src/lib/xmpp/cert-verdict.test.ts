import { expect, test } from 'vitest';
import { judgeCertificate, type PeerCertificate } from './cert-verdict.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const good: PeerCertificate = {
  authorized: true,
  subjectCN: 'jabber.org',
  issuer: 'Test CA',
  subjectaltname: 'DNS:jabber.org, othername:SRVName:_xmpp-client.jabber.org',
  validFrom: new Date('2026-10-01T00:00:00Z'),
  validTo: new Date('2027-01-01T00:00:00Z'),
  fingerprint256: 'AA:BB',
};

test('a trusted, matching certificate passes and reports its facts', () => {
  expect(judgeCertificate(good, 'jabber.org', 'xmpp-client', NOW)).toMatchInlineSnapshot(`
    {
      "facts": {
        "daysLeft": 40,
        "fingerprint256": "AA:BB",
        "identity": "SRV-ID",
        "issuer": "Test CA",
        "names": [
          "DNS:jabber.org",
          "SRVName:_xmpp-client.jabber.org",
        ],
        "subject": "jabber.org",
        "trusted": true,
        "validFrom": "2026-10-01T00:00:00Z",
        "validTo": "2027-01-01T00:00:00Z",
      },
      "problems": [],
    }
  `);
});

test.each([
  // what is wrong → the reason readers see
  ['self-signed', { authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)'],
  [
    'expired (OpenSSL)',
    { authorized: false, authorizationError: 'CERT_HAS_EXPIRED', validTo: new Date('2020-02-01T00:00:00Z') },
    'certificate expired on 2020-02-01 (CERT_HAS_EXPIRED)',
  ],
  ['expired against our clock', { validTo: new Date('2026-11-20T00:00:00Z') }, 'certificate expired on 2026-11-20'],
  [
    'untrusted chain',
    { authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
    'certificate not issued by a recognized CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
  ],
  ['wrong name', { subjectaltname: 'DNS:other.example' }, 'certificate is not valid for jabber.org (it names DNS:other.example)'],
  ['under a day left', { validTo: new Date('2026-11-22T06:00:00Z') }, 'certificate expires in less than a day (2026-11-22T06:00:00Z)'],
  [
    'self-signed and wrong name',
    { authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', subjectaltname: 'DNS:x.test' },
    'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); certificate is not valid for jabber.org (it names DNS:x.test)',
  ],
] as const)('fails a certificate that is %s', (_what, change, error) => {
  expect(
    judgeCertificate({ ...good, ...change }, 'jabber.org', 'xmpp-client', NOW)
      .problems.map((p) => p.text)
      .join('; '),
  ).toBe(error);
});

test('warns, without failing, under 30 days', () => {
  const verdict = judgeCertificate({ ...good, validTo: new Date('2026-12-03T12:00:00Z') }, 'jabber.org', 'xmpp-client', NOW);
  expect(verdict.problems).toEqual([]);
  expect(verdict.warning).toBe('certificate expires in 12 days (2026-12-03)');
});

test('an s2s check needs the server SRV-ID, not the client one', () => {
  const verdict = judgeCertificate({ ...good, subjectaltname: 'othername:SRVName:_xmpp-client.jabber.org' }, 'jabber.org', 'xmpp-server', NOW);
  expect(verdict.problems.map((p) => p.text).join('; ')).toBe('certificate is not valid for jabber.org (it names SRVName:_xmpp-client.jabber.org)');
});

test('each certificate problem carries its kind, so nothing after the probe reads the words', () => {
  const kinds = (change: Partial<typeof good>) => judgeCertificate({ ...good, ...change }, 'jabber.org', 'xmpp-client', NOW).problems.map((p) => p.kind);
  expect(kinds({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', subjectaltname: 'DNS:x.test' })).toEqual([
    'certificate-untrusted',
    'certificate-name-mismatch',
  ]);
  expect(kinds({ authorized: false, authorizationError: 'CERT_HAS_EXPIRED' })).toEqual(['certificate-expired']);
  expect(kinds({ authorized: false, authorizationError: 'CERT_NOT_YET_VALID' })).toEqual(['certificate-not-yet-valid']);
  expect(kinds({ validTo: new Date('2026-11-22T06:00:00Z') })).toEqual(['certificate-expiring']);
  expect(kinds({})).toEqual([]);
});
