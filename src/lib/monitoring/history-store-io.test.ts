import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ProbeSummarySchema } from '../schemas.ts';
import { encodeHistory } from './history-store.ts';
import { readHistoryFile, updateHistoryFile } from './history-store-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'history-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sample = ProbeSummarySchema.parse(JSON.parse(readFileSync('content/probe-sample/ams.json', 'utf8')));
const now = new Date(sample.generatedAt);
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

describe('the history file on the build host', () => {
  const path = join(dir, 'status.json.gz');

  test('a build without a store says so and how to restore it, and starts one', () => {
    const first = updateHistoryFile(path, [sample], now);
    expect(first.origin).toBe('none');
    expect(first.problem).toBe(
      `no history at ${path}: pages show only the days in this build's summaries. Restore it with "npm run history -- restore https://<your status site>/history/status.json.gz", or rebuild it from raw logs with "npm run history -- rebuild"`,
    );
    expect(first.bytes).toBeGreaterThan(0);
    expect(readHistoryFile(path).origin).toBe('file');
  });

  test('the next build with the same days writes nothing: today is in every summary until it is settled', () => {
    const before = statSync(path).mtimeMs;
    const again = updateHistoryFile(path, [{ ...sample, generatedAt: later(1).toISOString().replace('.000', '') }], later(1));
    expect(again).toMatchObject({ origin: 'file', added: 0 });
    expect(again.bytes).toBeUndefined();
    expect(statSync(path).mtimeMs).toBe(before);
    expect(existsSync(`${path}.prev`)).toBe(false);
  });

  test('a damaged file falls back to the previous copy and says so', () => {
    // A settled day changes (a late summary adds samples to yesterday), so the store is written and the old one kept as .prev.
    const grown = structuredClone(sample);
    const yesterday = grown.checks[0]!.days.at(-2)!;
    yesterday.samples += 5;
    yesterday.ok += 5;
    const written = updateHistoryFile(path, [grown], later(2));
    expect(written.bytes).toBeGreaterThan(0);
    expect(existsSync(`${path}.prev`)).toBe(true);
    const good = encodeHistory(readHistoryFile(`${path}.prev`).store);
    writeFileSync(path, readFileSync(path).subarray(0, 100));
    const read = readHistoryFile(path);
    expect(read.origin).toBe('prev');
    expect(read.problem).toBe(
      `${path} is not a complete gzip file (cut short, or over 1024 MiB unpacked). Restore a good copy with "npm run history -- restore FILE|URL"; using status.json.gz.prev, one build older`,
    );
    expect(encodeHistory(read.store)).toEqual(good);
  });
});
