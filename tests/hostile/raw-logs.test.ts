/**
 * Issue 10, class 9: raw logs never crash readers. Hostile log folders are
 * generated at test time and read by the real `npm run probe:summary` CLI
 * and by the build's loader. The 700 MB line of the issue is proven with a
 * 3 MiB line and the line cap lowered to 64 KiB (`--max-line-bytes`); the
 * code path is the same.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadProbeSources } from '../../src/lib/monitoring/probe-sources-io.ts';
import { ProbeSourceSchema, ProbeSummarySchema } from '../../src/lib/schemas.ts';

const NOW = '2026-11-21T12:00:00Z';

const record = (domain: string, at = '2026-11-21T11:00:00.000Z', ok = true) =>
  JSON.stringify({ v: 1, at, vantage: 'ams', domain, check: 'c2s-starttls', target: `xmpp.${domain}:5222`, ok, ms: 81, attempts: 1, detail: {} });

/** A probe-data folder with the given day files for vantage "ams". */
function logFolder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-logs-'));
  mkdirSync(join(dir, 'ams'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, 'ams', name), body);
  return dir;
}

function summarise(dir: string, ...extra: string[]) {
  const out = join(dir, 'summary.json');
  const run = spawnSync(process.execPath, ['scripts/probe-summary.ts', '--in', dir, '--vantage', 'ams', '--out', out, '--now', NOW, ...extra], {
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim(), out };
}

describe('over-long lines', () => {
  const huge = Buffer.alloc(3 * 1024 * 1024, 0x78); // 3 MiB of "x", no newline

  test('a line over the cap is skipped and counted, the rest of the file and folder is read', () => {
    const dir = logFolder({
      '2026-11-20.jsonl': `${record('jabber.org', '2026-11-20T10:00:00.000Z')}\n${huge.toString()}\n${record('jabber.org', '2026-11-20T10:01:00.000Z', false)}\n`,
      // The case: the last line of a file never ends.
      '2026-11-21.jsonl': Buffer.concat([Buffer.from(`${record('jabber.org')}\n`), huge]),
    });
    const result = summarise(dir, '--max-line-bytes', '65536');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `Summarised 3 records (0 skipped; 2 lines over the 64 KiB line cap skipped) from 2 files of vantage "ams" into ${result.out} (${statSync(result.out).size} bytes, 1 checks).`,
    );
    const summary = ProbeSummarySchema.parse(JSON.parse(readFileSync(result.out, 'utf8')));
    expect(summary.checks[0]!.days.map((d) => [d.date, d.samples, d.ok])).toEqual([
      ['2026-11-20', 2, 1],
      ['2026-11-21', 1, 1],
    ]);
  });

  test('the build reads such a folder too, and its log names the skipped lines', async () => {
    const dir = logFolder({ '2026-11-21.jsonl': Buffer.concat([Buffer.from(`${record('jabber.org')}\n`), huge]) });
    const [loaded] = await loadProbeSources([ProbeSourceSchema.parse({ name: 'ams', path: dir })], {
      root: '/',
      cacheDir: dir,
      now: new Date(NOW),
      maxLineBytes: 65536,
    });
    expect(loaded!.origin).toBe('logs');
    expect(loaded!.summary!.checks[0]!.days[0]!.samples).toBe(1);
    expect(loaded!.problem).toBe(`raw logs in ${dir}/ams; 1 line(s) longer than 64 KiB skipped`);
    expect(loaded!.reason).toBeUndefined();
  });
});

describe('summary size follows the data', () => {
  test('400 domains probed once: the summary is about the size of the raw log, not 2,880 slots per check', () => {
    const lines = Array.from({ length: 400 }, (_, i) => record(`d${i}.example`)).join('\n');
    const dir = logFolder({ '2026-11-21.jsonl': `${lines}\n` });
    const result = summarise(dir);
    expect(result.code, result.stderr).toBe(0);
    const raw = Buffer.byteLength(lines);
    const size = statSync(result.out).size;
    // Before issue 10: 2,880 slots per check, about 14 KB each (70 times the raw log).
    expect(size / 400).toBeLessThan(1000);
    expect(size).toBeLessThan(3 * raw);
  });

  test('one domain/check pair over the limit is refused with the limit and how to split', () => {
    const lines = Array.from({ length: 401 }, (_, i) => record(`d${i}.example`)).join('\n');
    const dir = logFolder({ '2026-11-21.jsonl': `${lines}\n` });
    const refused = summarise(dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatchInlineSnapshot(
      `"No summary written: the raw logs of "ams" hold more than 400 distinct domain/check pairs, the most one summary may hold (the build reads every summary whole). Summarise fewer domains per file with --domain NAME (repeatable), or probe fewer domains from this host."`,
    );
    const split = summarise(dir, '--domain', 'd7.example', '--domain', 'd400.example');
    expect(split.code, split.stderr).toBe(0);
    expect(ProbeSummarySchema.parse(JSON.parse(readFileSync(split.out, 'utf8'))).checks.map((c) => c.domain)).toEqual(['d400.example', 'd7.example']);
  });

  test('50,000 domains are refused, not a crash', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => record(`d${i}.example`)).join('\n');
    const dir = logFolder({ '2026-11-21.jsonl': `${lines}\n` });
    const refused = summarise(dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('hold more than 400 distinct domain/check pairs');
  });

  test('records outside the 90-day window are left out and counted; old day files are not read', () => {
    const dir = logFolder({
      '2020-01-01.jsonl': `${record('jabber.org', '2020-01-01T00:00:00.000Z')}\n`,
      '2026-11-21.jsonl': `${record('jabber.org', '0000-01-01T00:00:00.000Z')}\n${record('jabber.org')}\n`,
    });
    const result = summarise(dir);
    expect(result.stdout).toContain('Summarised 1 records (0 skipped; 1 outside the 90-day window or from the future) from 1 files');
    const summary = ProbeSummarySchema.parse(JSON.parse(readFileSync(result.out, 'utf8')));
    expect(summary.checks[0]!.days.map((d) => d.date)).toEqual(['2026-11-21']);
  });
});
