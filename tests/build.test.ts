/**
 * Builds the bundled sample site for real and checks what readers see.
 * The sample's "now" is 2026-11-21T12:00:00Z: one incident is being
 * monitored (federation, degraded), one maintenance window is upcoming.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildSite, listFiles, pageText, type BuildResult } from './helpers/build-site.ts';

let sample: BuildResult;
beforeAll(() => {
  sample = buildSite();
  if (sample.code !== 0) throw new Error(`sample build failed:\n${sample.output}`);
});

describe('the sample site', () => {
  test('the home page states the overall status, the open incident, maintenance and every component', () => {
    const text = pageText(sample.outDir, 'index.html');
    expect(text).toContain('! Degraded performance As of 2026-11-21 12:00 UTC.');
    expect(text).toContain('Current incidents Federation with some servers fails after certificate change Monitoring');
    expect(text).toContain('M-Link upgrade with the fix for disconnections Upcoming 2026-11-25 04:00 UTC to 2026-11-25 05:00 UTC (1 h)');
    expect(text).toContain('Federation with other servers (port 5269) ! Degraded performance');
    expect(text).toContain('Client connections (port 5222) ✓ Operational');
    expect(text).toContain("Today's update 2026-11-21 · by The jabber.org team");
    // The cancelled window and past incidents are not "current".
    expect(text).not.toContain('Database failover test');
  });

  test('an incident page shows its timeline newest first, its duration and the postmortem', () => {
    const text = pageText(sample.outDir, 'incidents/2026-11-09-login-failures-after-migration/index.html');
    expect(text).toContain('Status Resolved Impact critical Started 2026-11-09 06:40 UTC Resolved 2026-11-09 19:05 UTC Duration 12 h 25 min');
    expect(text.indexOf('Resolved · 2026-11-09 19:05 UTC')).toBeLessThan(text.indexOf('Investigating · 2026-11-09 06:40 UTC'));
    expect(text).toContain('Summary and postmortem What happened');
  });

  test('an incident written with a +01:00 offset is shown in UTC', () => {
    expect(pageText(sample.outDir, 'incidents/2026-11-11-federation-delays/index.html')).toContain('Started 2026-11-11 13:10 UTC');
  });

  test('the history groups incidents by month, newest first', () => {
    const text = pageText(sample.outDir, 'incidents/index.html');
    expect(text.indexOf('November 2026')).toBeLessThan(text.indexOf('October 2026'));
    expect(text).toContain('Website certificate expired');
  });

  test('component pages list only the incidents that touched them', () => {
    const text = pageText(sample.outDir, 'components/muc/index.html');
    expect(text).toContain('Some chat rooms could not be joined');
    expect(text).not.toContain('Website certificate expired');
  });

  test('every daily update has a page and the archive lists them all', () => {
    const updates = readdirSync('content/updates').filter((f) => /^\d{4}-\d{2}-\d{2}\.md$/.test(f));
    for (const f of updates) expect(existsSync(join(sample.outDir, 'updates', f.replace('.md', ''), 'index.html'))).toBe(true);
    expect(pageText(sample.outDir, 'updates/index.html').match(/\d{4}-\d{2}-\d{2}:/g)).toHaveLength(updates.length);
  });

  test('there is a 404 page and no page loads JavaScript or anything from another host', () => {
    expect(existsSync(join(sample.outDir, '404.html'))).toBe(true);
    for (const file of listFiles(sample.outDir).filter((f) => f.endsWith('.html'))) {
      const html = readFileSync(join(sample.outDir, file), 'utf8');
      expect(html, file).not.toMatch(/<script/i);
      expect(html.match(/(?:src|href)="(https?:)?\/\/[^"]+"/g)?.filter((u) => !u.includes('status.jabber.org') && !u.includes('www.jabber.org')) ?? [], file).toEqual([]);
    }
  });
});

test('two builds at the same SOURCE_DATE_EPOCH under different TZ are byte-identical', () => {
  const a = buildSite({ env: { TZ: 'UTC' } });
  const b = buildSite({ env: { TZ: 'Pacific/Kiritimati' } });
  expect([a.code, b.code]).toEqual([0, 0]);
  const files = listFiles(a.outDir);
  expect(listFiles(b.outDir)).toEqual(files);
  for (const f of files) expect(readFileSync(join(b.outDir, f)).equals(readFileSync(join(a.outDir, f))), f).toBe(true);
});

test('broken content fails the build with every problem listed and publishes nothing', () => {
  const broken = buildSite({ contentRoot: 'tests/fixtures/invalid' });
  expect(broken.code).not.toBe(0);
  expect(broken.output).toContain('18 problems in 7 files.');
  expect(broken.output).toContain('incidents/2026/2026-11-10-bad-timeline.md:3: impact: "severe" is not allowed');
  expect(listFiles(broken.outDir)).toEqual([]);
});
