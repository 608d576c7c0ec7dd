import { describe, expect, test } from 'vitest';
import { formatChecklist } from './checklist-text.ts';
import { evaluatePolicy, POLICY_ITEMS, type Observation, type PolicyInput } from './policy.ts';
import type { ProblemKind } from '../schemas.ts';

const cert = { issuer: 'R11', validTo: '2027-01-20T23:59:59Z', daysLeft: 60, trusted: true, identity: 'DNS-ID' };
const ok = (check: Observation['check'], vantage: string, target = 'xmpp.example.org:5222'): Observation => ({
  check,
  vantage,
  at: '2026-11-21T11:55:00Z',
  target,
  ok: true,
  problems: [],
  cert: check.includes('tls') ? cert : null,
});
const failed = (check: Observation['check'], vantage: string, text: string, kind: ProblemKind = 'connect-refused'): Observation => ({
  ...ok(check, vantage),
  ok: false,
  problems: [{ kind, text }],
});
const healthy = (vantage: string) => [
  ok('c2s-starttls', vantage),
  ok('c2s-directtls', vantage, 'xmpp.example.org:5223'),
  ok('s2s-starttls', vantage, 'xmpp.example.org:5269'),
  ok('register', vantage),
  ok('website', vantage, 'https://example.org/'),
];
const input = (observations: Observation[], extra: Partial<PolicyInput> = {}): PolicyInput => ({
  domain: 'example.org',
  observations,
  uptime: { kind: 'one-off' },
  quorum: 0.5,
  ...extra,
});
const verdict = (i: PolicyInput, n: number) => evaluatePolicy(i).find((r) => r.number === n)!;

test('the policy has the nine items of the 2008 draft, in order, and only the telephone is not automated', () => {
  expect(POLICY_ITEMS.map((i) => `${i.number} ${i.id}${i.automated ? '' : ' (manual)'}`)).toEqual([
    '1 tls',
    '2 c2s',
    '3 s2s',
    '4 website',
    '5 registration',
    '6 addons',
    '7 uptime',
    '8 administrator',
    '9 phone (manual)',
  ]);
});

describe('locations count with the quorum rule', () => {
  test('one location of three seeing a failure is a note, not a failure', () => {
    const r = verdict(
      input([
        ...healthy('ams'),
        ...healthy('fra'),
        ...healthy('nyc').filter((o) => o.check !== 's2s-starttls'),
        failed('s2s-starttls', 'nyc', 'connection refused'),
      ]),
      3,
    );
    expect(r).toMatchObject({
      verdict: 'pass',
      reason: 'server-to-server connected (server-to-server: 1 of 3 locations (nyc) see a failure, fewer than the quorum)',
    });
  });

  test('two locations of three fail the item and are named', () => {
    const obs = [
      ...healthy('ams'),
      ...['fra', 'nyc'].flatMap((v) => [
        ...healthy(v).filter((o) => o.check !== 's2s-starttls'),
        failed('s2s-starttls', v, 'connection refused (xmpp.example.org:5269)'),
      ]),
    ];
    expect(verdict(input(obs), 3)).toMatchObject({ verdict: 'fail', reason: 'server-to-server: connection refused (xmpp.example.org:5269) (from fra, nyc)' });
  });

  test('with no result at all an item is unknown, never passing', () => {
    expect(evaluatePolicy(input([])).map((r) => r.verdict)).toEqual([
      'unknown',
      'unknown',
      'unknown',
      'unknown',
      'unknown',
      'unknown',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });
});

test('a certificate problem fails item 1 but not the connection items', () => {
  const obs = [
    ...healthy('ams').filter((o) => o.check !== 'c2s-starttls'),
    {
      ...failed('c2s-starttls', 'ams', 'certificate expired on 2026-11-01 (CERT_HAS_EXPIRED)', 'certificate-expired'),
      cert: { ...cert, trusted: false, daysLeft: -20 },
    },
  ];
  expect(verdict(input(obs), 1)).toMatchObject({ verdict: 'fail', reason: 'certificate expired on 2026-11-01 (CERT_HAS_EXPIRED) (client STARTTLS from ams)' });
  expect(verdict(input(obs), 2).verdict).toBe('pass');
});

test('a website on another port than 80 or 443 fails item 4 unless the rig allows the port', () => {
  const obs = [ok('website', 'ams', 'https://example.org:8443/')];
  expect(verdict(input(obs), 4)).toMatchObject({ verdict: 'fail', reason: 'no page answered: answers on port 8443, not 80 or 443' });
  expect(verdict(input(obs, { webPorts: [8443] }), 4).verdict).toBe('pass');
});

test('uptime: not measured in a one-off test, testing with days to go, then judged against the target', () => {
  expect(verdict(input([], { uptime: { kind: 'testing', dataDays: 12, testingDays: 30 } }), 7).reason).toBe(
    'in the testing period: 12 of 30 days of data (18 to go)',
  );
  expect(verdict(input([], { uptime: { kind: 'measured', uptime30: 99.95, target: 99.9, locations: 3 } }), 7)).toMatchObject({
    verdict: 'pass',
    reason: '99.95% over 30 days from 3 locations (target 99.9%)',
  });
  expect(verdict(input([], { uptime: { kind: 'measured', uptime30: 99.5, target: 99.9, locations: 3 } }), 7)).toMatchObject({
    verdict: 'fail',
    reason: '99.50% over 30 days from 3 locations, below the 99.9% target',
  });
  // One rounding rule with the service page's uptime (issue 27: 62.91% there, 62.916% here), truncated so 99.8999 never reads 99.90.
  expect(verdict(input([], { uptime: { kind: 'measured', uptime30: 62.9166, target: 99.9, locations: 3 } }), 7).reason).toMatch(/^62\.91% over/);
  expect(verdict(input([], { uptime: { kind: 'measured', uptime30: 99.8999, target: 99.9, locations: 3 } }), 7)).toMatchObject({
    verdict: 'fail',
    reason: '99.89% over 30 days from 3 locations, below the 99.9% target',
  });
});

test('the terminal checklist says pass, fail and unknown with the fix, and a closing line', () => {
  const obs = [
    ...healthy('self-test').filter((o) => o.check !== 'register'),
    failed('register', 'self-test', 'in-band registration is closed (the server answered not-allowed)', 'registration-closed'),
  ];
  expect(formatChecklist('Policy checklist for example.org', evaluatePolicy(input(obs)))).toMatchInlineSnapshot(`
    "Policy checklist for example.org

     1. PASS    TLS with a trusted certificate
                 trusted certificates valid for example.org on every connection that reached TLS
     2. PASS    Client connections
                 client STARTTLS and client direct TLS connected
     3. PASS    Server-to-server connections
                 server-to-server connected
     4. PASS    A website about the service
                 https://example.org/ answered
     5. FAIL    Account registration
                 in-band registration is closed (the server answered not-allowed)
                 How to fix: Open in-band registration (Prosody: allow_registration = true; ejabberd: mod_register with access_create), or declare a working sign-up page as registration.url in the service file (method: web).
     6. UNKNOWN Add-on services can be probed
                 service discovery was not probed; this is never a failure
     7. UNKNOWN 99.9% uptime
                 not measured in a one-off test: uptime is measured continuously once the service is in the directory
     8. UNKNOWN Administrator and location
                 administrator and location are declared in the service file when you apply; contact addresses not probed (no probe account)
     9. UNKNOWN Verified by telephone (not automated)
                 not automated: no telephone verification recorded yet

    1 item fails (5): fix it before applying."
  `);
});
