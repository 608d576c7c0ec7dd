import { describe, expect, test } from 'vitest';
import { ProbeRecordSchema, ProbeSummarySchema } from '../schemas.ts';
import { applyFederationRule, federatesLine, federationDomains, federationRule, federationView } from './federation.ts';
import type { ComponentMonitoring } from './merge-probes.ts';
import { SummaryBuilder } from './probe-summary.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

/** One location's summary from federation records: pings to each server every minute for the last 3 hours, failing inside `down`. */
function location(vantage: string, servers: Record<string, [string, string][]>, errorFor = (d: string) => `ping to ${d} failed: remote-server-not-found`) {
  const b = new SummaryBuilder(vantage, NOW);
  for (let t = NOW.getTime() - 3 * 3_600_000; t < NOW.getTime(); t += 60_000) {
    for (const [domain, down] of Object.entries(servers)) {
      const failing = down.some(([f, to]) => t >= Date.parse(f) && t < Date.parse(to));
      const record = ProbeRecordSchema.parse({
        v: 2,
        at: new Date(t).toISOString(),
        vantage,
        domain: 'jabber.org',
        check: 'federation',
        target: domain,
        ok: !failing,
        ms: 80,
        attempts: 1,
        detail: {},
        ...(failing ? { error: errorFor(domain) } : {}),
      });
      b.add(record);
    }
  }
  return ProbeSummarySchema.parse(b.finish());
}
const options = { now: NOW, intervalSeconds: 60, quorum: 0.5 };

describe('federationView', () => {
  const lost: [string, string][] = [['2026-11-21T10:00:00Z', '2026-11-21T13:00:00Z']];
  const blip: [string, string][] = [['2026-11-21T10:00:00Z', '2026-11-21T10:30:00Z']];
  const summaries = [
    location('ams', { 'a.org': [], 'b.org': lost, 'c.org': blip }),
    location('fra', { 'a.org': [], 'b.org': lost, 'c.org': blip }),
    location('nyc', { 'a.org': lost, 'b.org': lost, 'c.org': blip }),
  ];
  const view = federationView(summaries, ['a.org', 'b.org', 'c.org', 'd.org'], options);
  const byDomain = Object.fromEntries(view.map((s) => [s.domain, s]));

  test('the summary keeps federation records per remote server, under its domain', () => {
    expect(summaries[0]!.checks.map((c) => `${c.domain} ${c.check}`)).toEqual(['a.org federation', 'b.org federation', 'c.org federation']);
  });

  test('one location failing is a note, not an unreachable server', () => {
    expect(byDomain['a.org']).toMatchObject({
      reachable: 'yes',
      latencyMs: 80,
      note: '1 of 3 locations (nyc) sees failures',
      lastError: { vantage: 'nyc', error: 'ping to a.org failed: remote-server-not-found' },
    });
  });

  test('a server every location fails is unreachable since the failure began', () => {
    expect(byDomain['b.org']).toMatchObject({
      reachable: 'no',
      since: '2026-11-21T10:00:00.000Z',
      latencyMs: null,
      lastError: { error: 'ping to b.org failed: remote-server-not-found' },
    });
  });

  test('a failure that crosses midnight is one failure: since is when it began, not the last midnight', () => {
    const b = new SummaryBuilder('ams', NOW);
    for (let t = Date.parse('2026-11-19T08:15:00Z'); t < NOW.getTime(); t += 60_000) {
      b.add(
        ProbeRecordSchema.parse({
          v: 2,
          at: new Date(t).toISOString(),
          vantage: 'ams',
          domain: 'jabber.org',
          check: 'federation',
          target: 'x.org',
          ok: false,
          ms: 5,
          attempts: 1,
          detail: {},
          error: 'ping to x.org failed: remote-server-not-found',
        }),
      );
    }
    expect(federationView([ProbeSummarySchema.parse(b.finish())], ['x.org'], options)[0]).toMatchObject({ reachable: 'no', since: '2026-11-19T08:15:00.000Z' });
  });

  test('a server that recovered is reachable since the end of its last failure, with no last error', () => {
    expect(byDomain['c.org']).toMatchObject({ reachable: 'yes', since: '2026-11-21T10:30:00.000Z', sinceDataStart: false, lastError: null });
  });

  test('a server always reachable is reachable at least since the data began', () => {
    const [only] = federationView([location('ams', { 'e.org': [] })], ['e.org'], options);
    expect(only).toMatchObject({ reachable: 'yes', since: '2026-11-21T09:00:00.000Z', sinceDataStart: true });
  });

  test('a server nobody pinged is unknown and has no data', () => {
    expect(byDomain['d.org']).toMatchObject({ reachable: 'unknown', since: null, hasData: false, reporting: 0 });
  });

  test('stale data reads unknown, never reachable', () => {
    const [late] = federationView(summaries, ['a.org'], { ...options, now: new Date('2026-11-21T13:00:00Z') });
    expect(late).toMatchObject({ reachable: 'unknown', hasData: true });
  });
});

describe('federationRule', () => {
  const s = (states: string) =>
    [...states].map((c, i) => ({ domain: `s${i}.org`, reachable: ({ y: 'yes', n: 'no', u: 'unknown' } as const)[c as 'y' | 'n' | 'u'] }));
  test.each([
    // all reachable
    ['yyyy', 'up'],
    // one refuses federation: its fact
    ['yyyn', 'up'],
    // exactly half: not most
    ['yynn', 'up'],
    // most fail at once
    ['ynnn', 'down'],
    // unknown servers are not counted: 2 of 3 known fail
    ['uynn', 'down'],
    // too few known servers to tell our fault from theirs
    ['nnuu', 'unknown'],
    // no servers at all
    ['', 'unknown'],
  ])('%j is %s', (states, verdict) => {
    expect(federationRule(s(states)).verdict).toBe(verdict);
  });

  test('the note names the unreachable servers and whose fact it is', () => {
    expect(federationRule(s('yyyn')).note).toBe('1 of 4 remote servers unreachable over federation (s3.org): their fact, not an outage here');
    expect(federationRule(s('ynnn')).note).toBe(
      '3 of 4 remote servers unreachable over federation (s1.org, s2.org, s3.org): most fail at once, so federation from here is down',
    );
  });
});

describe('applyFederationRule', () => {
  const base = { verdict: 'up', reporting: 3 } as ComponentMonitoring;
  test('most servers failing turns the component\'s own "up" into "down", with the note', () => {
    expect(applyFederationRule(base, { verdict: 'down', note: 'most fail', failing: 3, known: 4 })).toMatchObject({ verdict: 'down', note: 'most fail' });
  });
  test('a few failing servers only add a note', () => {
    expect(
      applyFederationRule({ ...base, note: '1 of 3 locations (nyc) sees failures' }, { verdict: 'up', note: 'one fails', failing: 1, known: 4 }),
    ).toMatchObject({ verdict: 'up', note: '1 of 3 locations (nyc) sees failures; one fails' });
  });
  test("without the component's own monitoring nothing is made up", () => {
    expect(applyFederationRule(undefined, { verdict: 'down', failing: 3, known: 3 })).toBeUndefined();
  });
  test('an unknown component stays unknown', () => {
    expect(applyFederationRule({ ...base, verdict: 'unknown' }, { verdict: 'down', failing: 3, known: 3 })!.verdict).toBe('unknown');
  });
});

describe('federationDomains and the service line', () => {
  test("configured servers, then the directory's list and services not withdrawn, once each and never our own domain", () => {
    const directory = {
      config: { federation: ['xmpp.org', 'extra.net'] },
      services: [{ domain: 'a.example' }, { domain: 'gone.example', withdrawn: '2026-11-01' }, { domain: 'later.example', withdrawn: '2026-12-01' }],
    } as never;
    expect(federationDomains(['xmpp.org', 'jabber.org'], directory, '2026-11-21', 'jabber.org')).toEqual([
      'xmpp.org',
      'extra.net',
      'a.example',
      'later.example',
    ]);
  });

  test('says yes or no with since, and nothing without data', () => {
    const server = {
      domain: 'a.org',
      reachable: 'no',
      since: '2026-11-19T08:15:00Z',
      sinceDataStart: false,
      latencyMs: null,
      lastError: null,
      reporting: 3,
      hasData: true,
    } as const;
    expect(federatesLine(server, 'jabber.org')).toBe('Federates with jabber.org: no (since 2026-11-19 08:15 UTC)');
    expect(federatesLine({ ...server, reachable: 'yes', sinceDataStart: true }, 'jabber.org')).toBe(
      'Federates with jabber.org: yes (at least since 2026-11-19 08:15 UTC)',
    );
    expect(federatesLine({ ...server, hasData: false }, 'jabber.org')).toBeUndefined();
  });
});

test("a ping that did not run (the probe could not log in) is not the remote server's last error", () => {
  const b = new SummaryBuilder('ams', NOW);
  for (let t = NOW.getTime() - 3_600_000; t < NOW.getTime(); t += 60_000) {
    b.add(
      ProbeRecordSchema.parse({
        v: 2,
        at: new Date(t).toISOString(),
        vantage: 'ams',
        domain: 'jabber.org',
        check: 'federation',
        target: 'a.org',
        ok: null,
        notRun: 'login-failed',
        ms: 0,
        attempts: 1,
        detail: {},
        error: 'not run: login failed',
      }),
    );
  }
  const [a] = federationView([ProbeSummarySchema.parse(b.finish())], ['a.org'], options);
  expect(a).toMatchObject({ domain: 'a.org', lastError: null, since: null });
});
