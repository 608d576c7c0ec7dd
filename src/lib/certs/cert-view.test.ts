import { expect, test } from 'vitest';
import { agreementSentence, certificatesView, judgeAgreement, type LocationCert } from './cert-view.ts';
import { fingerprintBlocks, normaliseFingerprint } from './fingerprint.ts';
import { fp, summaryCert, summaryWith } from './test-fixtures.ts';

const loc = (vantage: string, fingerprint: string, over: Partial<LocationCert> = {}): LocationCert => ({
  vantage,
  at: '2026-11-21T11:59:00Z',
  since: '2026-11-21T11:00:00Z',
  streak: 60,
  cert: summaryCert({ fingerprint256: fingerprint }),
  seen: [normaliseFingerprint(fingerprint)],
  previous: null,
  returns: 0,
  ...over,
});

test('a fingerprint is shown in blocks of four hex pairs, whatever its spelling', () => {
  expect(fingerprintBlocks('5a:3c:9e:12:7b:44:0f:d1:88:2e')).toEqual(['5A 3C 9E 12', '7B 44 0F D1', '88 2E']);
  expect(fingerprintBlocks(fp('AB'))).toHaveLength(8);
});

test.each([
  // Everyone sees the same certificate.
  ['agree', [loc('ams', fp('AA')), loc('fra', fp('AA'))]],
  // One location only.
  ['one-location', [loc('ams', fp('AA'))]],
  // Each location has seen its own certificate over two runs or more, and never the other's: interception on one path, or a half-finished deployment.
  ['disagree', [loc('ams', fp('AA')), loc('nyc', fp('BB'))]],
  // The second location has seen its certificate only once: not yet two probe intervals.
  ['settling', [loc('ams', fp('AA')), loc('nyc', fp('BB'), { streak: 1 })]],
  // A load balancer: nyc saw both certificates lately, alternating.
  ['several', [loc('ams', fp('AA')), loc('nyc', fp('BB'), { seen: [normaliseFingerprint(fp('BB')), normaliseFingerprint(fp('AA'))] })]],
  // A load balancer seen from one place: ams keeps going back to certificates it had seen.
  ['several', [loc('ams', fp('AA'), { returns: 40, seen: [normaliseFingerprint(fp('AA')), normaliseFingerprint(fp('BB'))] })]],
  // A renewal seen from one place: two certificates lately, but no going back.
  ['one-location', [loc('ams', fp('BB'), { seen: [normaliseFingerprint(fp('BB')), normaliseFingerprint(fp('AA'))] })]],
  // The same renewal seen from two places.
  ['agree', [loc('ams', fp('BB'), { seen: [normaliseFingerprint(fp('BB')), normaliseFingerprint(fp('AA'))] }), loc('fra', fp('BB'))]],
  // nyc stopped reporting a day before a renewal: it is not compared.
  ['one-location', [loc('ams', fp('AA')), loc('nyc', fp('BB'), { at: '2026-11-20T11:59:00Z' })]],
] as const)('locations are judged "%s"', (expected, locations) => {
  expect(judgeAgreement(locations, 60).agreement).toBe(expected);
});

test('a disagreement names who sees which certificate, the biggest group first', () => {
  const judged = judgeAgreement([loc('ams', fp('AA')), loc('fra', fp('AA')), loc('nyc', fp('BB'))], 60);
  expect(judged.groups.map((g) => g.vantages)).toEqual([['ams', 'fra'], ['nyc']]);
  expect(agreementSentence({ target: 't', locations: [], ...judged })).toBe(
    'Locations disagree: ams and fra see one certificate, nyc another, each over two probe runs or more. That is a strong sign of interception on one network path, or of a change deployed to only some servers.',
  );
});

test('the view covers each mapped component with a certificate check, per target, and reads summaries from before issue 30', () => {
  const ams = summaryWith('ams', [{ cert: summaryCert(), at: '2026-11-21T11:59:00Z', since: '2026-11-20T00:00:00Z', streak: 2000 }]);
  const nyc = summaryWith('nyc', [{ cert: summaryCert({ fingerprint256: fp('BB') }), at: '2026-11-21T11:59:00Z', since: '2026-11-21T11:00:00Z', streak: 60 }]);
  // A summary written before issue 30: only the check's newest certificate.
  const old = { ...ams, vantage: 'fra', checks: ams.checks.map(({ certs: _certs, ...rest }) => rest) };
  const view = certificatesView(
    [ams, nyc, old],
    new Map([
      [
        'c2s',
        [
          { domain: 'jabber.org', check: 'c2s-starttls' as const },
          { domain: 'jabber.org', check: 'dns' as const },
        ],
      ],
    ]),
    new Map([['c2s', 'Client connections']]),
    { intervalSeconds: 60 },
  );
  expect(view.checks).toHaveLength(1); // dns presents no certificate
  const [target] = view.checks[0]!.targets;
  expect(target!.locations.map((l) => [l.vantage, l.streak])).toEqual([
    ['ams', 2000],
    ['fra', 0],
    ['nyc', 60],
  ]);
  // fra's old summary has no run, so it cannot make a disagreement; ams and nyc do.
  expect(target!.agreement).toBe('settling');
  const withoutOld = certificatesView([ams, nyc], new Map([['c2s', [{ domain: 'jabber.org', check: 'c2s-starttls' as const }]]]), new Map(), {
    intervalSeconds: 60,
  });
  expect(withoutOld.disagreements.get('c2s')?.map((d) => d.target.target)).toEqual(['hermes2.jabber.org:5222']);
});
