/**
 * `npm run bench:build [-- --corpora 500+3650,50000+10000@0.25 --runs 3 --rebuild --floor --node-flags "--max-semi-space-size=64"]`
 *
 * For each corpus (`incidents+daily updates`, optionally `@share` of all posts
 * being maintenance windows; default share 5 %): writes it with
 * bench/corpus.ts (reused when already written with the same parameters),
 * builds the real site from it and prints pages, wall time, user CPU, peak
 * RSS and where the time went (see bench/build-phases.ts, preloaded into the
 * build), plus the heaviest page and the calendar's size. The cost-per-page
 * column compares each corpus with the first one: linear growth keeps it
 * near 1.0. With `--runs N` the figures are those of the median-wall run.
 *
 * Every build starts with an empty content cache (its own folder under
 * bench/out/), so the figures are those of a first build. `--rebuild` then
 * changes one incident's text and builds again with the cache the first
 * build left: what the publish loop's next build costs. `--floor` adds a
 * row for Astro alone: a site of one trivial page template with as many
 * pages as the last corpus, which no change to this site's code can beat.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { ensureCorpus, maintenanceCount, parseCorpus } from './corpus.ts';

const { values } = parseArgs({
  options: {
    corpora: { type: 'string', default: '500+3650,5000+3650,20000+3650,50000+10000,50000+10000@0.25' },
    runs: { type: 'string', default: '1' },
    rebuild: { type: 'boolean', default: false },
    floor: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    // Extra Node flags for the build process, e.g. "--max-semi-space-size=64", to try V8 settings.
    'node-flags': { type: 'string', default: '' },
    // The live lane instead (issue 28): summary change → new live release, and CPU per quiet minute (bench/live-lane.ts).
    live: { type: 'boolean', default: false },
  },
});
if (values.live) {
  const { benchLiveLane } = await import('./live-lane.ts');
  await benchLiveLane(process.argv.includes('--corpora') ? values.corpora : '500+3650,5000+3650,50000+10000');
  process.exit(0);
}

interface Phases {
  generateAt: number;
  firstRouteAt: number;
  doneAt: number;
  exitAt: number;
  writeWaitMs: number;
  renderBusyMs: number;
  renderIdleMs: number;
  userCpuMs: number;
  maxRssMb: number;
}

interface Run {
  wall: number;
  phases: Phases;
}

const PRELOAD = resolve('bench/build-phases.ts');

function htmlPages(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) htmlPages(join(dir, entry.name), out);
    else if (entry.name.endsWith('.html')) out.push(join(dir, entry.name));
  }
  return out;
}

async function build(root: string, outDir: string, cacheDir: string, cwd = process.cwd()): Promise<Run> {
  const phasesFile = `${outDir}.phases.json`;
  rmSync(phasesFile, { force: true });
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...values['node-flags'].split(' ').filter(Boolean), '--import', PRELOAD, resolve('node_modules/astro/bin/astro.mjs'), 'build', '--outDir', outDir],
    {
      cwd,
      env: {
        ...process.env,
        STATUS_CONTENT_ROOT: root,
        STATUS_CACHE_DIR: cacheDir,
        SOURCE_DATE_EPOCH: '1795262400',
        ASTRO_TELEMETRY_DISABLED: '1',
        BENCH_PHASES_OUT: phasesFile,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const wall = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`build of ${root} failed after ${wall.toFixed(1)} s:\n${stderr.slice(-4000)}`);
  return { wall, phases: JSON.parse(readFileSync(phasesFile, 'utf8')) as Phases };
}

/** The first incident file of the corpus (the oldest), whose text `--rebuild` changes. */
function someIncidentFile(root: string): string {
  const dir = join(root, 'incidents');
  const year = readdirSync(dir)
    .filter((y) => /^\d{4}$/.test(y))
    .sort()[0]!;
  return join(
    dir,
    year,
    readdirSync(join(dir, year))
      .filter((f) => f.endsWith('.md'))
      .sort()[0]!,
  );
}

/**
 * Astro alone: a site with one trivial page template and `pages` pages,
 * built the same way. What is left of a build when the site's own work
 * (content, status, components) costs nothing.
 */
async function floorBuild(pages: number): Promise<Run> {
  const dir = resolve('bench/out/astro-floor');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src/pages/p'), { recursive: true });
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{"name":"astro-floor","private":true,"type":"module"}\n');
  writeFileSync(
    join(dir, 'astro.config.mjs'),
    `import { defineConfig } from 'astro/config';\nexport default defineConfig({ trailingSlash: 'always', build: { format: 'directory', concurrency: 4 }, devToolbar: { enabled: false } });\n`,
  );
  writeFileSync(
    join(dir, 'src/pages/p/[n].astro'),
    `---\nexport function getStaticPaths() {\n  return Array.from({ length: ${pages} }, (_, n) => ({ params: { n: String(n) }, props: { n } }));\n}\nconst { n } = Astro.props;\n---\n<!doctype html><html lang="en"><head><title>Page {n}</title></head><body><main><h1>Page {n}</h1><p>One paragraph of page {n}.</p></main></body></html>\n`,
  );
  try {
    return await build(dir, join(dir, 'dist'), join(dir, '.cache'), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Loading and validating the content alone, in a fresh process, as `src/data.ts` does at the start of every build. */
async function timeContentLoad(root: string): Promise<number> {
  const code = `const { loadContent } = await import(${JSON.stringify(resolve('src/lib/content/load-content-io.ts'))});
const t = performance.now(); const r = loadContent(${JSON.stringify(root)}); const ms = performance.now() - t;
if (!r.ok) process.exit(1); console.log(ms);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const status = await new Promise<number | null>((r) => child.on('close', r));
  if (status !== 0) throw new Error(`loading ${root} failed`);
  return Number(stdout.trim());
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const rows: string[][] = [];
let baseCost: number | undefined;
for (const corpus of values.corpora.split(',').map(parseCorpus)) {
  const root = ensureCorpus(corpus);
  const out = resolve(`bench/out/dist-${corpus.incidents}-${corpus.days}-${corpus.share}`);
  const cacheDir = resolve(`bench/out/cache-${corpus.incidents}-${corpus.days}-${corpus.share}`);
  const runs: Run[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    rmSync(out, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
    runs.push(await build(root, out, cacheDir));
    console.error(`built ${corpus.label}: ${runs.at(-1)!.wall.toFixed(1)} s`);
  }
  runs.sort((a, b) => a.wall - b.wall);
  const { wall, phases: p } = runs[Math.floor((runs.length - 1) / 2)]!;
  let rebuild: Run | undefined;
  if (values.rebuild) {
    // One incident file's text changed (a line added to its body); restored
    // after. The corpus stamp goes while the file is changed, so a bench
    // killed meanwhile rewrites the corpus next time instead of reusing it.
    const file = someIncidentFile(root);
    const original = readFileSync(file);
    const stamp = join(root, '.corpus.json');
    const stampText = readFileSync(stamp);
    rmSync(stamp);
    writeFileSync(file, `${original.toString('utf8').trimEnd()}\n\nEdited.\n`);
    try {
      rmSync(out, { recursive: true, force: true });
      rebuild = await build(root, out, cacheDir);
      console.error(`rebuilt ${corpus.label} with one changed file: ${rebuild.wall.toFixed(1)} s`);
    } finally {
      writeFileSync(file, original);
      writeFileSync(stamp, stampText);
    }
  }
  rmSync(cacheDir, { recursive: true, force: true });
  const contentMs = await timeContentLoad(root);
  const pages = htmlPages(out);
  let heaviest = 0;
  for (const page of pages) heaviest = Math.max(heaviest, gzipSync(readFileSync(page)).length);
  const ics = readFileSync(join(out, 'maintenance.ics'));
  const cost = wall / pages.length;
  baseCost ??= cost;
  rows.push([
    corpus.label,
    String(maintenanceCount(corpus.incidents + corpus.days, corpus.share)),
    String(pages.length),
    `${wall.toFixed(1)} s${runs.length > 1 ? ` (${runs.map((r) => r.wall.toFixed(1)).join('/')})` : ''}`,
    s(p.userCpuMs),
    `${p.maxRssMb.toFixed(0)} MB`,
    s(p.generateAt),
    s(p.firstRouteAt - p.generateAt),
    s(contentMs),
    s(p.renderBusyMs),
    s(p.writeWaitMs),
    s(p.renderIdleMs),
    s(p.exitAt - p.doneAt),
    (cost / baseCost).toFixed(2),
    kb(heaviest),
    `${kb(ics.length)} / ${kb(gzipSync(ics).length)} gz`,
    ...(rebuild
      ? [`${rebuild.wall.toFixed(1)} s (data ${s(rebuild.phases.firstRouteAt - rebuild.phases.generateAt)}, ${s(rebuild.phases.userCpuMs)} user)`]
      : []),
  ]);
  if (!values.keep) rmSync(out, { recursive: true, force: true });
}
if (values.floor) {
  const pages = Number(rows.at(-1)?.[2] ?? 0);
  const { wall, phases: p } = await floorBuild(pages);
  const cells = [
    `Astro alone, ${pages} trivial pages`,
    '-',
    String(pages),
    `${wall.toFixed(1)} s`,
    s(p.userCpuMs),
    `${p.maxRssMb.toFixed(0)} MB`,
    s(p.generateAt),
    s(p.firstRouteAt - p.generateAt),
    '-',
    s(p.renderBusyMs),
    s(p.writeWaitMs),
    s(p.renderIdleMs),
    s(p.exitAt - p.doneAt),
    baseCost ? (wall / pages / baseCost).toFixed(2) : '-',
    '-',
    '-',
  ];
  rows.push(values.rebuild ? [...cells, '-'] : cells);
}
const header = [
  'corpus (incidents + updates)',
  'windows',
  'pages',
  'wall',
  'user CPU',
  'peak RSS',
  'start + bundle',
  'data (getStaticPaths)',
  'content load alone',
  'render (busy)',
  'write in flight',
  'main thread idle',
  'exit',
  'cost/page vs first',
  'heaviest page gz',
  'maintenance.ics',
  ...(values.rebuild ? ['rebuild, one file changed'] : []),
];
const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
