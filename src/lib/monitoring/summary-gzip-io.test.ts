import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ProbeSummarySchema } from '../schemas.ts';
import { compactSummary } from './probe-summary.ts';
import { loadProbeSources, writeSummaryFile } from './probe-sources-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'summary-gz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sample = ProbeSummarySchema.parse(JSON.parse(readFileSync('content/probe-sample/services-ams.json', 'utf8')));
const now = new Date(sample.generatedAt);
const load = (path: string) => loadProbeSources([{ name: 'ams', path, sample: false }], { root: dir, cacheDir: join(dir, 'cache'), now });

test('a compact summary written gzipped (FILE.json.gz) is read back whole by the build', async () => {
  const compact = compactSummary(sample);
  const bytes = writeSummaryFile(join(dir, 'ams.json.gz'), compact);
  expect(bytes).toBeLessThan(JSON.stringify(sample).length / 10);
  const [loaded] = await load('ams.json.gz');
  expect(loaded!.origin).toBe('file');
  expect(loaded!.summary).toEqual(ProbeSummarySchema.parse(JSON.parse(JSON.stringify(compact))));
});

test('a gzipped summary cut short is named, not a crash', async () => {
  const whole = readFileSync(join(dir, 'ams.json.gz'));
  writeFileSync(join(dir, 'cut.json.gz'), whole.subarray(0, whole.length >> 1));
  const [loaded] = await load('cut.json.gz');
  expect(loaded).toMatchObject({ origin: 'none', reason: 'invalid', problem: 'cut.json.gz is a gzip file cut short or damaged' });
});
