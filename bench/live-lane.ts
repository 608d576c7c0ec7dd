/**
 * `npm run bench:build -- --live [--corpora 500+3650,5000+3650,50000+10000]`
 * (issue 28): how long a status change takes to become the live release,
 * and what a quiet minute costs, with the real `npm run publish`.
 *
 * For each corpus (bench/corpus.ts), in a copy whose probe summaries live
 * outside content/ as on a build host:
 *
 * 1. a first publish (every page: there is no release yet);
 * 2. **full**: one location reports client connections down, and
 *    `publish --force` builds every page, as every publish did before the
 *    live lane;
 * 3. **live**: another location reports it down too, and `publish` takes
 *    the live lane: the time from the summary written to the new release
 *    live is the command's wall time;
 * 4. **quiet minutes**: three more minutes in which every location reports
 *    again with nothing changed in status (new times, same verdicts); the
 *    CPU each publish uses, over 60 s, is the share of one core the loop
 *    costs.
 *
 * Wall and CPU (user + system, the build's child processes included) come
 * from /usr/bin/time around the publish command.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureCorpus, parseCorpus } from './corpus.ts';

const EPOCH = 1795262400; // 2026-11-21T12:00:00Z, the corpora's end
const LOCATIONS = ['ams', 'fra', 'nyc'];

interface Timed {
  wall: number;
  cpu: number;
  output: string;
}

function publish(root: string, target: string, epoch: number, ...args: string[]): Promise<Timed> {
  const child = spawn('/usr/bin/time', ['-f', 'TIMED %e %U %S', process.execPath, resolve('scripts/publish.ts'), '--to', target, '--allow-sample', ...args], {
    env: {
      ...process.env,
      ASTRO_TELEMETRY_DISABLED: '1',
      SOURCE_DATE_EPOCH: String(epoch),
      STATUS_CONTENT_ROOT: root,
      STATUS_CACHE_DIR: join(target, '..', 'cache'),
      STATUS_HISTORY_DIR: join(target, '..', 'history'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((done, fail) =>
    child.on('close', (code) => {
      const m = /TIMED ([\d.]+) ([\d.]+) ([\d.]+)/.exec(output);
      if (code !== 0 || !m) return fail(new Error(`publish at ${epoch} failed (exit ${code}):\n${output.slice(-3000)}`));
      done({ wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), output });
    }),
  );
}

/** One location reports at `epoch`: client connections up or down. */
function report(root: string, location: string, epoch: number, up: boolean): void {
  const file = join(root, 'probe-data', `${location}.json`);
  const summary = JSON.parse(readFileSync(file, 'utf8'));
  summary.generatedAt = new Date(epoch * 1000).toISOString().replace(/\.000Z$/, 'Z');
  for (const c of summary.checks as { check: string; last: Record<string, unknown> }[]) {
    if (c.check !== 'c2s-starttls') continue;
    c.last = up
      ? { at: summary.generatedAt, ok: true, ms: 130, target: c.last.target }
      : { at: summary.generatedAt, ok: false, ms: 10_000, target: c.last.target, error: 'connect timed out after 10 s' };
  }
  writeFileSync(file, JSON.stringify(summary));
}

const lineOf = (output: string) => /Published .*/.exec(output)?.[0] ?? /Nothing changed.*/.exec(output)?.[0] ?? '?';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchLiveLane(corporaSpec: string): Promise<void> {
  const rows: string[][] = [];
  for (const corpus of corporaSpec.split(',').map(parseCorpus)) {
    const source = ensureCorpus(corpus);
    const work = resolve(`bench/out/live-${corpus.incidents}-${corpus.days}-${corpus.share}`);
    rmSync(work, { recursive: true, force: true });
    const root = join(work, 'root');
    const target = join(work, 'target');
    mkdirSync(root, { recursive: true });
    for (const dir of ['content', 'incidents']) cpSync(join(source, dir), join(root, dir), { recursive: true });
    mkdirSync(join(root, 'probe-data'));
    for (const l of LOCATIONS) cpSync(join(root, 'content', 'probe-sample', `${l}.json`), join(root, 'probe-data', `${l}.json`));
    const site = join(root, 'content', 'site.yaml');
    writeFileSync(site, readFileSync(site, 'utf8').replaceAll('path: content/probe-sample/', 'path: probe-data/'));

    let t = EPOCH;
    for (const l of LOCATIONS) report(root, l, t, true);
    const first = await publish(root, target, t);
    console.error(`${corpus.label}: first publish ${first.wall} s — ${lineOf(first.output)}`);
    t += 60;
    report(root, 'ams', t, false);
    const full = await publish(root, target, t, '--force');
    console.error(`${corpus.label}: full ${full.wall} s — ${lineOf(full.output)}`);
    t += 60;
    report(root, 'fra', t, false);
    const live = await publish(root, target, t);
    console.error(`${corpus.label}: live ${live.wall} s — ${lineOf(live.output)}`);
    if (!/live lane/.test(live.output)) throw new Error(`the status change did not take the live lane:\n${live.output.slice(-2000)}`);
    const quiet: Timed[] = [];
    for (let i = 0; i < 3; i++) {
      t += 60;
      for (const l of LOCATIONS) report(root, l, t - 5 * (LOCATIONS.indexOf(l) + 1), l === 'nyc');
      quiet.push(await publish(root, target, t));
      console.error(`${corpus.label}: quiet minute ${i + 1} ${quiet.at(-1)!.wall} s, ${quiet.at(-1)!.cpu.toFixed(1)} s CPU — ${lineOf(quiet.at(-1)!.output)}`);
    }
    const pages = /(\d+) pages rendered and (\d+) files carried over/.exec(live.output);
    const cpu = median(quiet.map((q) => q.cpu));
    rows.push([
      corpus.label,
      `${full.wall.toFixed(1)} s (${full.cpu.toFixed(1)} s CPU)`,
      `${live.wall.toFixed(1)} s (${live.cpu.toFixed(1)} s CPU)`,
      pages ? `${pages[1]} / ${pages[2]}` : '?',
      `${median(quiet.map((q) => q.wall)).toFixed(1)} s`,
      `${cpu.toFixed(1)} s = ${((cpu / 60) * 100).toFixed(0)} %`,
    ]);
    if (!process.argv.includes('--keep') && existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
  const header = [
    'corpus (incidents + updates)',
    'status change, every page (before)',
    'status change, live lane (after)',
    'pages rendered / files carried over',
    'quiet minute, wall',
    'quiet minute, CPU = share of one core',
  ];
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
}
