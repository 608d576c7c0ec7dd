/**
 * The authoring commands as an admin runs them (the real `npm run` scripts,
 * as child processes) over a copy of the sample content, then the real
 * build: four commands open, update twice and resolve an incident, and the
 * built page shows the whole timeline.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
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
    npm('incident:update', SLUG, '--status', 'monitoring', '--message', 'Logins work again; we are watching.', '--component', 'c2s=operational,c2s-directtls=operational', '--at=-40m'),
    npm('incident:update', SLUG, '--status', 'resolved', '--message', 'All clear for half an hour.', '--at', 'now'),
  ];
  for (const s of steps) expect(s.code, s.out).toBe(0);
  expect(steps[0]!.out).toBe(`Wrote ${FILE}; it is valid.\n\nTo publish it:\n  git add ${FILE}\n  git commit -m "Incident: Logins fail for every client"\n  git push\n`);
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
  for (const words of ['We are investigating.', 'A certificate on the load balancer expired.', 'Logins work again; we are watching.', 'All clear for half an hour.']) expect(text).toContain(words);
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
    expect(npm('incident:update', '2026-11-21-nothing', '--status', 'resolved', '--message', 'x').out).toContain('There is no incident 2026-11-21-nothing (looked for incidents/2026/2026-11-21-nothing.md).');
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
  expect(npm('new:maintenance', '--title', 'Kernel update', '--start', '2026-11-28T03:00:00Z', '--end', '2026-11-28T04:00:00Z', '--component', 'c2s,s2s', '--message', 'Two short restarts.').code).toBe(0);
  expect(npm('maintenance:update', slug, '--status', 'scheduled', '--end', '2026-11-28T04:30:00Z', '--message', 'Thirty minutes more.').code).toBe(0);
  const late = npm('maintenance:update', slug, '--status', 'completed', '--message', 'Done.');
  expect(late.code, late.out).toBe(0);
  const after = npm('maintenance:update', slug, '--status', 'in-progress', '--message', 'Again?');
  expect(after.code).toBe(1);
  expect(after.out).toContain('updates[4].status: comes after a "completed" update. Nothing may follow it; announce new work in a new file');
});

test('new:update writes today\'s update prefilled with the last 24 hours, and refuses a second one', () => {
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
