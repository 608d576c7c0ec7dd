import { expect, test } from 'vitest';
import { CertAnnouncementSchema, CertHistoryFileSchema } from '../schemas.ts';
import { appendCertSummaries, certChanges, changeSentences, changeTitle, emptyCertHistory } from './cert-history.ts';
import { certChangeEntries } from './cert-feed.ts';
import { fp, summaryCert, summaryWith } from './test-fixtures.ts';

const all = () => true;
const old = summaryCert({ fingerprint256: fp('AA'), spki256: fp('11'), validTo: '2026-11-30T00:00:00Z' });

test('a renewal with the same key, seen from two locations, is one expected change', () => {
  const renewed = summaryCert({ fingerprint256: fp('BB'), spki256: fp('11'), validTo: '2027-02-28T00:00:00Z', issuer: 'R10' });
  const ams = summaryWith('ams', [
    { cert: renewed, at: '2026-11-21T11:59:00Z', since: '2026-11-21T03:00:00Z', streak: 500, previous: { cert: old, until: '2026-11-21T02:59:00Z' } },
  ]);
  const fra = summaryWith('fra', [
    { cert: renewed, at: '2026-11-21T11:59:00Z', since: '2026-11-21T03:01:00Z', streak: 500, previous: { cert: old, until: '2026-11-21T03:00:00Z' } },
  ]);
  const store = CertHistoryFileSchema.parse(appendCertSummaries(emptyCertHistory(), [ams, fra], all));
  const [change, ...rest] = certChanges(store, []);
  expect(rest).toEqual([]);
  expect(change).toMatchObject({ at: '2026-11-21T03:00:00Z', vantages: ['ams', 'fra'], verdict: 'expected', keyUnchanged: true });
  expect(changeTitle(change!)).toBe('Certificate on port 5222 (jabber.org) changed: expected renewal');
  expect(changeSentences(change!)[0]).toBe(
    `The certificate of jabber.org on port 5222 changed at 2026-11-21 03:00 UTC, as seen from ams, fra; new SHA-256 ${fp('BB')}; the key is unchanged.`,
  );
});

test('the store keeps a change found by one build through later builds that no longer see the old certificate', () => {
  const first = appendCertSummaries(
    emptyCertHistory(),
    [summaryWith('ams', [{ cert: old, at: '2026-11-20T11:59:00Z', since: '2026-11-01T00:00:00Z', streak: 9 }])],
    all,
  );
  const second = appendCertSummaries(
    first,
    [
      summaryWith('ams', [
        { cert: summaryCert({ fingerprint256: fp('CC'), spki256: fp('22') }), at: '2026-11-21T11:59:00Z', since: '2026-11-21T10:00:00Z', streak: 120 },
      ]),
    ],
    all,
  );
  const third = appendCertSummaries(
    second,
    [
      summaryWith('ams', [
        { cert: summaryCert({ fingerprint256: fp('CC'), spki256: fp('22') }), at: '2026-11-22T11:59:00Z', since: '2026-11-21T10:00:00Z', streak: 1560 },
      ]),
    ],
    all,
  );
  expect(certChanges(third, []).map((c) => [c.at, c.keyUnchanged])).toEqual([['2026-11-21T10:00:00Z', false]]);
});

test.each([
  // New key, old certificate had 9 days left: a renewal.
  [
    'expected',
    { fingerprint256: fp('CC'), spki256: fp('22') },
    '2026-11-30T00:00:00Z',
    ['a renewal: same names and issuer, the old certificate had 8 days left'],
  ],
  // New key with months left and no announcement.
  [
    'unexpected',
    { fingerprint256: fp('CC'), spki256: fp('22') },
    '2027-03-01T00:00:00Z',
    ['a new key while the old certificate still had 99 days left, and no announcement'],
  ],
  // Another CA.
  [
    'unexpected',
    { fingerprint256: fp('CC'), spki256: fp('11'), issuer: 'Evil CA', issuerOrg: 'Evil' },
    '2026-11-30T00:00:00Z',
    ["another issuer (before: Let's Encrypt; now: Evil)"],
  ],
  // Replaced after it expired (the sample's 2 October website story).
  ['expected', { fingerprint256: fp('CC'), spki256: fp('22') }, '2026-11-21T09:00:00Z', ['a renewal: same names and issuer, the old certificate had expired']],
  // Other names.
  [
    'unexpected',
    { fingerprint256: fp('CC'), spki256: fp('11'), names: ['DNS:other.example'] },
    '2026-11-30T00:00:00Z',
    ['the names changed (before: DNS:jabber.org, SRVName:_xmpp-client.jabber.org; now: DNS:other.example)'],
  ],
] as const)('a change is %s when %j replaces a certificate valid to %s', (verdict, after, validTo, reasons) => {
  const before = summaryCert({ fingerprint256: fp('AA'), spki256: fp('11'), validTo });
  const store = appendCertSummaries(
    emptyCertHistory(),
    [
      summaryWith('ams', [
        {
          cert: summaryCert(structuredClone(after) as Parameters<typeof summaryCert>[0]),
          at: '2026-11-21T11:59:00Z',
          since: '2026-11-21T10:00:00Z',
          streak: 3,
          previous: { cert: before, until: '2026-11-21T09:59:00Z' },
        },
      ]),
    ],
    all,
  );
  expect(certChanges(store, [])[0]).toMatchObject({ verdict, reasons });
});

test('an announcement with the new fingerprint makes a re-key expected; another fingerprint does not', () => {
  const before = summaryCert({ fingerprint256: fp('AA'), validTo: '2027-03-01T00:00:00Z' });
  const store = appendCertSummaries(
    emptyCertHistory(),
    [
      summaryWith('ams', [
        {
          cert: summaryCert({ fingerprint256: fp('CC'), spki256: fp('22') }),
          at: '2026-11-21T11:59:00Z',
          since: '2026-11-21T10:00:00Z',
          streak: 3,
          previous: { cert: before, until: '2026-11-21T09:59:00Z' },
        },
      ]),
    ],
    all,
  );
  const announce = (fingerprint256: string) =>
    CertAnnouncementSchema.parse({ domain: 'jabber.org', from: '2026-11-21T09:00:00Z', until: '2026-11-21T11:00:00Z', fingerprint256, note: 'New key.' });
  expect(certChanges(store, [announce(fp('cc').replace(/:/g, ''))])[0]).toMatchObject({
    verdict: 'expected',
    reasons: ['announced in advance by the administrators'],
  });
  expect(certChanges(store, [announce(fp('DD'))])[0]!.verdict).toBe('unexpected');
});

test('a load balancer alternating between two known certificates is not a change each build', () => {
  const a = summaryCert({ fingerprint256: fp('AA') });
  const b = summaryCert({ fingerprint256: fp('BB') });
  let store = appendCertSummaries(
    emptyCertHistory(),
    [summaryWith('ams', [{ cert: a, at: '2026-11-21T10:00:00Z', since: '2026-11-21T09:00:00Z', streak: 2 }])],
    all,
  );
  store = appendCertSummaries(
    store,
    [summaryWith('ams', [{ cert: b, at: '2026-11-21T10:01:00Z', since: '2026-11-21T10:01:00Z', streak: 1, seen: [fp('BB'), fp('AA')] }])],
    all,
  );
  store = appendCertSummaries(
    store,
    [summaryWith('ams', [{ cert: a, at: '2026-11-21T10:02:00Z', since: '2026-11-21T10:02:00Z', streak: 1, seen: [fp('AA'), fp('BB')] }])],
    all,
  );
  store = appendCertSummaries(
    store,
    [summaryWith('ams', [{ cert: b, at: '2026-11-21T10:03:00Z', since: '2026-11-21T10:03:00Z', streak: 1, seen: [fp('BB'), fp('AA')] }])],
    all,
  );
  // The first switch is news (the store had never seen B); the alternation after it is not.
  expect(certChanges(store, [])).toHaveLength(1);
});

test('feed entries have permanent ids, the component categories and escaped text', () => {
  const store = appendCertSummaries(
    emptyCertHistory(),
    [
      summaryWith('ams', [
        {
          cert: summaryCert({ fingerprint256: fp('CC'), subject: '<b>x</b>' }),
          at: '2026-11-21T11:59:00Z',
          since: '2026-11-21T10:00:00Z',
          streak: 3,
          previous: { cert: old, until: '2026-11-21T09:59:00Z' },
        },
      ]),
    ],
    all,
  );
  const [entry] = certChangeEntries(certChanges(store, []), 'https://status.jabber.org', 'https://status.jabber.org/certificates/', () => ['c2s']);
  expect(entry!.id).toBe('tag:status.jabber.org,2026-11-21:certificate/jabber.org/c2s-starttls/aaaaaaaaaaaaaaaa-cccccccccccccccc');
  expect(entry!.categories).toEqual(['certificate', 'unexpected', 'c2s']);
  expect(entry!.link).toBe('https://status.jabber.org/certificates/#change-c2s-starttls-cccccccccccccccc');
  expect(entry!.html).not.toContain('<b>');
});
