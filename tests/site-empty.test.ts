/**
 * The sample never goes public (issue 25): publishing the bundled sample is
 * refused with the way out, `npm run site:empty` leaves valid empty content,
 * and that empty site publishes. `npm run build` keeps showing the sample
 * (tests/build.test.ts).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { pageText, SAMPLE_EPOCH } from './helpers/build-site.ts';

const root = mkdtempSync(join(tmpdir(), 'site-empty-root-'));
const target = mkdtempSync(join(tmpdir(), 'site-empty-target-'));
cpSync('content', join(root, 'content'), { recursive: true });
cpSync('incidents', join(root, 'incidents'), { recursive: true });
afterAll(() => {
  for (const d of [root, target]) rmSync(d, { recursive: true, force: true });
});

function npm(...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', ...args], {
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', SOURCE_DATE_EPOCH: SAMPLE_EPOCH, STATUS_CONTENT_ROOT: root, STATUS_CACHE_DIR: join(root, '.cache') },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('from the sample to an empty site', () => {
  test('publishing the sample is refused, with every reason and the command that empties it', async () => {
    const result = await npm('publish', '--', '--to', target);
    expect(result.code).toBe(1);
    expect(result.output).toContain('Not published: this is still the sample site, and the sample must never go public.');
    expect(result.output).toContain('content/site.yaml: probes.sources ams, fra, nyc are sample monitoring data (sample: true)');
    expect(result.output).toContain('Start from an empty site: npm run site:empty');
    expect(existsSync(join(target, 'current'))).toBe(false);
  }, 60_000);

  test('npm run site:empty leaves valid, empty content and keeps the templates', async () => {
    const result = await npm('site:empty');
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/^Removed \d+ sample files and the sample monitoring sources\. The content is valid and empty\./m);
    expect(readdirSync(join(root, 'incidents'))).toEqual(['_template.md']);
    expect(readdirSync(join(root, 'content/services')).sort()).toEqual(['_template.md', 'directory.yaml']);
    expect(readFileSync(join(root, 'content/site.yaml'), 'utf8')).toMatch(/^  sources: \[\]$/m);
    const check = await npm('check');
    expect(check.code, check.output).toBe(0);
    expect(check.output).toContain('Content is valid: 7 components, 0 incidents, 0 maintenance windows, 0 daily updates.');
  }, 60_000);

  test('the empty site publishes, with no sample incident or service on it', async () => {
    const result = await npm('publish', '--', '--to', target);
    expect(result.code, result.output).toBe(0);
    const home = pageText(join(target, 'current'), 'index.html');
    expect(home).not.toContain('M-Link');
    expect(home).not.toMatch(/sample/i);
    expect(existsSync(join(target, 'current', 'services', 'im.sample.jabber.org'))).toBe(false);
  }, 240_000);
});
