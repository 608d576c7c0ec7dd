/**
 * Federation, server by server (issue 17), against the real Prosody rig: the
 * probe account logs in once and pings each listed remote server, writing
 * one `federation` record per server. Real federation needs peers on the
 * internet; the rig's sibling hosts are routed locally, remote.test (served
 * by nobody) needs s2s, and policy.test / blackhole.test refuse or drop
 * every stanza to a remote domain.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ProbeRecord } from '../src/lib/schemas.ts';
import { withText } from './helpers/record-text.ts';
import { createResolver } from '../src/lib/xmpp/connect-io.ts';
import { probeDomain } from '../src/lib/xmpp/run-probe-io.ts';
import { startDnsmasq, type DnsRig } from './helpers/dnsmasq-rig.ts';
import { startProsody, type ProsodyRig } from './helpers/prosody-rig.ts';

let prosody: ProsodyRig;
let dns: DnsRig;

beforeAll(async () => {
  prosody = await startProsody();
  dns = await startDnsmasq({
    srv: ['xmpp.test', 'policy.test', 'blackhole.test'].flatMap((d) => [
      { name: `_xmpp-client._tcp.${d}`, target: 'xmpp.test', port: prosody.ports.c2s },
      { name: `_xmpps-client._tcp.${d}`, target: '.' },
      { name: `_xmpp-server._tcp.${d}`, target: 'xmpp.test', port: prosody.ports.s2s },
    ]),
    hosts: ['xmpp.test'],
  });
});

afterAll(async () => {
  await dns?.stop();
  await prosody?.stop();
});

async function federationRecords(domain: string, federation: string[], options: { account?: boolean; timeoutMs?: number } = {}): Promise<ProbeRecord[]> {
  const timeoutMs = options.timeoutMs ?? 4000;
  const records = await probeDomain(
    { domain, websites: [] },
    {
      vantage: 'test',
      retryDelayMs: 100,
      concurrency: 1,
      account: options.account === false ? {} : { jid: `probe@${domain}`, password: prosody.account.password },
      federation,
      federationConcurrency: 2,
      context: {
        now: () => new Date(),
        timeoutMs,
        maxBytes: 256 * 1024,
        extraCa: [readFileSync(prosody.caFile, 'utf8')],
        resolver: createResolver(dns.address, timeoutMs),
        s2sFrom: 'status-probe.invalid',
        random: Math.random,
        addressRule: { allowLoopback: true },
      },
    },
  );
  return records.filter((r) => r.check === 'federation');
}
const lines = (records: ProbeRecord[]) =>
  records.map((r) => `${r.domain} → ${r.target}: ${r.ok ? 'reachable' : r.notRun ? `not run (${r.notRun})` : `unreachable: ${withText(r).error}`}`).sort();

describe('the probe account pings each remote server over federation', () => {
  test('one record per remote server: siblings answer, a domain nobody serves does not, and the probed domain itself is left out', async () => {
    const records = await federationRecords('xmpp.test', ['xmpponly.test', 'sha256.test', 'remote.test', 'xmpp.test']);
    expect(lines(records)).toEqual(
      [
        'xmpp.test → remote.test: unreachable: ping to remote.test failed: remote-server-not-found',
        'xmpp.test → sha256.test: reachable',
        'xmpp.test → xmpponly.test: reachable',
      ].map((l) => expect.stringMatching(new RegExp(`^${l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))),
    );
    // The time is the ping's round trip; the login is in the detail.
    for (const r of records) expect(r.detail).toMatchObject({ rtt: expect.any(Number), login: { mechanism: expect.stringMatching(/^SCRAM-/) } });
  }, 60_000);

  test('a server whose own policy refuses federation: remote servers unreachable, local siblings still reachable', async () => {
    const records = await federationRecords('policy.test', ['xmpp.test', 'remote.test']);
    expect(lines(records)).toEqual([
      'policy.test → remote.test: unreachable: ping to remote.test failed: forbidden (Access denied by service policy); the error does not say remote.test sent it',
      'policy.test → xmpp.test: reachable',
    ]);
  }, 60_000);

  test('a ping that never comes back times out on its own, names its server, and does not hold up the others', async () => {
    const records = await federationRecords('blackhole.test', ['remote.test', 'xmpp.test', 'other.test'], { timeoutMs: 1500 });
    expect(lines(records)).toEqual([
      'blackhole.test → other.test: unreachable: ping to other.test failed: timed out after 1500 ms waiting for its reply',
      'blackhole.test → remote.test: unreachable: ping to remote.test failed: timed out after 1500 ms waiting for its reply',
      'blackhole.test → xmpp.test: reachable',
    ]);
  }, 60_000);

  test('without an account each remote server is recorded as not run', async () => {
    expect(lines(await federationRecords('xmpp.test', ['xmpponly.test', 'remote.test'], { account: false }))).toEqual([
      'xmpp.test → remote.test: not run (no-account)',
      'xmpp.test → xmpponly.test: not run (no-account)',
    ]);
  }, 60_000);

  test('a failed login pings nothing: every remote server is "not run", never unreachable', async () => {
    const records = await probeDomain(
      { domain: 'xmpp.test', websites: [] },
      {
        vantage: 'test',
        retryDelayMs: 100,
        concurrency: 1,
        account: { jid: 'probe@xmpp.test', password: 'wrong' },
        federation: ['xmpponly.test'],
        context: {
          now: () => new Date(),
          timeoutMs: 4000,
          maxBytes: 256 * 1024,
          extraCa: [readFileSync(prosody.caFile, 'utf8')],
          resolver: createResolver(dns.address, 4000),
          s2sFrom: 'status-probe.invalid',
          random: Math.random,
          addressRule: { allowLoopback: true },
        },
      },
    );
    expect(records.map(withText).find((r) => r.check === 'federation')).toMatchObject({
      ok: null,
      notRun: 'login-failed',
      error: expect.stringMatching(/^not run: the probe could not log in \(login failed: not-authorized/),
    });
  }, 60_000);
});
