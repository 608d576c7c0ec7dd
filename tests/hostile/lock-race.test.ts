/**
 * Issue 22, defect 6: a stale lock was taken over by "delete it and try
 * again", so with six processes started at once on a lock left by a killed
 * build, 1 to 5 of them held it. Here eight processes start at the same
 * instant, each trying `acquireBuildLock` (the lock of `dist.lock` and
 * `publish.lock`; the notifier's journal lock uses the same shared protocol)
 * on a stale lock, then on a free one, and hold what they get for a moment:
 * exactly one may hold it each round.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'lock-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROCESSES = 8;
const module = resolve('src/lib/release/atomic-build-io.ts');

/** One contender: waits for the common start instant, tries the lock, holds it 800 ms, prints `held <from> <to>` (ms) or `refused`. */
const contender = `
const { acquireBuildLock } = await import(${JSON.stringify(module)});
const start = Number(process.argv[1]);
while (Date.now() < start) {}
const release = acquireBuildLock(process.argv[2], new Date());
if (typeof release === 'function') {
  const from = performance.timeOrigin + performance.now();
  await new Promise((r) => setTimeout(r, 800));
  const to = performance.timeOrigin + performance.now();
  release();
  console.log('held', from, to);
} else console.log('refused');
`;

async function round(outDir: string): Promise<string[]> {
  const start = Date.now() + 3000; // every process is loaded by then, even on a busy machine
  const runs = Array.from({ length: PROCESSES }, () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', contender, String(start), outDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise<string>((r) => child.on('close', () => r(out.trim())));
  });
  return await Promise.all(runs);
}

/**
 * No two holds overlap. (A process the busy machine started late may take
 * the lock after the first holder released it: that is correct.)
 */
function expectOneHolderAtATime(results: string[]): void {
  expect(
    results.every((r) => r === 'refused' || r.startsWith('held ')),
    results.join('\n'),
  ).toBe(true);
  const holds = results
    .filter((r) => r.startsWith('held '))
    .map((r) => r.split(' ').slice(1).map(Number) as [number, number])
    .sort((a, b) => a[0] - b[0]);
  expect(holds.length).toBeGreaterThan(0);
  for (let i = 1; i < holds.length; i++)
    expect(holds[i]![0], `hold ${i + 1} began before hold ${i} ended: ${results.join(', ')}`).toBeGreaterThanOrEqual(holds[i - 1]![1]);
}

/** The pid of a process that has exited: what a killed build leaves in its lock. */
function deadPid(): number {
  return spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim() as unknown as number;
}

test.each([1, 2, 3, 4, 5, 6, 7, 8])(
  'eight processes started at once on a stale lock: one holds it at a time (round %i)',
  async () => {
    const outDir = join(dir, `dist-stale-${Date.now()}`);
    writeFileSync(`${outDir}.lock`, `${deadPid()} 2026-11-21T06:00:00.000Z\n`);
    const results = await round(outDir);
    expectOneHolderAtATime(results);
    // Released by its holder, and no claim or private file left behind.
    expect(existsSync(`${outDir}.lock`)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('takeover') || n.endsWith('.tmp'))).toEqual([]);
  },
  30_000,
);

test('eight processes started at once on a free lock: one holds it at a time', async () => {
  expectOneHolderAtATime(await round(join(dir, 'dist-free')));
}, 30_000);
