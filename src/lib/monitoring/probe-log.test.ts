import { expect, test } from 'vitest';
import { parseProbeLog, serializeRecord, logFileName } from './probe-log.ts';
import { ProbeRecordSchema } from '../schemas.ts';

const record = ProbeRecordSchema.parse({
  v: 1,
  at: '2026-11-21T06:00:00.000Z',
  vantage: 'ams',
  domain: 'jabber.org',
  check: 'c2s-starttls',
  target: 'hermes2.jabber.org:5222',
  ok: true,
  ms: 182,
  attempts: 1,
  detail: {},
});

test('round-trips records through the log format', () => {
  const failed = { ...record, ok: false, problems: [{ kind: 'connect-refused' as const, text: 'connection refused' }] };
  const text = serializeRecord(record) + serializeRecord(failed);
  expect(parseProbeLog('x.jsonl', text)).toEqual({ records: [record, failed], problems: [] });
});

test('skips and reports a torn last line instead of failing', () => {
  const text = serializeRecord(record) + serializeRecord(record).slice(0, 40);
  const parsed = parseProbeLog('probe-data/ams/2026-11-21.jsonl', text);
  expect(parsed.records).toHaveLength(1);
  expect(parsed.problems).toEqual([
    { file: 'probe-data/ams/2026-11-21.jsonl', line: 2, message: 'torn last line (the probe was interrupted while writing); skipped' },
  ]);
});

test('skips a torn line in the middle, a future version and an invalid record', () => {
  const text = [
    serializeRecord(record).slice(0, 30),
    serializeRecord(record).trim(),
    JSON.stringify({ ...record, v: 4 }),
    JSON.stringify({ ...record, check: 'telnet' }),
    '',
  ].join('\n');
  const parsed = parseProbeLog('f.jsonl', text);
  expect(parsed.records).toHaveLength(1);
  expect(parsed.problems.map((p) => `${p.line}: ${p.field ?? ''} ${p.message}`)).toMatchInlineSnapshot(`
    [
      "1:  is not valid JSON (probably a write cut short by a crash); skipped",
      "3:  has format version 4; this build reads versions 1, 2 and 3. Skipped",
      "4: check is not a valid probe record (Invalid option: expected one of "dns"|"c2s-starttls"|"c2s-directtls"|"s2s-starttls"|"register"|"website"|"login"|"disco"|"contact"|"version"|"ping"|"federation"); skipped",
    ]
  `);
});

test('names the log file by vantage and UTC date', () => {
  expect(logFileName('ams', new Date('2026-11-21T23:59:59-05:00'))).toBe('ams/2026-11-22.jsonl');
});

// Issue 21: version 2 keeps "not run" apart from "failed" (ok: null); version-1 logs are still read.
test('reads a version-1 "not run" record as the current version, with ok: null', () => {
  const v1 = { ...record, v: 1, ok: false, error: 'not run: PROBE_PASSWORD is not set', notRun: 'no-password' };
  // Version 3 (issue 24): the sentence is carried as a typed problem.
  const { error: _error, ...rest } = v1;
  expect(parseProbeLog('f.jsonl', `${JSON.stringify(v1)}\n`).records).toEqual([
    { ...rest, v: 3, ok: null, problems: [{ kind: 'not-run', text: 'not run: PROBE_PASSWORD is not set' }] },
  ]);
  // A version-1 record that ran keeps its ok.
  expect(parseProbeLog('f.jsonl', `${JSON.stringify({ ...record, v: 1, ok: false })}\n`).records[0]).toMatchObject({ v: 3, ok: false });
});

test.each([
  // record → why it is refused
  [{ v: 2, ok: false, notRun: 'no-password' }, 'a version-2 "not run" with ok: false'],
  [{ v: 2, ok: null }, 'ok: null without notRun'],
  [{ v: 1, ok: null, notRun: 'no-password' }, 'ok: null in version 1'],
  [{ v: 1, ok: true, notRun: 'no-password' }, 'a version-1 "not run" that passed'],
])('refuses %j (%s)', (fields, _why) => {
  const parsed = parseProbeLog('f.jsonl', `${JSON.stringify({ ...record, ...fields })}\n`);
  expect(parsed.records).toEqual([]);
  expect(parsed.problems[0]!.message).toBe(
    'is not a valid probe record (a check that did not run has "ok: null" and "notRun" (version 1: "ok: false"); one that ran has "ok: true" or "ok: false" and no "notRun"); skipped',
  );
});
