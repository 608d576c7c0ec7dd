/**
 * `npm run bench:serve`: the published sample site behind Debian's nginx
 * with the shipped configuration (deploy/nginx/), on loopback, under wrk:
 * requests per second and latency percentiles for the home page and
 * /api/v2/summary.json at 100 concurrent HTTPS keep-alive connections,
 * asking for brotli as browsers do (so nginx sends the precompressed .br).
 *
 * Bounded: each run lasts `--seconds` (default 10) and wrk stops by itself.
 * wrk runs on the same 2 cores as nginx, so the figures are a floor.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SAMPLE_EPOCH } from '../tests/helpers/build-site.ts';
import { startNginx } from '../tests/helpers/nginx-rig.ts';
import { installMissing, requireTools, type Tool } from '../tests/helpers/system-tools.ts';

/** Only this benchmark needs wrk, so it is installed here rather than for every test run. */
const WRK: Tool = { path: '/usr/bin/wrk', pkg: 'wrk' };

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '100' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);

installMissing([WRK]);
requireTools([WRK]);

export interface WrkResult {
  rps: number;
  p50: string;
  p90: string;
  p99: string;
  requests: number;
  errors: string;
  non2xx: number;
  transferPerSec: string;
}

/** Reads wrk's `--latency` report. */
export function parseWrk(text: string): WrkResult {
  const pick = (re: RegExp) => re.exec(text)?.[1];
  const rps = Number(pick(/Requests\/sec:\s+([\d.]+)/));
  if (!Number.isFinite(rps)) throw new Error(`wrk printed no Requests/sec:\n${text}`);
  return {
    rps,
    p50: pick(/^\s+50%\s+(\S+)/m) ?? '?',
    p90: pick(/^\s+90%\s+(\S+)/m) ?? '?',
    p99: pick(/^\s+99%\s+(\S+)/m) ?? '?',
    requests: Number(pick(/(\d+) requests in/)),
    errors: pick(/Socket errors: (.*)/) ?? 'none',
    non2xx: Number(pick(/Non-2xx or 3xx responses: (\d+)/) ?? 0),
    transferPerSec: pick(/Transfer\/sec:\s+(\S+)/) ?? '?',
  };
}

const target = mkdtempSync(join(tmpdir(), 'bench-serve-'));
console.log('Publishing the sample site…');
const published = spawnSync('npm', ['run', '--silent', 'publish', '--', '--to', target, '--allow-sample'], {
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', SOURCE_DATE_EPOCH: SAMPLE_EPOCH, STATUS_CACHE_DIR: join(target, 'cache') },
  encoding: 'utf8',
});
if (published.status !== 0) throw new Error(`publish failed:\n${published.stdout}\n${published.stderr}`);

const workers = availableParallelism();
const rig = await startNginx({ root: join(target, 'current'), workers });
const rows: string[] = [];
try {
  for (const path of ['/', '/api/v2/summary.json']) {
    const url = `https://127.0.0.1:${rig.httpsPort}${path}`;
    const out = execFileSync(
      WRK.path,
      ['-t', '2', '-c', String(connections), '-d', `${seconds}s`, '--latency', '--timeout', '5s', '-H', 'Accept-Encoding: br, gzip', url],
      { encoding: 'utf8', timeout: (seconds + 30) * 1000 },
    );
    const r = parseWrk(out);
    if (r.non2xx > 0) throw new Error(`${path}: ${r.non2xx} answers were not 2xx/3xx`);
    rows.push(
      `| \`${path}\` | ${connections} | ${seconds} s | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.transferPerSec} | ${r.errors} |`,
    );
    console.log(out);
  }
} finally {
  await rig.stop();
  rmSync(target, { recursive: true, force: true });
}
console.log(`nginx ${workers} workers, wrk 2 threads, HTTPS keep-alive, Accept-Encoding: br, gzip\n`);
console.log('| URL | connections | duration | requests/s | p50 | p90 | p99 | transfer/s | socket errors |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
