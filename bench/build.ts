/**
 * `npm run bench:build [-- --sizes 500,5000 --updates 3650]`
 *
 * For each size: writes a corpus (bench/corpus.ts), builds the real site from
 * it, then builds again with nothing changed, and prints pages, wall time,
 * pages per second and peak memory (VmHWM of the build process, read from
 * /proc while it runs). The last column compares each size's cost per page
 * with the smallest size's: linear growth keeps it near 1.0.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCorpus } from './corpus.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '500,5000' }, updates: { type: 'string', default: '3650' } } });
const sizes = values.sizes.split(',').map(Number);
const days = Number(values.updates);

function countPages(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += countPages(join(dir, entry.name));
    else if (entry.name.endsWith('.html')) n++;
  }
  return n;
}

async function build(root: string, outDir: string): Promise<{ seconds: number; peakMb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build', '--outDir', outDir], {
    env: { ...process.env, STATUS_CONTENT_ROOT: root, SOURCE_DATE_EPOCH: '1795262400', ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // The process has just exited.
    }
  }, 25);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearInterval(poll);
  if (code !== 0) throw new Error(`build failed:\n${stderr}`);
  return { seconds: (performance.now() - started) / 1000, peakMb: peakKb / 1024 };
}

const rows: string[][] = [];
let baseCost: number | undefined;
for (const size of sizes) {
  const corpus = resolve(`bench/out/corpus-${size}`);
  const out = resolve(`bench/out/dist-${size}`);
  writeCorpus(corpus, size, days, 1, new Date('2026-11-21T12:00:00Z'));
  rmSync(out, { recursive: true, force: true });
  const first = await build(corpus, out);
  const pages = countPages(out);
  const second = await build(corpus, out);
  const cost = first.seconds / pages;
  baseCost ??= cost;
  rows.push([
    `${size} incidents + ${days} updates`,
    String(pages),
    `${first.seconds.toFixed(1)} s`,
    (pages / first.seconds).toFixed(0),
    `${first.peakMb.toFixed(0)} MB`,
    `${second.seconds.toFixed(1)} s`,
    (cost / baseCost).toFixed(2),
  ]);
  console.error(`built ${size}: ${pages} pages in ${first.seconds.toFixed(1)} s`);
}
const header = ['corpus', 'pages', 'wall', 'pages/s', 'peak memory', 'unchanged rebuild', 'cost/page vs first'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
