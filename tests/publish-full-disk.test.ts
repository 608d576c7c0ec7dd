/**
 * Issue 22, defects 4 and 5, on a real full disk: the publish target is a
 * small tmpfs (mounting one needs root; as another user the test is
 * skipped and says so). Before, publishing died with an uncaught ENOSPC in
 * precompressTree, left a release with empty .br/.gz files, and a later
 * --rollback switched to it (nginx then served an empty body); rollback
 * chose by folder name, so a never-live folder with a newer name won.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SAMPLE_EPOCH } from './helpers/build-site.ts';

const isRoot = process.getuid?.() === 0;
const root = mkdtempSync(join(tmpdir(), 'full-disk-content-'));
const target = mkdtempSync(join(tmpdir(), 'full-disk-target-'));
const cache = mkdtempSync(join(tmpdir(), 'full-disk-cache-'));
const epoch = Number(SAMPLE_EPOCH);

function publish(at: number, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', 'publish', '--', '--to', target, '--allow-sample', ...args], {
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', SOURCE_DATE_EPOCH: String(at), STATUS_CONTENT_ROOT: root, STATUS_CACHE_DIR: cache },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

const live = () => readlinkSync(join(target, 'current'));
const releases = () =>
  readdirSync(join(target, 'releases'))
    .filter((n) => !n.endsWith('.lock'))
    .sort();

/** Fills the tmpfs until `leave` bytes are free. */
function fillUntil(leave: number): void {
  const free = () => {
    const s = statfsSync(target);
    return s.bavail * s.bsize;
  };
  const filler = join(target, 'filler');
  const chunk = Buffer.alloc(64 * 1024, 1);
  let i = 0;
  while (free() > leave + chunk.length) writeFileSync(`${filler}-${i++}`, chunk);
}

beforeAll(() => {
  if (!isRoot) return;
  cpSync('content', join(root, 'content'), { recursive: true });
  cpSync('incidents', join(root, 'incidents'), { recursive: true });
  // 24 MiB: room for a few releases (about 3 MB each with their .gz and .br copies).
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', target], { encoding: 'utf8' });
  if (mounted.status !== 0) throw new Error(`mount tmpfs failed: ${mounted.stderr}`);
});

afterAll(() => {
  if (isRoot) spawnSync('umount', [target]);
  for (const d of [root, target, cache]) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!isRoot)('publishing on a full disk (as root, on a tmpfs)', () => {
  let first: string;
  let second: string;

  test('two releases go live while there is room', async () => {
    const a = await publish(epoch);
    expect(a.code, a.output).toBe(0);
    first = live().replace('releases/', '');
    const b = await publish(epoch + 60, '--force');
    expect(b.code, b.output).toBe(0);
    second = live().replace('releases/', '');
    expect(second).not.toBe(first);
  }, 240_000);

  test('a full disk is one sentence and exit 1; the unfinished release is removed and the live one untouched', async () => {
    // Room for the build's files but not for their compressed copies.
    writeFileSync(join(root, 'content/updates/2026-11-22.md'), '---\nauthor: Ops\nsummary: All quiet.\n---\nNothing to report.\n');
    fillUntil(2_000_000);
    const before = releases();
    const result = await publish(epoch + 12 * 3600);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toMatch(
      /The disk holding \S+ is full \(while (precompressing|building) release \S+\); the unfinished release was removed and readers still get release \S+\. Free space \(see df -h \S+\) and publish again\./,
    );
    // No stack trace, no uncaught error.
    expect(result.output).not.toMatch(/^\s+at /m);
    expect(result.output).not.toContain('ENOSPC:');
    expect(releases()).toEqual(before);
    expect(live()).toBe(`releases/${second}`);
    expect(readdirSync(target).filter((n) => n.includes('.tmp-'))).toEqual([]);
  }, 240_000);

  test('after space is freed, a rollback goes to the release live before, never to a folder that was not live', async () => {
    for (const name of readdirSync(target)) if (name.startsWith('filler-')) rmSync(join(target, name));
    // What a publish killed half-way used to leave: a folder whose name sorts
    // between the two live releases, with empty copies (by name, the old rule chose it).
    const stray = first.replace(/-[0-9a-z]+$/, '-zzzz');
    expect(stray > first && stray < second).toBe(true);
    mkdirSync(join(target, 'releases', stray));
    writeFileSync(join(target, 'releases', stray, 'index.html'), '');
    writeFileSync(join(target, 'releases', stray, 'index.html.br'), '');
    const result = await publish(epoch + 13 * 3600, '--rollback');
    expect(result.code, result.output).toBe(0);
    expect(live()).toBe(`releases/${first}`);
    expect(readFileSync(join(target, 'current', 'index.html'), 'utf8')).toContain('<html');
    expect(existsSync(join(target, 'current', 'index.html.br'))).toBe(true);
  }, 60_000);
});

test.runIf(!isRoot)('the full-disk test needs root to mount a tmpfs (skipped: not root)', () => {
  expect(isRoot).toBe(false);
});
