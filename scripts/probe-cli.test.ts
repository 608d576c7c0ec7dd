import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProbeRecordSchema, ProbeSummarySchema } from '../src/lib/schemas.ts';
import { formatProbeTable } from '../src/lib/xmpp/probe-table.ts';

const cli = (...args: string[]) => spawnSync(process.execPath, ['scripts/probe.ts', ...args], { encoding: 'utf8' });

test.each([
  // arguments → the first line of the error
  [['--timeout', 'soon'], '--timeout must be a whole number above 0, got "soon"'],
  [['--resolver', 'localhost'], '--resolver must be HOST:PORT, e.g. 127.0.0.1:53, got "localhost"'],
  [['--ca', '/nonexistent.pem', 'jabber.org'], 'Cannot read the CA file /nonexistent.pem'],
  [['not a domain'], '"not a domain" is not a domain name'],
])('exits 2 with a clear message for %j', (args, message) => {
  const run = cli(...args);
  expect(run.status).toBe(2);
  expect(run.stderr.split('\n')[0]).toBe(message);
  expect(run.stderr).toContain('Usage: npm run probe');
});

test('an unknown option is a usage error', () => {
  const run = cli('--bogus');
  expect(run.status).toBe(2);
  // The wording after the option name is Node's own.
  expect(run.stderr).toMatch(/^Unknown option '--bogus'/);
});

test('the table names each check, its target, the result and why it failed', () => {
  const base = { v: 1, at: '2026-11-21T06:00:00.000Z', vantage: 'ams', domain: 'jabber.org', ms: 182.4, attempts: 1, detail: {} } as const;
  const records = [
    ProbeRecordSchema.parse({
      ...base,
      check: 'c2s-starttls',
      target: 'hermes.jabber.org:5222',
      ok: true,
      detail: { warning: 'certificate expires in 12 days (2026-12-03)' },
    }),
    ProbeRecordSchema.parse({
      ...base,
      check: 'c2s-directtls',
      target: 'hermes.jabber.org:5223',
      ok: false,
      attempts: 2,
      error: 'connection refused (hermes.jabber.org:5223)',
    }),
  ];
  expect(formatProbeTable(records)).toMatchInlineSnapshot(`
    "domain      check          target                  result  time              note
    jabber.org  c2s-starttls   hermes.jabber.org:5222  ok      182 ms            warning: certificate expires in 12 days (2026-12-03)
    jabber.org  c2s-directtls  hermes.jabber.org:5223  FAIL    182 ms (retried)  connection refused (hermes.jabber.org:5223)

    1 passed, 1 failed, 0 not run (2 checks on 1 domain)"
  `);
});

test('probe:summary streams a raw-log folder into a valid summary, skipping a torn line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'summary-cli-'));
  mkdirSync(join(dir, 'ams'));
  const line = (at: string, ok: boolean) =>
    JSON.stringify({ v: 1, at, vantage: 'ams', domain: 'jabber.org', check: 'dns', target: 'jabber.org', ok, ms: 5, attempts: 1, detail: {} });
  writeFileSync(join(dir, 'ams/2026-11-20.jsonl'), `${line('2026-11-20T10:00:00.000Z', true)}\n${line('2026-11-20T10:01:00.000Z', false)}\n`);
  writeFileSync(join(dir, 'ams/2026-11-21.jsonl'), `${line('2026-11-21T10:00:00.000Z', true)}\n{"v":1,"at":"2026-11-21T10:0`);
  const run = spawnSync(process.execPath, ['scripts/probe-summary.ts', '--in', dir, '--out', join(dir, 'summary.json'), '--now', '2026-11-21T12:00:00Z'], {
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^Summarised 3 records \(1 skipped\) from 2 files of vantage "ams" into .*summary\.json \(\d+ bytes, 1 checks\)\.\n$/);
  const summary = ProbeSummarySchema.parse(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')));
  expect(summary.checks[0]!.days.map((d) => [d.date, d.samples, d.ok, d.outages.length])).toEqual([
    ['2026-11-20', 2, 1, 1],
    ['2026-11-21', 1, 1, 0],
  ]);
  rmSync(dir, { recursive: true, force: true });
});
