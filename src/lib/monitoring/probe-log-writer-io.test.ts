import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { parseProbeLog } from './probe-log.ts';
import { ProbeRecordSchema } from '../schemas.ts';
import { appendRecords } from './probe-log-writer-io.ts';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'probe-log-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (at: string, n = 0) =>
  ProbeRecordSchema.parse({ v: 1, at, vantage: 'ams', domain: 'jabber.org', check: 'dns', target: 'jabber.org', ok: true, ms: n, attempts: 1, detail: { n } });

test('writes records to one file per UTC day', () => {
  expect(appendRecords(dir, [record('2026-11-21T23:59:00.000Z'), record('2026-11-22T00:00:01.000Z')])).toEqual([
    'ams/2026-11-21.jsonl',
    'ams/2026-11-22.jsonl',
  ]);
  expect(parseProbeLog('x', readFileSync(join(dir, 'ams/2026-11-22.jsonl'), 'utf8')).records).toHaveLength(1);
});

test('after a torn write, new records start on a fresh line and only the torn one is lost', () => {
  appendRecords(dir, [record('2026-11-21T06:00:00.000Z')]);
  appendFileSync(join(dir, 'ams/2026-11-21.jsonl'), '{"v":1,"at":"2026-11-21T06:01');
  appendRecords(dir, [record('2026-11-21T06:02:00.000Z')]);
  const parsed = parseProbeLog('x', readFileSync(join(dir, 'ams/2026-11-21.jsonl'), 'utf8'));
  expect(parsed.records.map((r) => r.at)).toEqual(['2026-11-21T06:00:00.000Z', '2026-11-21T06:02:00.000Z']);
  expect(parsed.problems.map((p) => p.line)).toEqual([2]);
});

test('eight processes appending at once leave no torn or lost line', async () => {
  // Real concurrent writers: each child appends 200 batches of 5 records.
  const script = `
    import { appendRecords } from ${JSON.stringify(join(process.cwd(), 'src/lib/monitoring/probe-log-writer-io.ts'))};
    const id = Number(process.argv[2]);
    for (let b = 0; b < 200; b++) {
      appendRecords(process.argv[1], Array.from({ length: 5 }, (_, i) => ({ v: 1, at: '2026-11-21T06:00:00.000Z', vantage: 'ams', domain: 'd' + id, check: 'dns', target: 'x'.repeat(300), ok: true, ms: b * 5 + i, attempts: 1, detail: {} })));
    }`;
  await Promise.all(
    Array.from(
      { length: 8 },
      (_, id) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir, String(id)], { stdio: 'inherit' });
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${id} exited ${code}`))));
        }),
    ),
  );
  const parsed = parseProbeLog('x', readFileSync(join(dir, 'ams/2026-11-21.jsonl'), 'utf8'));
  expect(parsed.problems).toEqual([]);
  expect(parsed.records).toHaveLength(8 * 200 * 5);
});
