/**
 * The notifier follows the one "published as of now" rule (issue 11): an
 * entry timed in the future is not sent before its time, exactly as the
 * pages and feeds leave it out.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { notifyStatePath, runNotify } from '../src/lib/notify/run-notify-io.ts';
import { incidentText } from './helpers/content-files.ts';

test('an incident timed later than now is planned for no channel until its time has come', async () => {
  const root = mkdtempSync(join(tmpdir(), 'notify-published-'));
  cpSync('content', join(root, 'content'), { recursive: true });
  cpSync('incidents', join(root, 'incidents'), { recursive: true });
  writeFileSync(
    join(root, 'incidents/2026/2026-11-21-later.md'),
    incidentText({ title: 'Announced for later', updates: '  - at: 2026-11-21T15:00:00Z\n    status: investigating\n    message: Not yet.' }),
  );
  const plan = async (now: string) => {
    const result = await runNotify(root, { dryRun: true, backfill: 1000, env: {}, now: () => new Date(now), log: () => undefined });
    if (result.kind !== 'dry-run') throw new Error(JSON.stringify(result));
    return result.plan;
  };
  expect(await plan('2026-11-21T12:00:00Z')).not.toContain('Announced for later');
  expect(await plan('2026-11-21T15:00:00Z')).toContain('Investigating: Announced for later');
});

test('the delivery journal of a relative stateFile lives under STATUS_NOTIFY_STATE_DIR when set, so a new export per commit does not start it empty', () => {
  expect(notifyStatePath('/srv/jabber-status/site/live', 'notify-state/delivered.jsonl', { STATUS_NOTIFY_STATE_DIR: '/var/lib/jabber-status' })).toBe(
    '/var/lib/jabber-status/notify-state/delivered.jsonl',
  );
  expect(notifyStatePath('/srv/jabber-status/site/live', 'notify-state/delivered.jsonl', {})).toBe('/srv/jabber-status/site/live/notify-state/delivered.jsonl');
  // An absolute stateFile is used as written.
  expect(notifyStatePath('/srv/jabber-status/site/live', '/srv/state/delivered.jsonl', { STATUS_NOTIFY_STATE_DIR: '/var/lib/jabber-status' })).toBe(
    '/srv/state/delivered.jsonl',
  );
});
