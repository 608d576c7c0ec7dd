/**
 * The authoring commands as an admin runs them (the real `npm run` scripts,
 * as child processes) over a copy of the sample content, then the real
 * build: four commands open, update twice and resolve an incident, and the
 * built page shows the whole timeline.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { buildSite, pageText } from './helpers/build-site.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'author-'));
  cpSync('content', join(root, 'content'), { recursive: true });
  cpSync('incidents', join(root, 'incidents'), { recursive: true });
});

/** Runs `npm run <script> -- …args` at the sample's "now" (2026-11-21T12:00:00Z). */
function npm(script: string, ...args: string[]) {
  const run = spawnSync('npm', ['run', '--silent', script, '--', ...args], {
    env: { ...process.env, STATUS_CONTENT_ROOT: root, SOURCE_DATE_EPOCH: '1795262400' },
    encoding: 'utf8',
  });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

const SLUG = '2026-11-21-logins-fail-for-every-client';
const FILE = `incidents/2026/${SLUG}.md`;

test('four commands open an incident, post two updates and resolve it, and the build shows the timeline', () => {
  const steps = [
    npm('new:incident', '--title', 'Logins fail for every client', '--component', 'c2s,c2s-directtls', '--impact', 'critical', '--at=-90m', '--next', '30m'),
    npm('incident:update', SLUG, '--status', 'identified', '--message', 'A certificate on the load balancer expired.', '--at=-70m', '--next', '1h'),
    npm(
      'incident:update',
      SLUG,
      '--status',
      'monitoring',
      '--message',
      'Logins work again; we are watching.',
      '--component',
      'c2s=operational,c2s-directtls=operational',
      '--at=-40m',
    ),
    npm('incident:update', SLUG, '--status', 'resolved', '--message', 'All clear for half an hour.', '--at', 'now'),
  ];
  for (const s of steps) expect(s.code, s.out).toBe(0);
  expect(steps[0]!.out).toBe(
    `Wrote ${FILE}; it is valid.\n\nTo publish it:\n  git add ${FILE}\n  git commit -m "Incident: Logins fail for every client"\n  git push\n`,
  );
  expect(readFileSync(join(root, FILE), 'utf8')).toMatchInlineSnapshot(`
    "---
    title: Logins fail for every client
    impact: critical
    affected:
      - id: c2s
        status: major-outage
      - id: c2s-directtls
        status: major-outage
    updates:
      - at: 2026-11-21T10:30:00Z
        status: investigating
        message: We are investigating.
        next: 30m
      - at: 2026-11-21T10:50:00Z
        status: identified
        message: A certificate on the load balancer expired.
        next: 1h
      - at: 2026-11-21T11:20:00Z
        status: monitoring
        message: Logins work again; we are watching.
        components:
          c2s: operational
          c2s-directtls: operational
      - at: 2026-11-21T12:00:00Z
        status: resolved
        message: All clear for half an hour.
    ---
    "
  `);

  const built = buildSite({ contentRoot: root });
  expect(built.code, built.output).toBe(0);
  const text = pageText(built.outDir, `incidents/${SLUG}/index.html`);
  expect(text).toContain('Critical impact Resolved · 2026-11-21 10:30 UTC to 2026-11-21 12:00 UTC (1 h 30 min)');
  for (const words of [
    'We are investigating.',
    'A certificate on the load balancer expired.',
    'Logins work again; we are watching.',
    'All clear for half an hour.',
  ])
    expect(text).toContain(words);
});

describe('what the commands refuse, and say so', () => {
  test('invalid values are named with their file, line and fix, and nothing is written', () => {
    const { code, out } = npm('new:incident', '--title', 'X', '--component', 'c2s,nosuch', '--impact', 'severe');
    expect(code).toBe(1);
    expect(out).toMatchInlineSnapshot(`
      "Nothing was written: the file would have these problems.

      incidents/2026/2026-11-21-x.md:3: impact: "severe" is not allowed. Use one of: none, minor, major, critical
      incidents/2026/2026-11-21-x.md:7: affected[2].id: "nosuch" is not allowed. Use one of: c2s, c2s-directtls, s2s, registration, muc, proxy, website

      2 problems in 1 file.
      "
    `);
    expect(existsSync(join(root, 'incidents/2026/2026-11-21-x.md'))).toBe(false);
  });

  test('a new incident never replaces an existing file', () => {
    expect(npm('new:incident', '--title', 'Logins fail', '--component', 'c2s', '--impact', 'major').code).toBe(0);
    const again = npm('new:incident', '--title', 'Logins fail', '--component', 'c2s', '--impact', 'minor');
    expect(again.code).toBe(1);
    expect(again.out).toContain('incidents/2026/2026-11-21-logins-fail.md already exists; nothing was written.');
    expect(readFileSync(join(root, 'incidents/2026/2026-11-21-logins-fail.md'), 'utf8')).toContain('impact: major');
  });

  test('an update to an incident that does not exist, or a time that is not one, is refused', () => {
    expect(npm('incident:update', '2026-11-21-nothing', '--status', 'resolved', '--message', 'x').out).toContain(
      'There is no incident 2026-11-21-nothing (looked for incidents/2026/2026-11-21-nothing.md).',
    );
    expect(npm('new:incident', '--title', 'Y', '--component', 'c2s', '--impact', 'minor', '--at', 'tomorrow').out).toContain('--at: "tomorrow" is not a time.');
  });

  test.each(['new:incident', 'incident:update', 'new:maintenance', 'maintenance:update', 'new:update'])('%s --help explains every option', (script) => {
    const { code, out } = npm(script, '--help');
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: npm run /);
  });
});

test('a maintenance window is announced, rescheduled, started and completed by commands', () => {
  const slug = '2026-11-28-kernel-update';
  expect(
    npm(
      'new:maintenance',
      '--title',
      'Kernel update',
      '--start',
      '2026-11-28T03:00:00Z',
      '--end',
      '2026-11-28T04:00:00Z',
      '--component',
      'c2s,s2s',
      '--message',
      'Two short restarts.',
    ).code,
  ).toBe(0);
  expect(npm('maintenance:update', slug, '--status', 'scheduled', '--end', '2026-11-28T04:30:00Z', '--message', 'Thirty minutes more.').code).toBe(0);
  const late = npm('maintenance:update', slug, '--status', 'completed', '--message', 'Done.');
  expect(late.code, late.out).toBe(0);
  const after = npm('maintenance:update', slug, '--status', 'in-progress', '--message', 'Again?');
  expect(after.code).toBe(1);
  expect(after.out).toContain('updates[4].status: comes after a "completed" update. Nothing may follow it; announce new work in a new file');
});

test("new:update writes today's update prefilled with the last 24 hours, and refuses a second one", () => {
  const file = 'content/updates/2026-11-21.md';
  cpSync(join(root, file), join(root, 'kept.md'));
  spawnSync('rm', [join(root, file)]);
  const { code, out } = npm('new:update');
  expect(code, out).toBe(0);
  const text = readFileSync(join(root, file), 'utf8');
  expect(text).toContain('- Federation with other servers (port 5269): 100% uptime (measured), now degraded');
  expect(text).toContain('- Maintenance coming: M-Link upgrade with the fix for disconnections, 2026-11-25 04:00 UTC to 2026-11-25 05:30 UTC');
  expect(npm('new:update').out).toContain(`${file} already exists; nothing was written.`);
});

// Issue 22: the admin's own mistakes at 3 a.m., and two admins at once.
describe('mistakes get the fix (issue 22)', () => {
  const OPEN = '2026-11-19-federation-with-some-servers';

  test('re-running the same incident:update is refused, so no second notification goes out; --force posts it', () => {
    const first = npm('incident:update', OPEN, '--status', 'monitoring', '--message', 'Watching the queues.');
    expect(first.code, first.out).toBe(0);
    const before = readFileSync(join(root, `incidents/2026/${OPEN}.md`), 'utf8');
    const again = npm('incident:update', OPEN, '--status', 'monitoring', '--message', 'Watching the queues.');
    expect(again).toEqual({
      code: 1,
      out: `The last update of ${OPEN} already says exactly this (status monitoring, same message); nothing was written, so no second notification goes out. If you mean to post it again, run the command again with --force.\n`,
    });
    expect(readFileSync(join(root, `incidents/2026/${OPEN}.md`), 'utf8')).toBe(before);
    expect(npm('incident:update', OPEN, '--status', 'monitoring', '--message', 'Watching the queues.', '--force').code).toBe(0);
  });

  test('a mistyped incident slug gets "did you mean" from the real slugs and the list of open incidents', () => {
    const run = npm('incident:update', '2026-11-19-federation-with-some-server', '--status', 'resolved', '--message', 'Fixed.');
    expect(run.code).toBe(1);
    expect(run.out).toMatchInlineSnapshot(`
      "There is no incident 2026-11-19-federation-with-some-server (looked for incidents/2026/2026-11-19-federation-with-some-server.md).
      Did you mean 2026-11-19-federation-with-some-servers?
      Open incidents: 2026-11-19-federation-with-some-servers.
      Give the file name without ".md".
      "
    `);
  });

  test('a maintenance window is found by its name whatever its start date, not by today’s', () => {
    const run = npm('maintenance:update', '2026-11-21-m-link-upgrade', '--status', 'in-progress', '--message', 'Started.');
    expect(run.code).toBe(1);
    expect(run.out).toMatchInlineSnapshot(`
      "There is no maintenance window 2026-11-21-m-link-upgrade (looked for content/maintenance/2026-11-21-m-link-upgrade.md).
      Did you mean 2026-11-25-m-link-upgrade?
      Open maintenance windows: 2026-11-25-m-link-upgrade.
      Give the file name without ".md".
      "
    `);
  });

  test('a forgotten "--" is explained', () => {
    // npm keeps options before "--" as its own settings: the command then sees only the values.
    const run = spawnSync('npm', ['run', '--silent', 'incident:update', OPEN, '--status', 'resolved', '--message', 'Fixed.'], {
      env: { ...process.env, STATUS_CONTENT_ROOT: root, SOURCE_DATE_EPOCH: '1795262400' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'npm kept --status, --message for itself: with npm run, the command\'s options go after "--", e.g. npm run incident:update -- --status … --message …',
    );
  });

  test('new:update says which probe data it could not read and leaves a visible TODO instead of made-up figures', () => {
    const site = join(root, 'content/site.yaml');
    writeFileSync(
      site,
      readFileSync(site, 'utf8')
        .replace('path: content/probe-sample/ams.json', 'path: content/probe-sample/gone.json')
        .replace('path: content/probe-sample/fra.json', 'path: content/probe-sample/gone.json')
        .replace('path: content/probe-sample/nyc.json', 'path: content/probe-sample/gone.json'),
    );
    const run = npm('new:update', '--date', '2026-11-22');
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain('Could not read the monitoring data of 3 probe source(s):\n  ams: content/probe-sample/gone.json does not exist');
    const text = readFileSync(join(root, 'content/updates/2026-11-22.md'), 'utf8');
    expect(text).toContain(
      '- TODO Client connections (port 5222): uptime and state not known, the monitoring data could not be read (ams: content/probe-sample/gone.json does not exist;',
    );
    expect(text).not.toMatch(/Client connections \(port 5222\): 100% uptime/);
  });

  test('four incident:update runs at once: each update is kept or its run says it was not written', async () => {
    const runs = await Promise.all(
      ['one', 'two', 'three', 'four'].map(
        (word) =>
          new Promise<{ code: number | null; out: string; word: string }>((resolve) => {
            const child = spawn('npm', ['run', '--silent', 'incident:update', '--', OPEN, '--status', 'monitoring', '--message', `Update ${word}.`], {
              env: { ...process.env, STATUS_CONTENT_ROOT: root, SOURCE_DATE_EPOCH: '1795262400' },
            });
            let out = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.stderr.on('data', (d: Buffer) => (out += d.toString()));
            child.on('close', (code) => resolve({ code, out, word }));
          }),
      ),
    );
    const text = readFileSync(join(root, `incidents/2026/${OPEN}.md`), 'utf8');
    const wrote = runs.filter((r) => r.out.includes('Wrote '));
    expect(wrote.length, runs.map((r) => r.out).join('\n')).toBeGreaterThan(0);
    // Every run that said "Wrote" has its update in the file; every other run said why not.
    for (const r of runs) {
      if (r.out.includes('Wrote ')) expect(text, r.word).toContain(`Update ${r.word}.`);
      else expect(r.out, r.word).toMatch(/changed after this command read it|Another command is changing/);
    }
  }, 60_000);
});

test('a three-space indent is named as an indentation problem first', () => {
  const file = join(root, 'incidents/2026/2026-11-11-federation-delays.md');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(/\n    status: /, '\n   status: '));
  const run = spawnSync(process.execPath, ['scripts/check.ts', '--root', root], { encoding: 'utf8' });
  expect(run.status).toBe(1);
  expect(run.stderr.split('\n')[0]).toMatch(
    /^incidents\/2026\/2026-11-11-federation-delays\.md:\d+: YAML does not parse: this line is indented by 3 spaces, which matches no line above it\./,
  );
});
