/**
 * In-memory content for tests. Everything goes through the real parser and
 * schemas (`buildContent`), so fixtures cannot drift from what admins write.
 */
import { buildContent, type SourceFile, type SourceFiles } from '../../src/lib/content/content.ts';

export const SITE_YAML = `name: Test status
description: Status of a test service.
url: https://status.example.org
service: example.org
serviceUrl: https://example.org/
slaTarget: 99.9
groups:
  - id: xmpp
    name: Instant messaging
components:
  - id: c2s
    name: Client connections
    description: Logging in.
    group: xmpp
    xmpp: true
  - id: s2s
    name: Federation
    description: Talking to other servers.
    group: xmpp
    xmpp: true
`;

export function source(path: string, text: string): SourceFile {
  return { path, text, bytes: Buffer.byteLength(text) };
}

/** A valid incident file text; override parts with `fields`. */
export function incidentText(fields: { title?: string; impact?: string; affected?: string; updates?: string; body?: string } = {}): string {
  return `---
title: ${fields.title ?? 'Login failures'}
impact: ${fields.impact ?? 'major'}
affected:
${fields.affected ?? '  - id: c2s\n    status: major-outage'}
updates:
${fields.updates ?? '  - at: 2026-11-09T06:40:00Z\n    status: investigating\n    message: Logins fail.\n  - at: 2026-11-09T08:00:00Z\n    status: resolved\n    message: Fixed.'}
---
${fields.body ?? ''}`;
}

export function files(parts: Partial<SourceFiles> = {}): SourceFiles {
  return {
    site: parts.site === undefined && !('site' in parts) ? source('content/site.yaml', SITE_YAML) : parts.site,
    incidents: parts.incidents ?? [],
    maintenance: parts.maintenance ?? [],
    updates: parts.updates ?? [],
  };
}

/** Builds content that must be valid; throws with the problems otherwise. */
export function validContent(parts: Partial<SourceFiles> = {}) {
  const result = buildContent(files(parts));
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.content;
}

/**
 * A maintenance file in the timeline format: announced a week before `start`
 * unless `announced` says otherwise; `cancelled` adds a cancellation one
 * minute after the announcement.
 * @param start e.g. `2026-11-25T04:00:00Z`
 */
export function maintenanceText(
  title: string,
  start: string,
  end: string,
  options: { components?: string; cancelled?: boolean; announced?: string; body?: string; more?: string } = {},
): string {
  const announced = options.announced ?? new Date(Date.parse(start) - 7 * 86_400_000).toISOString();
  const cancel = options.cancelled
    ? `  - at: ${new Date(Date.parse(announced) + 60_000).toISOString()}\n    status: cancelled\n    message: Called off.\n`
    : '';
  return `---\ntitle: ${title}\ncomponents: ${options.components ?? '[c2s]'}\nupdates:\n  - at: ${announced}\n    status: scheduled\n    start: ${start}\n    end: ${end}\n    message: Announced.\n${cancel}${options.more ?? ''}---\n${options.body ?? ''}`;
}
