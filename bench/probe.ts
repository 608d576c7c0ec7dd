/**
 * `npm run bench:probe [-- --domains 200 --concurrency 50]`
 *
 * Probes N domains on loopback (one real Prosody serving them all, dnsmasq
 * for their SRV records, a local HTTPS site) with the real probe code, and
 * prints wall time, checks per second, how the wall time compares with the
 * sum of all check times, and memory. Run it with two sizes to see that
 * memory stays flat as the number of domains grows.
 */
import { parseArgs } from 'node:util';
import { runProbe } from '../src/lib/xmpp/run-probe-io.ts';
import { problemText } from '../src/lib/schemas.ts';
import { startManyDomainsRig } from '../tests/helpers/many-domains-rig.ts';

const { values } = parseArgs({ options: { domains: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '50' } } });
const count = Number(values.domains);
const concurrency = Number(values.concurrency);
const domains = Array.from({ length: count }, (_, i) => `d${String(i + 1).padStart(3, '0')}.bench.test`);
console.log(`Starting Prosody with ${count} virtual hosts, dnsmasq and an HTTPS site…`);
const rig = await startManyDomainsRig(domains);

let peakRss = process.memoryUsage().rss;
const startRss = peakRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const started = performance.now();
const records = await runProbe(rig.targets, { vantage: 'bench', retryDelayMs: 1000, concurrency, context: rig.context });
const wall = (performance.now() - started) / 1000;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

// Checks that did not run (no probe account here) are no results: counted apart, not as failures.
const ran = records.filter((r) => !r.notRun);
const failed = ran.filter((r) => !r.ok);
const sum = ran.reduce((s, r) => s + r.ms, 0) / 1000;
const slowest = [...ran]
  .sort((a, b) => b.ms - a.ms)
  .slice(0, 5)
  .map((r) => `${r.check} ${Math.round(r.ms)} ms`);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(`
domains            ${count} (concurrency ${concurrency})
checks             ${ran.length} run, ${records.length - ran.length} not run (${failed.length} failed${failed.length ? `: ${[...new Set(failed.map((f) => problemText(f.problems)))].slice(0, 3).join(' | ')}` : ''})
wall time          ${wall.toFixed(2)} s
checks per second  ${(ran.length / wall).toFixed(0)}
sum of check times ${sum.toFixed(1)} s (${(sum / wall).toFixed(0)}× the wall time)
slowest checks     ${slowest.join(', ')}
memory             RSS ${mb(startRss)} at start, peak ${mb(peakRss)} (+${mb(peakRss - startRss)})`);

await rig.stop();
