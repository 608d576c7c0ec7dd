import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ProbeRecordSchema } from '../schemas.ts';
import { planRotation } from './log-rotation.ts';
import { rotateLogs } from './log-rotation-io.ts';
import { appendRecords } from './probe-log-writer-io.ts';
import { summariseLogFolder } from './probe-sources-io.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'rotation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rotating raw logs once summarised', () => {
  test('complete days are gzipped, days past retention deleted, today and yesterday left alone', () => {
    expect(
      planRotation(
        ['2026-11-21.jsonl', '2026-11-20.jsonl', '2026-11-19.jsonl', '2026-11-18.jsonl.gz', '2025-10-16.jsonl.gz', '2025-10-17.jsonl', 'notes.txt'],
        NOW,
      ),
    ).toEqual({
      compress: ['2025-10-17.jsonl', '2026-11-19.jsonl'],
      remove: ['2025-10-16.jsonl.gz'],
    });
  });

  test('a retention shorter than the summaries read is refused with the limit', () => {
    expect(() => planRotation([], NOW, 30)).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: retention must be more than the 90-day window summaries read, got 30]`,
    );
  });

  test('a summary of rotated logs is the same as before rotation, also when a day is in both forms', async () => {
    const records = [];
    for (let d = 0; d < 100; d++) {
      for (let m = 0; m < 24 * 60; m += 60) {
        const at = new Date(NOW.getTime() - d * 86_400_000 - m * 60_000).toISOString();
        records.push(
          ProbeRecordSchema.parse({
            v: 1,
            at,
            vantage: 'ams',
            domain: 'jabber.org',
            check: 'c2s-starttls',
            target: 'x:5222',
            ok: m % 300 !== 0,
            ms: 50,
            attempts: 1,
            detail: {},
            ...(m % 300 !== 0 ? {} : { error: 'refused' }),
          }),
        );
      }
    }
    appendRecords(dir, records);
    const before = await summariseLogFolder(dir, 'ams', NOW);
    const plan = await rotateLogs(join(dir, 'ams'), NOW, 95);
    expect(plan.compress.length).toBe(94); // 2026-08-19 … 2026-11-19 (today and yesterday stay plain)
    expect(plan.remove.length).toBe(5);
    const names = readdirSync(join(dir, 'ams'));
    expect(names.filter((n) => n.endsWith('.jsonl')).sort()).toEqual(['2026-11-20.jsonl', '2026-11-21.jsonl']);
    // A rotation cut short: the plain file of a compressed day is back.
    appendRecords(
      dir,
      records.filter((r) => r.at.startsWith('2026-11-10')),
    );
    const after = await summariseLogFolder(dir, 'ams', NOW);
    expect(after.summary).toEqual(before.summary);
  });

  test('a damaged rotated day file costs only the rest of that day: the other days are summarised and the damage is named', async () => {
    // Continues from the rotated folder above: cut one gzipped day in half.
    const damagedName = '2026-11-07.jsonl.gz';
    const path = join(dir, 'ams', damagedName);
    const fullLines = gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter(Boolean).length;
    const whole = await summariseLogFolder(dir, 'ams', NOW);
    truncateSync(path, Math.floor(readFileSync(path).length / 2));
    const folder = await summariseLogFolder(dir, 'ams', NOW);
    expect(folder.damaged).toEqual([`${damagedName}: unexpected end of file`]);
    expect(whole.damaged).toEqual([]);
    // Every other day is as before: at most that day's lines are lost (those
    // inflated before the break still count; in a file this small, none are).
    const lost = whole.records - folder.records;
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThanOrEqual(fullLines);
    expect(folder.summary.checks.length).toBe(whole.summary.checks.length);
  });
});
