/**
 * `npm run check` is what an admin sees in CI when a content file is wrong.
 * These tests lock its exact output over a fixture tree with one of each
 * mistake, and its exit codes.
 */
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';

function check(root: string) {
  const run = spawnSync(process.execPath, ['scripts/check.ts', '--root', root], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('reports every problem in the broken fixture, one per line with file, line, field and fix', () => {
  const { code, stderr } = check('tests/fixtures/invalid');
  expect(code).toBe(1);
  expect(stderr).toMatchInlineSnapshot(`
    "content/maintenance/2026-11-18-old-format.md:3: uses the old format (start, end, status and announced at the top). Maintenance is now a timeline: replace those fields with "updates: [{ at: 2026-11-17T09:00:00Z, status: scheduled, start: 2026-11-18T03:00:00Z, end: 2026-11-18T03:30:00Z, message: Announced. }, { at: <when it was cancelled>, status: cancelled, message: Cancelled. }]" (see content/maintenance/_template.md)
    content/maintenance/2026-11-25-backwards.md:3: components[2]: "xmpp" is not allowed. Use one of: c2s, c2s-directtls, s2s, registration, muc, proxy, website
    content/maintenance/2026-11-25-backwards.md:8: updates[1].end: the window would end at 2026-11-25T04:00:00.000Z, not after its start (2026-11-25T05:00:00.000Z). The window must end after it starts
    content/maintenance/2026-11-25-backwards.md:14: updates[3].status: comes after a "completed" update. Nothing may follow it; announce new work in a new file
    content/updates/2026-11-20.md:2: summary: is missing. Add a line "summary: …"
    content/updates/2026-11-20.md:4: sumary: is not a known field. Check the spelling or remove it
    content/updates/2026-11-20.md:5: incidents[1]: "2026-11-01-no-such-incident" is not an incident. Use the incident's file name without ".md", e.g. 2026-11-03-login-failures
    incidents/2025/2026-11-11-wrong-folder.md: is in folder 2025 but dated 2026. Move it to incidents/2026/
    incidents/2025/2026-11-11-wrong-folder.md:8: updates[1].at: is on 2026-11-12 (UTC) but the file name says 2026-11-11. Rename the file or fix the date
    incidents/2026/2026-11-09-unknown-component.md:5: affected[1].id: "client-connections" is not allowed. Use one of: c2s, c2s-directtls, s2s, registration, muc, proxy, website
    incidents/2026/2026-11-10-bad-timeline.md:3: impact: "severe" is not allowed. Use one of: none, minor, major, critical
    incidents/2026/2026-11-10-bad-timeline.md:6: affected[1].status: "down" is not allowed. Use one of: degraded, partial-outage, major-outage
    incidents/2026/2026-11-10-bad-timeline.md:8: updates[1].at: "2026-11-10 17:20" has no UTC offset. Write it like 2026-11-03T08:12:00Z or 2026-11-03T09:12:00+01:00
    incidents/2026/2026-11-10-bad-timeline.md:14: updates[3].at: 2026-11-10T18:00:00.000Z is earlier than the update before it (2026-11-10T19:00:00.000Z). List updates oldest first
    incidents/2026/2026-11-10-bad-timeline.md:15: updates[3].status: comes after a "resolved" update. Only the last update may be "resolved"; to reopen, change the earlier one to "monitoring"
    incidents/2026/2026-11-12-broken-yaml.md:2: YAML does not parse (Nested mappings are not allowed in compact mappings). A value contains ": ". Put the whole value in double quotes
    incidents/2026/2026-11-13-timeline-order.md:3: impact: "severe" is not allowed. Use one of: none, minor, major, critical
    incidents/2026/2026-11-13-timeline-order.md:7: affected[2].id: "muc" is listed twice. List each component once
    incidents/2026/2026-11-13-timeline-order.md:13: updates[2].at: 2026-11-13T09:00:00.000Z is earlier than the update before it (2026-11-13T10:00:00.000Z). List updates oldest first
    incidents/2026/2026-11-13-timeline-order.md:14: updates[2].status: comes after a "resolved" update. Only the last update may be "resolved"; to reopen, change the earlier one to "monitoring"

    20 problems in 8 files.
    "
  `);
});

test('accepts the bundled sample content and says what it found', () => {
  const { code, stdout } = check('.');
  expect(code).toBe(0);
  expect(stdout).toMatch(/^Content is valid: 7 components, \d+ incidents, \d+ maintenance windows, \d+ daily updates\.$/m);
});
