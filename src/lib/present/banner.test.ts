import { describe, expect, test } from 'vitest';
import { statusBanner } from './banner.ts';
import { computeStatus, type ComponentStatus } from '../status/status.ts';
import { SITE_YAML, incidentText, maintenanceText, source, validContent } from '../../../tests/helpers/content-files.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
// c2s has a reader name; s2s has none, so its name stands in.
const SITE = source(
  'content/site.yaml',
  SITE_YAML.replace('    name: Client connections\n', '    name: Client connections (port 5222)\n    readerName: Logging in\n'),
);
const incident = (slug: string, affected: string, updates: string, extra = '') =>
  source(`incidents/2026/${slug}.md`, incidentText({ affected, updates }).replace('impact: major\n', `impact: major\n${extra}`));
const content = (parts: Parameters<typeof validContent>[0]) => validContent({ site: SITE, ...parts });

type ComponentMonitoring = NonNullable<ComponentStatus['monitoring']>;

/** What monitoring says about one component, e.g. silent since 09:00. */
function measured(verdict: ComponentMonitoring['verdict'], lastAt: string): ComponentMonitoring {
  return {
    verdict,
    reporting: verdict === 'unknown' ? 0 : 2,
    uptime: { '24h': null, '7d': null, '30d': null, '90d': null },
    days: [],
    months: [],
    responseTimes: [],
    latest: [
      { vantage: 'ams', domain: 'example.org', check: 'c2s-starttls', at: lastAt, ok: verdict === 'up', ms: 40, stale: verdict === 'unknown', ahead: false },
    ],
    cert: null,
  };
}

describe('statusBanner', () => {
  test('says all is well in one box and nothing more when every component is operational', () => {
    expect(statusBanner(computeStatus(content({}), NOW), NOW)).toEqual({
      state: 'operational',
      boxes: [{ kind: 'operational', state: 'operational', title: 'All systems operational' }],
    });
  });

  test("an incident's box has its own title, what it affects in readers' words, since, next update and advice", () => {
    const c = content({
      incidents: [
        incident(
          '2026-11-21-logins',
          '  - id: c2s\n    status: major-outage\n  - id: s2s\n    status: degraded',
          '  - at: 2026-11-21T10:00:00Z\n    status: identified\n    message: x\n    next: 2026-11-21T13:00:00Z',
          'advice: Your password is fine; do not create a new account.\n',
        ),
      ],
    });
    expect(statusBanner(computeStatus(c, NOW), NOW).boxes).toEqual([
      {
        kind: 'incident',
        state: 'major-outage',
        title: 'Login failures',
        link: { kind: 'incident', slug: '2026-11-21-logins' },
        affected: 'Major outage: Logging in; degraded performance: Federation',
        status: 'Identified',
        since: new Date('2026-11-21T10:00:00Z'),
        next: { due: new Date('2026-11-21T13:00:00Z'), overdue: false },
        advice: 'Your password is fine; do not create a new account.',
      },
    ]);
  });

  test('a running maintenance gets its own box with "until", and comes first when it takes more away than a minor incident', () => {
    // Issue 27: on 25 November the banner said "Degraded performance: Federation" while the window disconnecting everyone was far below.
    const c = content({
      incidents: [
        incident('2026-11-20-federation', '  - id: s2s\n    status: degraded', '  - at: 2026-11-20T09:00:00Z\n    status: monitoring\n    message: x'),
      ],
      maintenance: [
        source(
          'content/maintenance/2026-11-21-now.md',
          maintenanceText('Server upgrade', '2026-11-21T11:00:00Z', '2026-11-21T12:20:00Z', { components: '[c2s, s2s]' }).replace(
            'components:',
            'advice: Your app reconnects by itself.\ncomponents:',
          ),
        ),
      ],
    });
    const banner = statusBanner(computeStatus(c, NOW), NOW);
    expect(banner.boxes.map((b) => [b.kind, b.title, b.affected])).toEqual([
      ['maintenance', 'Server upgrade', 'Under maintenance: Logging in and Federation'],
      ['incident', 'Login failures', 'Degraded performance: Federation'],
    ]);
    expect(banner.boxes[0]).toMatchObject({
      since: new Date('2026-11-21T11:00:00Z'),
      until: { at: new Date('2026-11-21T12:20:00Z'), overdue: false },
      advice: 'Your app reconnects by itself.',
    });
  });

  test('a window still running after its planned end says so', () => {
    const c = content({
      maintenance: [
        source(
          'content/maintenance/2026-11-21-now.md',
          maintenanceText('Work', '2026-11-21T10:00:00Z', '2026-11-21T11:00:00Z', {
            more: '  - at: 2026-11-21T10:05:00Z\n    status: in-progress\n    message: Started.\n',
          }),
        ),
      ],
    });
    expect(statusBanner(computeStatus(c, NOW), NOW).boxes[0]!.until).toEqual({ at: new Date('2026-11-21T11:00:00Z'), overdue: true });
  });

  test('a promise that has passed is reported as overdue', () => {
    const c = content({
      incidents: [
        incident(
          '2026-11-21-logins',
          '  - id: c2s\n    status: partial-outage',
          '  - at: 2026-11-21T10:00:00Z\n    status: investigating\n    message: x\n    next: 2026-11-21T11:00:00Z',
        ),
      ],
    });
    expect(statusBanner(computeStatus(c, NOW), NOW).boxes[0]!.next).toEqual({ due: new Date('2026-11-21T11:00:00Z'), overdue: true });
  });

  test('stale monitoring with nothing declared is explained in the one stale sentence, not shown as a grey "unknown"', () => {
    const monitoring = new Map([
      ['c2s', measured('unknown', '2026-11-21T09:00:00Z')],
      ['s2s', measured('up', '2026-11-21T08:00:00Z')],
    ]);
    expect(statusBanner(computeStatus(content({}), NOW, monitoring), NOW).boxes).toEqual([
      {
        kind: 'stale',
        state: 'unknown',
        title: 'Status partly unknown',
        text: 'No known problems. Our monitoring has not reported since 09:00\u00a0UTC (3\u00a0h ago), so we cannot confirm it live.',
      },
    ]);
  });

  test('what monitoring alone sees down gets a box before anyone declares it', () => {
    const monitoring = new Map([['c2s', measured('down', '2026-11-21T11:59:00Z')]]);
    expect(statusBanner(computeStatus(content({}), NOW, monitoring), NOW).boxes).toEqual([
      { kind: 'monitoring', state: 'major-outage', title: 'Our monitoring sees a problem', affected: 'Major outage: Logging in' },
    ]);
  });
});
