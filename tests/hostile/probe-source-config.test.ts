/**
 * Issue 10, class 11: configuration mistakes are caught by the check, not
 * published. A probe-source `path` that does not exist used to pass
 * `npm run check` and put `probe-data/ams/ams does not exist (raw logs are
 * read from <path>/<name>/)` on the public home page. Now it is a problem
 * with file, line, field and fix, and the build (which runs the check
 * first) stops before anything is written.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { formatProblems } from '../../src/lib/content/problems.ts';
import { probeSourceProblems } from '../../src/lib/monitoring/probe-sources-io.ts';
import { ProbeSourceSchema } from '../../src/lib/schemas.ts';

/** 1-based line of the `n`-th (from 1) entry of `probes.sources` in a copy made by `siteWithSources`. */
function sourceLine(root: string, n: number): number {
  const lines = readFileSync(join(root, 'content/site.yaml'), 'utf8').split('\n');
  return lines.findIndex((l) => l === '  sources:') + 1 + n;
}

/** A copy of the sample site whose `probes.sources` are replaced by `sources` (YAML lines). */
function siteWithSources(sources: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'source-config-'));
  cpSync('content', join(root, 'content'), { recursive: true });
  cpSync('incidents', join(root, 'incidents'), { recursive: true });
  const site = readFileSync('content/site.yaml', 'utf8').replace(/  sources:\n(    - .*\n)+/, `  sources:\n${sources.map((s) => `    - ${s}\n`).join('')}`);
  writeFileSync(join(root, 'content/site.yaml'), site);
  return root;
}

function check(root: string) {
  const run = spawnSync(process.execPath, ['scripts/check.ts', '--root', root], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('a path that does not exist, a log folder without the location and a file that is no summary are check problems', () => {
  const root = siteWithSources([
    '{ name: ams, path: probe-data }',
    '{ name: fra, path: content/probe-sample/fra.json, sample: true }',
    '{ name: nyc, path: logs }',
    '{ name: sfo, path: content/site.yaml }',
    '{ name: lon, url: "https://probe-lon.example/summary.json" }',
  ]);
  mkdirSync(join(root, 'logs', 'ams'), { recursive: true });
  const { code, stderr } = check(root);
  expect(code).toBe(1);
  // Only these three, each with file, line, field and the fix.
  expect(stderr.split('\n').filter((l) => l.includes('probes.sources'))).toEqual([
    `content/site.yaml:${sourceLine(root, 1)}: probes.sources[1].path: "probe-data" does not exist (paths are relative to the project folder). Fix the path, point it at a summary made by "npm run probe:summary" or at the folder "npm run probe -- --out DIR" writes, or remove this source`,
    `content/site.yaml:${sourceLine(root, 3)}: probes.sources[3].path: "logs" is a folder without a "nyc" folder in it: raw logs are read from logs/nyc/. Run the probe there with --vantage nyc, or fix the path or the source's name`,
    `content/site.yaml:${sourceLine(root, 4)}: probes.sources[4].path: "content/site.yaml" is not valid JSON (truncated or not a summary). Point it at a summary made by "npm run probe:summary", or at a raw log folder`,
  ]);
  expect(stderr).toContain('3 problems in 1 file.');
});

test('the problems come with the other content problems when the content is broken too', () => {
  const root = siteWithSources(['{ name: ams, path: nowhere }']);
  writeFileSync(join(root, 'content/updates/2026-11-21.md'), '---\nauthor: T\n---\nText.\n');
  const { code, stderr } = check(root);
  expect(code).toBe(1);
  expect(stderr).toContain('content/updates/2026-11-21.md:2: summary: is missing.');
  expect(stderr).toContain(`content/site.yaml:${sourceLine(root, 1)}: probes.sources[1].path: "nowhere" does not exist`);
  expect(stderr).toContain('2 problems in 2 files.');
});

test('the sample site and a folder holding the location pass', () => {
  expect(check('.').code).toBe(0);
  const root = siteWithSources(['{ name: ams, path: probe-data }']);
  mkdirSync(join(root, 'probe-data', 'ams'), { recursive: true });
  const result = check(root);
  expect(result.code).toBe(0);
  expect(result.stderr).not.toContain('probes.sources');
});

test('the build stops at the check and publishes nothing', () => {
  const root = siteWithSources(['{ name: ams, path: probe-data }']);
  const outDir = mkdtempSync(join(tmpdir(), 'source-config-out-'));
  const run = spawnSync('npm', ['run', '--silent', 'build', '--', '--outDir', outDir], {
    env: { ...process.env, STATUS_CONTENT_ROOT: root, SOURCE_DATE_EPOCH: '1795262400', ASTRO_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  expect(run.status).not.toBe(0);
  expect(run.stderr).toContain('probes.sources[1].path: "probe-data" does not exist');
  expect(spawnSync('ls', ['-A', outDir], { encoding: 'utf8' }).stdout).toBe('');
});

test('probeSourceProblems names the field counted from 1, and skips URL sources', () => {
  const sources = [ProbeSourceSchema.parse({ name: 'ams', url: 'https://x.example/s.json' }), ProbeSourceSchema.parse({ name: 'fra', path: 'missing.json' })];
  expect(formatProblems(probeSourceProblems(mkdtempSync(join(tmpdir(), 'empty-')), sources, () => 7))).toMatchInlineSnapshot(`
    "content/site.yaml:7: probes.sources[2].path: "missing.json" does not exist (paths are relative to the project folder). Fix the path, point it at a summary made by "npm run probe:summary" or at the folder "npm run probe -- --out DIR" writes, or remove this source

    1 problem in 1 file."
  `);
});

/** A copy of the sample site whose directory sources (content/services/directory.yaml) are replaced by `sources`. */
function siteWithDirectorySources(sources: string[]): string {
  const root = siteWithSources(['{ name: ams, path: content/probe-sample/ams.json, sample: true }']);
  const file = join(root, 'content/services/directory.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^sources:\n(  - .*\n(    .*\n)*)+/m, `sources:\n${sources.map((s) => `  - ${s}\n`).join('')}`));
  return root;
}

// Issue 22, defect 3: the check trusted stat().size (0 for a device or a
// FIFO), so /dev/zero grew its memory by ~250 MB/s and a FIFO hung it; the
// directory's sources were not checked at all.
test('a source that is a device, a FIFO or a link is a check problem, found at once, never read', () => {
  const root = siteWithSources(['{ name: ams, path: /dev/zero }', '{ name: fra, path: pipe.json }', '{ name: nyc, path: link.json }']);
  spawnSync('mkfifo', [join(root, 'pipe.json')]);
  symlinkSync('/etc/passwd', join(root, 'link.json'));
  const started = Date.now();
  const run = spawnSync(process.execPath, ['scripts/check.ts', '--root', root], { encoding: 'utf8', timeout: 20_000 });
  expect(run.signal, 'the check hung or ran away').toBeNull();
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(
    `content/site.yaml:${sourceLine(root, 1)}: probes.sources[1].path: "/dev/zero" is a device, not a file. Remove it. Point it at a summary made by "npm run probe:summary"`,
  );
  expect(run.stderr).toContain(
    `content/site.yaml:${sourceLine(root, 2)}: probes.sources[2].path: "pipe.json" is a named pipe (FIFO), not a file. Remove it. Point it at a summary made by "npm run probe:summary"`,
  );
  expect(run.stderr).toContain(
    `content/site.yaml:${sourceLine(root, 3)}: probes.sources[3].path: "link.json" is a symbolic link, which is never followed. Replace it with the file itself. Point it at a summary made by "npm run probe:summary"`,
  );
}, 30_000);

test('the directory’s sources are checked like the site’s: a missing path and a device are problems with file, line and field', () => {
  const root = siteWithDirectorySources([
    '{ location: ams, path: missing.json }',
    '{ location: fra, path: /dev/zero }',
    '{ location: nyc, path: content/probe-sample/services-nyc.json, sample: true }',
  ]);
  const run = spawnSync(process.execPath, ['scripts/check.ts', '--root', root], { encoding: 'utf8', timeout: 20_000 });
  expect(run.signal, 'the check hung or ran away').toBeNull();
  expect(run.status).toBe(1);
  const lines = run.stderr.split('\n').filter((l) => l.startsWith('content/services/directory.yaml'));
  expect(lines).toEqual([
    expect.stringMatching(
      /^content\/services\/directory\.yaml:\d+: sources\[1\]\.path: "missing\.json" does not exist \(paths are relative to the project folder\)/,
    ),
    expect.stringMatching(/^content\/services\/directory\.yaml:\d+: sources\[2\]\.path: "\/dev\/zero" is a device, not a file\. Remove it\./),
  ]);
}, 30_000);
