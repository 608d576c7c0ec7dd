import { expect, test } from 'vitest';
import { CertAnnouncementSchema, DaneFactsSchema } from '../schemas.ts';
import { daneSentences, rotationBreaks } from './dane-view.ts';
import { fp } from './test-fixtures.ts';

const hex = (b: string) => b.repeat(32);
const dane = (records: { usage: number; selector: number; mtype?: number; data?: string; matches: boolean }[]) =>
  DaneFactsSchema.parse({
    name: '_5222._tcp.hermes2.jabber.org',
    lookup: 'found',
    dnssec: 'not-validated',
    records: records.map((r) => ({ mtype: 1, data: hex('AB'), ...r })),
  });
const announce = (over: Record<string, unknown> = {}) =>
  CertAnnouncementSchema.parse({ domain: 'jabber.org', from: '2026-12-01T03:00:00Z', until: '2026-12-01T05:00:00Z', note: 'New key.', ...over });

test.each([
  // A DANE-EE record for today's key only, and the announced key is another: broken.
  [true, [{ usage: 3, selector: 1, matches: true }], { spki256: fp('CD') }],
  // The record for the announced key is already published beside today's: fine.
  [
    false,
    [
      { usage: 3, selector: 1, matches: true },
      { usage: 3, selector: 1, data: hex('CD'), matches: false },
    ],
    { spki256: fp('CD') },
  ],
  // A whole-certificate record breaks with any new certificate.
  [true, [{ usage: 3, selector: 0, matches: true }], {}],
  // A key record and no named new key: a renewal may keep the key, so no warning.
  [false, [{ usage: 3, selector: 1, matches: true }], {}],
  // A trust-anchor record survives a renewal from the same CA.
  [false, [{ usage: 2, selector: 1, matches: true }], { spki256: fp('CD') }],
] as const)('a rotation breaks DANE: %s for %j announced as %j', (expected, records, over) => {
  expect(rotationBreaks(dane([...records]), announce(over))).toBe(expected);
});

test('every DANE result says what the probe cannot verify without DNSSEC', () => {
  const said = daneSentences(dane([{ usage: 3, selector: 1, matches: true }]), []);
  expect(said.level).toBe('ok');
  expect(said.sentences).toEqual([
    '1 TLSA record at _5222._tcp.hermes2.jabber.org: record 1 (DANE-EE, public key, SHA-256) matches the certificate presented.',
    'The probe does not validate DNSSEC: it cannot tell whether these records are signed, nor a forged answer from a real one, so a match here does not prove DANE protects you; a mismatch is still what a validating client would see.',
  ]);
});
