/**
 * `npm run notify [-- --backfill N] [--dry-run] [--root DIR]`: sends every
 * feed entry that a channel has not delivered yet (XMPP PubSub, the status
 * contact's subscribers, a chat room, a mailing list, webhooks), then
 * exits. Run after each publish; see the README, "Notifications".
 *
 * Exit code 0 when every channel is up to date, 1 when a channel gave up
 * (the rest still ran; the next run retries it), 2 on a usage or
 * configuration error.
 *
 * Test hook (documented in the README): NOTIFY_TEST_STOP_AFTER_SEND=<channel>
 * stops this process with SIGSTOP right after the first confirmed send on
 * that channel and before it is recorded, so a test can kill it there.
 */
import { resolve } from 'node:path';
import { formatProblems } from '../src/lib/content/problems.ts';
import { formatReports, runNotify } from '../src/lib/notify/run-notify-io.ts';
import { resolveBuildTime } from '../src/lib/shared/time.ts';
import { parseCommand, usageErrorFor } from '../src/lib/shared/usage-io.ts';

const USAGE = `Usage: npm run notify -- [options]

Sends each new incident update, maintenance change and daily update to the
channels in the "notify" block of content/site.yaml, once per channel.

Options:
  --backfill N   on a channel's first run, also send the newest N entries
                 (default 0: existing history is marked as delivered)
  --dry-run      print what would be sent where; send and record nothing
  --root DIR     project folder (default: the current one)
  --help         show this text

Environment: the variables the "notify" block names for passwords and
webhook secrets; SOURCE_DATE_EPOCH fixes "now" for the status shown.`;

// Typed here so TypeScript knows the code after a call is not reached.
const usageError: (message: string) => never = usageErrorFor(USAGE);
const { values } = parseCommand(USAGE, {
  options: {
    backfill: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    root: { type: 'string', default: process.env.STATUS_CONTENT_ROOT || '.' },
  },
});
if (values.backfill !== undefined && !/^\d+$/.test(values.backfill)) usageError(`--backfill must be a whole number, got "${values.backfill}"`);

const stopAfter = process.env.NOTIFY_TEST_STOP_AFTER_SEND;
const result = await runNotify(resolve(values.root), {
  ...(values.backfill !== undefined ? { backfill: Number(values.backfill) } : {}),
  dryRun: values['dry-run'],
  env: process.env,
  now: () => resolveBuildTime(process.env),
  log: (line) => console.error(`notify: ${line}`),
  ...(stopAfter
    ? {
        afterSend: (channel: string, entry: { id: string }) => {
          if (channel !== stopAfter) return;
          console.error(`notify: test hook: stopped after sending ${entry.id} on ${channel}, before recording it`);
          process.kill(process.pid, 'SIGSTOP');
        },
      }
    : {}),
});

if (result.kind === 'problems') {
  console.error(formatProblems(result.problems));
  process.exitCode = 2;
} else if (result.kind === 'dry-run') {
  console.log(`Dry run: nothing is sent or recorded.\n${result.plan}`);
} else {
  console.log(formatReports(result.reports));
  const failed = result.reports.filter((r) => r.failure).length;
  console.log(`${result.entries} entries, ${result.reports.length} channels, ${failed} failed.`);
  if (failed) process.exitCode = 1;
}
