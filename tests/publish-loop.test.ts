/**
 * Issue 26, measured on real processes and a real git repository: the
 * publish loop as the unit runs it (`npm run publish -- --to DIR --repo REPO
 * --branch main`), with monitoring fed by a probe host on loopback (an HTTP
 * server publishing summary.json). Four ordinary mistakes used to freeze the
 * page, monitoring included: a bad push, a forgotten hold, a stray edit on
 * the build host, a publish as another user. Each must leave the page moving
 * ("As of" and monitoring fresh) and raise an alert that names the cause.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pageText, SAMPLE_EPOCH } from './helpers/build-site.ts';

const repo = mkdtempSync(join(tmpdir(), 'publish-loop-repo-'));
const target = mkdtempSync(join(tmpdir(), 'publish-loop-site-'));
const cache = mkdtempSync(join(tmpdir(), 'publish-loop-cache-'));
const epoch = Number(SAMPLE_EPOCH);
const iso = (at: number) => new Date(at * 1000).toISOString().replace('.000Z', 'Z');

let server: Server;
let summary = '';

/**
 * The sample's ams summary as a probe host would publish it at `at`: every
 * check's last run at that minute, client connections failing when `c2sDown`.
 */
function summaryAt(at: number, c2sDown: boolean): string {
  const s = JSON.parse(readFileSync('content/probe-sample/ams.json', 'utf8')) as {
    generatedAt: string;
    checks: { check: string; last: Record<string, unknown> }[];
  };
  s.generatedAt = iso(at);
  for (const c of s.checks) {
    const down = c2sDown && c.check.startsWith('c2s');
    c.last = { ...c.last, at: iso(at - 30), ok: !down, ...(down ? { error: 'connect ECONNREFUSED 127.0.0.1:5222' } : {}) };
  }
  return JSON.stringify(s);
}

function git(...args: string[]): string {
  const r = spawnSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Admin', GIT_AUTHOR_EMAIL: 'a@t.test', GIT_COMMITTER_NAME: 'Admin', GIT_COMMITTER_EMAIL: 'a@t.test' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

function publish(at: number, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', 'publish', '--', '--to', target, '--repo', repo, '--branch', 'main', '--allow-sample', ...args], {
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', SOURCE_DATE_EPOCH: String(at), STATUS_CACHE_DIR: cache, STATUS_CONTENT_ROOT: '' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

const home = () => pageText(join(target, 'current'), 'index.html');
const status = () =>
  JSON.parse(readFileSync(join(target, 'publish-status.json'), 'utf8')) as {
    result: string;
    commit: string;
    hold: { commit?: string } | null;
    alerts: { key: string; text: string }[];
  };
/** What the note shows: the home page's first words and the alerts. */
function show(label: string, output: string): void {
  const text = home();
  console.log(
    `--- ${label}\npage: ${text.slice(text.indexOf('As of') - 200, text.indexOf('As of') + 40)}\n${output
      .split('\n')
      .filter((l) => l.startsWith('ALERT') || l.startsWith('  '))
      .join('\n')}`,
  );
}

let good = '';

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(summary));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  for (const path of [
    'src',
    'scripts',
    'content',
    'incidents',
    'types',
    'astro.config.mjs',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    '.gitignore',
  ].filter((p) => existsSync(p))) {
    cpSync(path, join(repo, path), { recursive: true });
  }
  const site = readFileSync(join(repo, 'content/site.yaml'), 'utf8').replace(
    /  sources:\n(    - .*\n)+/,
    `  sources:\n    - { name: ams, url: "http://127.0.0.1:${port}/summary.json" }\n`,
  );
  writeFileSync(join(repo, 'content/site.yaml'), site);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'Good content');
  good = git('rev-parse', 'HEAD');
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  for (const d of [repo, target, cache]) rmSync(d, { recursive: true, force: true });
});

describe('the publish loop never freezes the page', () => {
  test('a good push is published from its commit', async () => {
    summary = summaryAt(epoch, false);
    const result = await publish(epoch);
    expect(result.code, result.output).toBe(0);
    expect(status().commit).toBe(good);
    expect(home()).toContain('As of 12:00 UTC');
    expect(home()).toContain('Client connections (port 5222) ✓ Operational');
    show('good push', result.output);
  }, 240_000);

  test('a broken push while the server goes down: the page says down, built from the last good content, and the alert names the commit and file:line', async () => {
    mkdirSync(join(repo, 'incidents/2026'), { recursive: true });
    writeFileSync(join(repo, 'incidents/2026/2026-11-21-broken.md'), '---\ntitle: Broken\nimpact: severe\n---\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'Add an incident with a typo');
    const broken = git('rev-parse', 'HEAD');
    summary = summaryAt(epoch + 120, true);
    const result = await publish(epoch + 120);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`ALERT: The newest commit ${broken.slice(0, 12)} ("Add an incident with a typo") on main fails the content check`);
    expect(result.output).toMatch(/incidents\/2026\/2026-11-21-broken\.md:3: impact: "severe" is not allowed/);
    expect(home()).toContain('As of 12:02 UTC');
    expect(home()).toContain('Client connections (port 5222) ✕ Major outage');
    expect(status().commit).toBe(good);
    // What the notifier reads (npm run notify -- --root DIR/live) is the live commit, not the broken one.
    expect(readlinkSync(join(target, 'live'))).toBe(join(target, 'work', good));
    expect(status().alerts.map((a) => a.key)).toEqual([`content-check-failed:${broken}`]);
    show('broken push, server down', result.output);
  }, 240_000);

  test('a hold pins the commit, never time: monitoring and "As of" keep moving', async () => {
    const rolled = await publish(epoch + 180, '--rollback');
    expect(rolled.code, rolled.output).toBe(0);
    expect(rolled.output).toContain(`later publishes rebuild commit ${good.slice(0, 12)}`);
    // The server is back; the next run under the hold shows it.
    summary = summaryAt(epoch + 240, false);
    const result = await publish(epoch + 240);
    expect(result.code, result.output).toBe(0);
    expect(home()).toContain('As of 12:04 UTC');
    expect(home()).toContain('Client connections (port 5222) ✓ Operational');
    expect(status().hold?.commit).toBe(good);
    expect(status().alerts.some((a) => a.key === 'hold' && a.text.startsWith('Publishing is on hold since'))).toBe(true);
    show('hold in place', result.output);
  }, 240_000);

  test('an uncommitted edit in the checkout never goes live, and a good push lifts the hold', async () => {
    rmSync(join(repo, 'incidents/2026/2026-11-21-broken.md'));
    git('add', '-A');
    git('commit', '-q', '-m', 'Fix the typo');
    const fixed = git('rev-parse', 'HEAD');
    // Made on the build host and never committed.
    writeFileSync(join(repo, 'content/site.yaml'), readFileSync(join(repo, 'content/site.yaml'), 'utf8').replace(/^name: .*$/m, 'name: Stray edit'));
    summary = summaryAt(epoch + 300, true);
    const result = await publish(epoch + 300);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`A new push (${fixed.slice(0, 12)}) passed the check: the hold is lifted.`);
    expect(home()).not.toContain('Stray edit');
    expect(home()).toContain('As of 12:05 UTC');
    expect(home()).toContain('Client connections (port 5222) ✕ Major outage');
    expect(status().commit).toBe(fixed);
    expect(readlinkSync(join(target, 'live'))).toBe(join(target, 'work', fixed));
    expect(readFileSync(join(target, 'live', 'content/site.yaml'), 'utf8')).not.toContain('Stray edit');
    expect(status().hold).toBeNull();
    expect(status().alerts).toEqual([]);
    show('uncommitted edit', result.output);
    git('checkout', '-q', '--', 'content/site.yaml');
  }, 240_000);

  test("the history store lives beside the releases, not in a commit's export, so every commit's build adds to the same one", () => {
    // Three commits were built above (good, the last good again, fixed), each in its own export under work/.
    const store = join(target, 'history', 'status.json.gz');
    expect(existsSync(store), 'no history store beside the releases').toBe(true);
    for (const exported of readdirSync(join(target, 'work'))) expect(existsSync(join(target, 'work', exported, '.history'))).toBe(false);
    // The published copy is the same store.
    expect(readFileSync(join(target, 'current', 'history', 'status.json.gz'))).toEqual(readFileSync(store));
  });

  test.skipIf(process.getuid?.() !== 0)(
    "a publish as another user than the site folder's owner is refused in one line, and the page keeps being published by its owner",
    async () => {
      chownSync(target, 65534, 65534);
      try {
        const result = await publish(epoch + 360);
        expect(result.code).toBe(1);
        expect(result.output.trim()).toMatch(
          /^\S+ belongs to (nobody|65534), but this runs as root: files it made would belong to root, and later publishes could not remove them\. Run it as (nobody|65534): sudo -u (nobody|65534) npm run publish -- --to /,
        );
        expect(result.output).not.toMatch(/^\s+at /m);
      } finally {
        chownSync(target, 0, 0);
      }
    },
    60_000,
  );

  test.skipIf(process.getuid?.() !== 0)(
    'a release the publisher cannot remove is an alert, never a crash: the new release still goes live',
    async () => {
      const live = readlinkSync(join(target, 'current')).replace('releases/', '');
      // An immutable file (chattr +i) cannot be removed even by root, as a root-owned file cannot by the service user.
      const stuck = join(target, 'releases', live, 'index.html');
      const immutable = spawnSync('chattr', ['+i', stuck]);
      if (immutable.status !== 0) return; // a file system without attributes (tmpfs): nothing to prove here
      try {
        summary = summaryAt(epoch + 420, false);
        const result = await publish(epoch + 420, '--keep', '1');
        expect(result.code, result.output).toBe(0);
        expect(result.output).toMatch(new RegExp(`cannot be changed by root \\(while removing old release ${live}\\); readers still get release \\S+\\.`));
        expect(result.output).not.toMatch(/^\s+at /m);
        expect(home()).toContain('As of 12:07 UTC');
        expect(status().alerts.map((a) => a.key)).toEqual([`prune-failed:${live}`]);
        show('release that cannot be removed', result.output);
      } finally {
        spawnSync('chattr', ['-i', stuck]);
      }
    },
    240_000,
  );
});
