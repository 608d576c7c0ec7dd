/**
 * `npm run publish` end to end, as the every-minute timer runs it: the real
 * command in a child process, over a copy of the sample content, at frozen
 * times (SOURCE_DATE_EPOCH).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { shouldPrecompress } from '../src/lib/release/releases.ts';
import { listFiles, SAMPLE_EPOCH } from './helpers/build-site.ts';

const root = mkdtempSync(join(tmpdir(), 'publish-content-'));
const target = mkdtempSync(join(tmpdir(), 'publish-target-'));
const cache = mkdtempSync(join(tmpdir(), 'publish-cache-'));

/** Runs `npm run publish -- --to <target> …` at `epoch` (seconds). */
function publish(epoch: number, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', 'publish', '--', '--to', target, '--allow-sample', ...args], {
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', SOURCE_DATE_EPOCH: String(epoch), STATUS_CONTENT_ROOT: root, STATUS_CACHE_DIR: cache },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

const live = () => readlinkSync(join(target, 'current'));
const releases = () => readdirSync(join(target, 'releases')).sort();
const epoch = Number(SAMPLE_EPOCH);

beforeAll(() => {
  cpSync('content', join(root, 'content'), { recursive: true });
  cpSync('incidents', join(root, 'incidents'), { recursive: true });
});

describe('a first publish', () => {
  let first: { code: number | null; output: string };
  beforeAll(async () => {
    first = await publish(epoch);
  });

  test('builds a release and points current at it', () => {
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/Published 20261121T120000Z-\d+ \(no previous release\)/);
    expect(releases()).toHaveLength(1);
    expect(live()).toBe(`releases/${releases()[0]}`);
    expect(existsSync(join(target, 'current', 'index.html'))).toBe(true);
  });

  test('every text file has .gz and .br siblings that decompress to its exact bytes', () => {
    const dir = join(target, 'current');
    const files = listFiles(dir).filter((f) => !/\.(gz|br)$/.test(f));
    const compressible = files.filter((f) => shouldPrecompress(f, statSync(join(dir, f)).size));
    // Pages, feeds, JSON, the calendar, badges and CSS are all there.
    for (const kind of ['.html', '.atom', '.xml', '.json', '.ics', '.svg', '.css'])
      expect(
        compressible.some((f) => f.endsWith(kind)),
        kind,
      ).toBe(true);
    for (const f of compressible) {
      const original = readFileSync(join(dir, f));
      expect(gunzipSync(readFileSync(join(dir, `${f}.gz`))).equals(original), `${f}.gz`).toBe(true);
      expect(brotliDecompressSync(readFileSync(join(dir, `${f}.br`))).equals(original), `${f}.br`).toBe(true);
      expect(statSync(join(dir, `${f}.br`)).size).toBeLessThan(original.length);
    }
  });
});

describe('a rebuild only when something changed', () => {
  test('nothing changed ten seconds later: no build, no new release', async () => {
    const before = releases();
    const result = await publish(epoch + 10);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('Nothing changed since');
    expect(releases()).toEqual(before);
  });

  test('--force builds anyway', async () => {
    const result = await publish(epoch + 20, '--force');
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('--force');
    expect(releases()).toHaveLength(2);
  });

  test('a new content file is published, and unchanged files reuse the previous compressed copies', async () => {
    const before = live();
    writeFileSync(join(root, 'content/updates/2026-11-22.md'), '---\nauthor: Ops\nsummary: All quiet.\n---\nNothing to report.\n');
    const result = await publish(epoch + 30);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/Published \S+ \(content\)/);
    expect(live()).not.toBe(before);
    // A file with the same bytes in both releases shares its .br (a hard link), not a recompression.
    const reused = Number(/\((\d+) reused\)/.exec(result.output)?.[1]);
    expect(reused).toBeGreaterThan(0);
    const css = listFiles(join(target, 'current', '_astro')).find((f) => f.endsWith('.css'))!;
    expect(statSync(join(target, before, '_astro', `${css}.br`)).ino).toBe(statSync(join(target, 'current', '_astro', `${css}.br`)).ino);
  });

  test("the next UTC day is a change even with the same files (today's update, the calendar)", async () => {
    const result = await publish(epoch + 12 * 3600, '--keep', '2');
    expect(result.code, result.output).toBe(0);
    // ("code" too when src/ was edited while the test ran, as on a shared working tree.)
    expect(result.output).toMatch(/Published \S+ \((code, )?clock \(day=2026-11-22;/);
    // --keep 2: the two newest stay, the live one among them.
    expect(releases()).toHaveLength(2);
    expect(live()).toBe(`releases/${releases()[1]}`);
  });
});

describe('a failed build never touches the live tree', () => {
  test('invalid content: exit 1, current and the releases unchanged, nothing left behind', async () => {
    const before = { live: live(), releases: releases() };
    writeFileSync(join(root, 'incidents/2026/2026-11-21-broken.md'), '---\ntitle: Broken\nimpact: severe\n---\n');
    const result = await publish(epoch + 13 * 3600);
    expect(result.code).toBe(1);
    expect(result.output).toContain('impact: "severe" is not allowed');
    expect(result.output).toContain('Not published');
    expect(live()).toBe(before.live);
    expect(releases()).toEqual(before.releases);
    // pages/ holds each kept release's page record (the live lane, issue 28) and nothing of the failed build.
    expect(readdirSync(target).sort()).toEqual(['current', 'pages', 'publish-status.json', 'releases', 'state.json']);
    expect(readdirSync(join(target, 'pages')).sort()).toEqual(releases().map((id) => `${id}.json`));
    rmSync(join(root, 'incidents/2026/2026-11-21-broken.md'));
  });
});

describe('rollback', () => {
  test('switches back to the previous release and holds publishing until --force', async () => {
    const [older, newer] = releases();
    expect(live()).toBe(`releases/${newer}`);

    const rolled = await publish(epoch + 14 * 3600, '--rollback');
    expect(rolled.code, rolled.output).toBe(0);
    expect(live()).toBe(`releases/${older}`);
    expect(readFileSync(join(target, 'HOLD'), 'utf8')).toContain(`rolled back from ${newer} to ${older}`);

    // The timer's next run does not undo the rollback.
    const held = await publish(epoch + 14 * 3600 + 60);
    expect(held.code).toBe(0);
    expect(held.output).toContain('Publishing is on hold');
    expect(live()).toBe(`releases/${older}`);

    // Nothing older to go back to.
    const nowhere = await publish(epoch + 14 * 3600 + 120, '--rollback');
    expect(nowhere.code).toBe(1);
    expect(nowhere.output).toContain(`No release was live before ${older}`);
  }, 60_000);

  test('--force publishes again and lifts the hold', async () => {
    const result = await publish(epoch + 15 * 3600, '--force');
    expect(result.code, result.output).toBe(0);
    expect(existsSync(join(target, 'HOLD'))).toBe(false);
    expect(live()).toBe(`releases/${releases().at(-1)}`);
  });
});

test('usage errors exit 2 with the usage text', async () => {
  const child = spawn('npm', ['run', '--silent', 'publish', '--', '--keep', 'x', '--to', target], { env: { ...process.env } });
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise((resolve) => child.on('close', resolve));
  expect(code).toBe(2);
  expect(output).toContain('--keep must be a whole number above 0');
  expect(output).toContain('Usage: npm run publish');
});
