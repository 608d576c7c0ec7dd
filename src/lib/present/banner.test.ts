import { describe, expect, test } from 'vitest';
import { listNames, shortName, statusBanner } from './banner.ts';
import { computeStatus } from '../status/status.ts';
import { incidentText, maintenanceText, source, validContent } from '../../../tests/helpers/content-files.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const incident = (slug: string, affected: string, updates: string) => source(`incidents/2026/${slug}.md`, incidentText({ affected, updates }));

describe('statusBanner', () => {
  test('says all is well and nothing more when every component is operational', () => {
    expect(statusBanner(computeStatus(validContent(), NOW), NOW)).toEqual({ state: 'operational', headline: 'All systems operational', others: [] });
  });

  test('names the components in the worst state in the headline, and lists milder problems apart', () => {
    const content = validContent({
      incidents: [
        incident('2026-11-21-logins', '  - id: c2s\n    status: major-outage', '  - at: 2026-11-21T10:00:00Z\n    status: investigating\n    message: x\n    next: 2026-11-21T13:00:00Z'),
        incident('2026-11-20-federation', '  - id: s2s\n    status: degraded', '  - at: 2026-11-20T09:00:00Z\n    status: identified\n    message: x\n    next: 2026-11-21T18:00:00Z'),
      ],
    });
    expect(statusBanner(computeStatus(content, NOW), NOW)).toEqual({
      state: 'major-outage',
      headline: 'Major outage: Client connections',
      others: [{ name: 'Federation', state: 'degraded' }],
      // Since and next update are the headline's: the major outage began today, the degradation yesterday.
      since: new Date('2026-11-21T10:00:00Z'),
      next: { due: new Date('2026-11-21T13:00:00Z'), overdue: false },
    });
  });

  test('the headline\'s incident gives the times even when a milder one is older and promises sooner', () => {
    const content = validContent({
      incidents: [
        incident('2026-11-21-logins', '  - id: c2s\n    status: major-outage', '  - at: 2026-11-21T10:00:00Z\n    status: investigating\n    message: x\n    next: 2026-11-21T14:00:00Z'),
        incident('2026-11-20-federation', '  - id: s2s\n    status: degraded', '  - at: 2026-11-20T09:00:00Z\n    status: identified\n    message: x\n    next: 2026-11-21T12:30:00Z'),
      ],
    });
    expect(statusBanner(computeStatus(content, NOW), NOW)).toMatchObject({ since: new Date('2026-11-21T10:00:00Z'), next: { due: new Date('2026-11-21T14:00:00Z'), overdue: false } });
  });

  test('a promise that has passed is reported as overdue', () => {
    const content = validContent({ incidents: [incident('2026-11-21-logins', '  - id: c2s\n    status: partial-outage', '  - at: 2026-11-21T10:00:00Z\n    status: investigating\n    message: x\n    next: 2026-11-21T11:00:00Z')] });
    expect(statusBanner(computeStatus(content, NOW), NOW).next).toEqual({ due: new Date('2026-11-21T11:00:00Z'), overdue: true });
  });

  test('maintenance in progress names its components and its start', () => {
    const content = validContent({ maintenance: [source('content/maintenance/2026-11-21-now.md', maintenanceText('Work', '2026-11-21T11:00:00Z', '2026-11-21T13:00:00Z'))] });
    const banner = statusBanner(computeStatus(content, NOW), NOW);
    expect(banner.headline).toMatch(/^Scheduled maintenance in progress: /);
    expect(banner.since).toEqual(new Date('2026-11-21T11:00:00Z'));
    expect(banner.next).toBeUndefined();
  });
});

test.each([
  // full name → the headline's short name
  ['Client connections (port 5222)', 'Client connections'],
  ['Multi-user chat (conference.jabber.org)', 'Multi-user chat'],
  ['Account registration', 'Account registration'],
  ['(odd)', '(odd)'],
])('shortName(%j) is %j', (name, short) => expect(shortName(name)).toBe(short));

test.each([
  [[], ''],
  [['A'], 'A'],
  [['A', 'B'], 'A and B'],
  [['A', 'B', 'C'], 'A, B and C'],
  [['A', 'B', 'C', 'D', 'E'], 'A, B, C and 2 more'],
])('listNames(%j) reads %j', (names, text) => expect(listNames(names)).toBe(text));
