/**
 * The loopback world the probe benchmarks run against: one real Prosody
 * serving every domain, dnsmasq publishing their SRV records, and one HTTPS
 * site for the website check. Shared by `bench:probe` and `bench:directory`
 * so both measure the probe against the same setup.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import type { ProbeContext } from '../../src/lib/xmpp/checks-io.ts';
import { createResolver } from '../../src/lib/xmpp/connect-io.ts';
import { startDnsmasq } from './dnsmasq-rig.ts';
import { freePort } from './free-port.ts';
import { startProsody } from './prosody-rig.ts';
import { installMissing, TOOLS } from './system-tools.ts';

export interface ManyDomainsRig {
  /** Each domain's probe target, with the local website as its page. */
  targets: { domain: string; websites: string[] }[];
  /** What `runProbe` needs to reach this world: its CA, resolver and timeouts. */
  context: Omit<ProbeContext, 'domain'>;
  stop(): Promise<void>;
}

/** @param domains e.g. `['d001.bench.test', 'd002.bench.test']` */
export async function startManyDomainsRig(domains: readonly string[]): Promise<ManyDomainsRig> {
  installMissing([TOOLS.prosody, TOOLS.prosodyctl, TOOLS.dnsmasq, TOOLS.openssl]);
  const prosody = await startProsody({ extraHosts: [...domains] });
  const dns = await startDnsmasq({
    srv: domains.flatMap((d) => [
      { name: `_xmpp-client._tcp.${d}`, target: 'xmpp.test', port: prosody.ports.c2s },
      { name: `_xmpps-client._tcp.${d}`, target: 'xmpp.test', port: prosody.ports.directTls },
      { name: `_xmpp-server._tcp.${d}`, target: 'xmpp.test', port: prosody.ports.s2s },
    ]),
    hosts: ['xmpp.test', ...domains],
  });
  const webPort = await freePort();
  const web = createServer(
    { key: readFileSync(join(prosody.dir, 'certs/bench.test.key')), cert: readFileSync(join(prosody.dir, 'certs/bench.test.crt')) },
    (_req, res) => res.end('ok'),
  );
  await new Promise<void>((r) => web.listen(webPort, '127.0.0.1', r));
  return {
    targets: domains.map((domain) => ({ domain, websites: [`https://${domain}:${webPort}/`] })),
    context: {
      now: () => new Date(),
      timeoutMs: 10_000,
      maxBytes: 256 * 1024,
      extraCa: [readFileSync(prosody.caFile, 'utf8')],
      resolver: createResolver(dns.address, 10_000),
      s2sFrom: 'bench.invalid',
      // Every rig server is on loopback.
      addressRule: { allowLoopback: true },
      random: Math.random,
    },
    async stop() {
      web.close();
      await dns.stop();
      await prosody.stop();
    },
  };
}
