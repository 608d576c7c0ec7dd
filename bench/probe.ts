/**
 * `npm run bench:probe [-- --domains 200 --concurrency 50]`
 *
 * Probes N domains on loopback (one real Prosody serving them all, dnsmasq
 * for their SRV records, a local HTTPS site) with the real probe code, and
 * prints wall time, checks per second, how the wall time compares with the
 * sum of all check times, and memory. Run it with two sizes to see that
 * memory stays flat as the number of domains grows.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createResolver } from '../src/lib/xmpp/connect-io.ts';
import { runProbe } from '../src/lib/xmpp/run-probe-io.ts';
import { startDnsmasq } from '../tests/helpers/dnsmasq-rig.ts';
import { freePort } from '../tests/helpers/free-port.ts';
import { startProsody } from '../tests/helpers/prosody-rig.ts';
import { installMissing, TOOLS } from '../tests/helpers/system-tools.ts';

const { values } = parseArgs({ options: { domains: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '50' } } });
const count = Number(values.domains);
const concurrency = Number(values.concurrency);
installMissing([TOOLS.prosody, TOOLS.prosodyctl, TOOLS.dnsmasq, TOOLS.openssl]);

const domains = Array.from({ length: count }, (_, i) => `d${String(i + 1).padStart(3, '0')}.bench.test`);
console.log(`Starting Prosody with ${count} virtual hosts, dnsmasq and an HTTPS site…`);
const prosody = await startProsody({ extraHosts: domains });
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

let peakRss = process.memoryUsage().rss;
const startRss = peakRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const started = performance.now();
const records = await runProbe(
  domains.map((domain) => ({ domain, websites: [`https://${domain}:${webPort}/`] })),
  {
    vantage: 'bench',
    retryDelayMs: 1000,
    concurrency,
    context: {
      now: () => new Date(),
      timeoutMs: 10_000,
      maxBytes: 256 * 1024,
      extraCa: [readFileSync(prosody.caFile, 'utf8')],
      resolver: createResolver(dns.address, 10_000),
      s2sFrom: 'bench.invalid',
      random: Math.random,
    },
  },
);
const wall = (performance.now() - started) / 1000;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const failed = records.filter((r) => !r.ok);
const sum = records.reduce((s, r) => s + r.ms, 0) / 1000;
const slowest = [...records].sort((a, b) => b.ms - a.ms).slice(0, 5).map((r) => `${r.check} ${Math.round(r.ms)} ms`);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(`
domains            ${count} (concurrency ${concurrency})
checks             ${records.length} (${failed.length} failed${failed.length ? `: ${[...new Set(failed.map((f) => f.error))].slice(0, 3).join(' | ')}` : ''})
wall time          ${wall.toFixed(2)} s
checks per second  ${(records.length / wall).toFixed(0)}
sum of check times ${sum.toFixed(1)} s (${(sum / wall).toFixed(0)}× the wall time)
slowest checks     ${slowest.join(', ')}
memory             RSS ${mb(startRss)} at start, peak ${mb(peakRss)} (+${mb(peakRss - startRss)})`);

web.close();
await dns.stop();
await prosody.stop();
