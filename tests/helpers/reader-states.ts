/**
 * The five situations a reader must understand in five seconds (issue 27),
 * each as a real build of the site: the bundled site.yaml and sample
 * monitoring, one daily update, and the content that causes the situation.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSiteAsync, SAMPLE_EPOCH, type BuildResult } from './build-site.ts';
import { maintenanceText } from './content-files.ts';

export const READER_STATES = ['outage', 'maintenance', 'both', 'all clear', 'stale'] as const;
export type ReaderState = (typeof READER_STATES)[number];

/** 2026-11-21T12:00Z, the sample's now. */
const NOW = Number(SAMPLE_EPOCH);

const OUTAGE = {
  path: 'incidents/2026/2026-11-21-logins-fail.md',
  text: `---
title: Logins fail for every client
impact: critical
advice: Your password is fine; please do not create a new account.
affected:
  - id: c2s
    status: major-outage
  - id: c2s-directtls
    status: major-outage
updates:
  - at: 2026-11-21T10:05:00Z
    status: identified
    message: The login database is down. We are restoring it from the replica.
    next: 2026-11-21T13:00:00Z
---
`,
};

const WINDOW = {
  path: 'content/maintenance/2026-11-21-m-link-upgrade.md',
  text: maintenanceText('M-Link upgrade', '2026-11-21T11:40:00Z', '2026-11-21T12:30:00Z', {
    components: '[c2s, c2s-directtls, s2s, muc]',
    body: 'Two short disconnections.\n',
  }).replace('components:', 'advice: Your app reconnects by itself; messages sent meanwhile are queued, not lost.\ncomponents:'),
};

const FILES: Record<ReaderState, { path: string; text: string }[]> = {
  outage: [OUTAGE],
  maintenance: [WINDOW],
  both: [OUTAGE, WINDOW],
  'all clear': [],
  stale: [],
};

/** Each situation's build time, in ms: "stale" is built three hours after the sample monitoring data was written. */
export const READER_BUILD_TIMES: Record<ReaderState, number> = {
  outage: NOW * 1000,
  maintenance: NOW * 1000,
  both: NOW * 1000,
  'all clear': NOW * 1000,
  stale: (NOW + 3 * 3600) * 1000,
};

/**
 * Builds the site for one situation. "stale" is the all-clear content built
 * three hours after the sample monitoring data was written.
 */
export async function buildReaderState(state: ReaderState): Promise<BuildResult> {
  const root = mkdtempSync(join(tmpdir(), `reader-${state.replace(' ', '-')}-`));
  mkdirSync(join(root, 'content/updates'), { recursive: true });
  cpSync('content/site.yaml', join(root, 'content/site.yaml'));
  cpSync('content/probe-sample', join(root, 'content/probe-sample'), { recursive: true });
  writeFileSync(join(root, 'content/updates/2026-11-21.md'), '---\nauthor: Test\nsummary: A quiet day.\n---\nText.\n');
  for (const file of FILES[state]) {
    mkdirSync(join(root, file.path, '..'), { recursive: true });
    writeFileSync(join(root, file.path), file.text);
  }
  const built = await buildSiteAsync({ contentRoot: root, epoch: String(READER_BUILD_TIMES[state] / 1000) });
  if (built.code !== 0) throw new Error(`${state}: ${built.output}`);
  return built;
}
