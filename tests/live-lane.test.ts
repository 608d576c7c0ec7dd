/**
 * The live lane (issue 28) publishes the same bytes as a full build.
 *
 * Random sequences of changes (monitoring, the clock, content, code) are
 * applied to one copy of the project; after each, `npm run publish` makes
 * the next release the way the every-minute loop does (the live lane when
 * only monitoring or the clock moved), and a full `npm run build` of the
 * very same inputs (content, code, summaries, instant, and a copy of the
 * history store as the publish found it) is compared with it file by file
 * and byte for byte, `.gz` and `.br` copies included.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { listFiles, SAMPLE_EPOCH } from './helpers/build-site.ts';

const work = mkdtempSync(join(tmpdir(), 'live-lane-'));
const project = join(work, 'project');
const root = join(work, 'root');
const target = join(work, 'target');
const history = join(work, 'history');

function run(argv: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, argv, { cwd: project, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, output })));
}

const env = (epoch: number, historyDir: string, cache: string) => ({
  SOURCE_DATE_EPOCH: String(epoch),
  STATUS_CONTENT_ROOT: root,
  STATUS_HISTORY_DIR: historyDir,
  STATUS_CACHE_DIR: cache,
});

/** The release `current` points to, with every file's bytes; `.gz`/`.br` checked against their file and left out. */
function releaseFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const f of listFiles(dir)) {
    const bytes = readFileSync(join(dir, f));
    // A .gz or .br beside its file is a precompressed copy; one alone (history/status.json.gz) is a file.
    const sibling = /\.(gz|br)$/.test(f) && existsSync(join(dir, f.slice(0, -3)));
    if (!sibling) files.set(f, bytes);
    else if (f.endsWith('.gz')) expect(gunzipSync(bytes).equals(readFileSync(join(dir, f.slice(0, -3)))), `${f} is the gzip of its file`).toBe(true);
    else expect(brotliDecompressSync(bytes).equals(readFileSync(join(dir, f.slice(0, -3)))), `${f} is the brotli of its file`).toBe(true);
  }
  return files;
}

type Change =
  | { kind: 'monitoring'; location: number; fail: boolean; age: number }
  | { kind: 'clock'; seconds: number }
  | { kind: 'content'; aheadMinutes: number }
  | { kind: 'code' };

const LOCATIONS = ['ams', 'fra', 'nyc'];
let epoch = Number(SAMPLE_EPOCH);
let made = 0;
const lanes: string[] = [];

function apply(change: Change): void {
  switch (change.kind) {
    case 'clock':
      epoch += change.seconds;
      break;
    case 'monitoring': {
      // A location reports: fresh or late, and client connections up or down.
      const file = join(root, 'probe-data', `${LOCATIONS[change.location]}.json`);
      const summary = JSON.parse(readFileSync(file, 'utf8'));
      summary.generatedAt = new Date((epoch - change.age) * 1000).toISOString().replace(/\.000Z$/, 'Z');
      const c2s = summary.checks.find((c: { check: string }) => c.check === 'c2s-starttls');
      c2s.last = change.fail
        ? { at: summary.generatedAt, ok: false, ms: 10_000, target: c2s.last.target, error: 'connect timed out after 10 s' }
        : { at: summary.generatedAt, ok: true, ms: 120 + change.age, target: c2s.last.target };
      writeFileSync(file, JSON.stringify(summary));
      break;
    }
    case 'content': {
      // An incident whose first update is posted some minutes from now:
      // published when the clock gets there, which the live lane must see.
      made++;
      const at = new Date((epoch + change.aheadMinutes * 60) * 1000).toISOString().replace(/\.000Z$/, 'Z');
      writeFileSync(
        join(root, 'incidents', '2026', `2026-11-21-live-lane-${made}.md`),
        `---\ntitle: Slow logins ${made}\nimpact: minor\naffected:\n  - id: c2s\n    status: degraded\nupdates:\n  - at: ${at}\n    status: investigating\n    message: Logins take a few seconds longer than usual.\n---\n`,
      );
      break;
    }
    case 'code':
      appendFileSync(join(project, 'src', 'styles', 'site.css'), `\n/* code change ${++made} */\n`);
      break;
  }
}

beforeAll(() => {
  mkdirSync(project);
  for (const p of ['src', 'scripts', 'public', 'astro.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'])
    if (existsSync(p)) cpSync(p, join(project, p), { recursive: true });
  symlinkSync(resolve('node_modules'), join(project, 'node_modules'));
  cpSync('content', join(root, 'content'), { recursive: true });
  cpSync('incidents', join(root, 'incidents'), { recursive: true });
  // The summaries live outside content/, as on a build host (content/ is content: a change there is a full build).
  mkdirSync(join(root, 'probe-data'));
  for (const l of LOCATIONS) cpSync(join('content', 'probe-sample', `${l}.json`), join(root, 'probe-data', `${l}.json`));
  const site = join(root, 'content', 'site.yaml');
  writeFileSync(site, readFileSync(site, 'utf8').replaceAll('path: content/probe-sample/', 'path: probe-data/'));
  mkdirSync(history);
});

/** One change, then the published release against a full build of the same inputs. */
async function step(c: Change): Promise<void> {
  apply(c);
  // The full build reads the history store as the publish found it.
  const historyCopy = join(work, `history-copy-${lanes.length}`);
  cpSync(history, historyCopy, { recursive: true });
  const published = await run(['scripts/publish.ts', '--to', target, '--allow-sample'], env(epoch, history, join(work, 'cache-publish')));
  expect(published.code, published.output).toBe(0);
  lanes.push(
    /live lane/.test(published.output)
      ? 'live'
      : /Nothing changed/.test(published.output)
        ? 'unchanged'
        : /every page: content timed for/.test(published.output)
          ? 'full (timed content due)'
          : 'full',
  );
  // No release was made: the change key judged the live one current (its
  // times stay those of its own build, by design), so there is no build to compare.
  if (lanes.at(-1) === 'unchanged') {
    rmSync(historyCopy, { recursive: true, force: true });
    return;
  }
  const full = join(work, `full-${lanes.length}`);
  const built = await run(['scripts/build.ts', '--outDir', full], env(epoch, historyCopy, join(work, 'cache-full')));
  expect(built.code, built.output).toBe(0);
  const a = releaseFiles(join(target, 'current'));
  const b = releaseFiles(full);
  expect([...a.keys()].sort(), `${JSON.stringify(c)} (${lanes.at(-1)}): the same files`).toEqual([...b.keys()].sort());
  const differing = [...a.keys()].filter((f) => !a.get(f)!.equals(b.get(f)!));
  expect(differing, `${JSON.stringify(c)} (${lanes.at(-1)}): the same bytes`).toEqual([]);
  rmSync(full, { recursive: true, force: true });
  rmSync(historyCopy, { recursive: true, force: true });
}

describe('the live lane', () => {
  beforeAll(async () => {
    const first = await run(['scripts/publish.ts', '--to', target, '--allow-sample'], env(epoch, history, join(work, 'cache-publish')));
    expect(first.code, first.output).toBe(0);
  }, 300_000);

  test(
    'a minute of each kind: monitoring and clock take the live lane, content and code and timed content coming due build every page, and each release is the full build',
    { timeout: 1_200_000 },
    async () => {
      const scenario: Change[] = [
        { kind: 'monitoring', location: 0, fail: true, age: 20 },
        { kind: 'clock', seconds: 60 },
        { kind: 'content', aheadMinutes: 5 },
        { kind: 'monitoring', location: 1, fail: true, age: 10 },
        { kind: 'clock', seconds: 600 },
        { kind: 'code' },
        { kind: 'monitoring', location: 0, fail: false, age: 30 },
      ];
      for (const c of scenario) await step(c);
      expect(lanes).toEqual(['live', 'live', 'full', 'live', 'full (timed content due)', 'full', 'live']);
    },
  );

  test(
    'after any sequence of monitoring, clock, content and code changes, the published release is byte for byte the full build of the same inputs',
    { timeout: 1_800_000 },
    async () => {
      const change = fc.oneof(
        {
          weight: 4,
          arbitrary: fc.record({
            kind: fc.constant('monitoring' as const),
            location: fc.integer({ min: 0, max: 2 }),
            fail: fc.boolean(),
            age: fc.integer({ min: 0, max: 600 }),
          }),
        },
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('clock' as const), seconds: fc.integer({ min: 30, max: 4 * 3600 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('content' as const), aheadMinutes: fc.integer({ min: 1, max: 120 }) }) },
        { weight: 1, arbitrary: fc.constant({ kind: 'code' as const }) },
      );
      await fc.assert(
        fc.asyncProperty(fc.array(change, { minLength: 3, maxLength: 3 }), async (changes) => {
          for (const c of changes) await step(c);
        }),
        { numRuns: 2, endOnFailure: true },
      );
      console.log(`lanes: ${lanes.join(' ')}`);
    },
  );
});
