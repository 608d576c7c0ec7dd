/**
 * `npm run publish:follow -- [--poll S] [--every S] [--after "COMMAND"]… -- PUBLISH OPTIONS`:
 * the build host's watcher (issue 28). Polls every monitoring source of
 * content/site.yaml every few seconds with conditional requests and runs
 * `npm run publish -- PUBLISH OPTIONS` as soon as a summary changed, never
 * two at once; see src/lib/release/follow-io.ts and docs/operators.md,
 * "Follow mode". Runs until stopped (SIGTERM or SIGINT), then waits for a
 * running publish to end. Exit code 2 on a usage error.
 */
import { follow } from '../src/lib/release/follow-io.ts';
import { parseCommand, usageErrorFor } from '../src/lib/shared/usage-io.ts';

const USAGE = `Usage: npm run publish:follow -- [--poll S] [--every S] [--after "COMMAND"]... -- PUBLISH OPTIONS

Polls every monitoring source in content/site.yaml (of the folder it runs in,
or STATUS_CONTENT_ROOT) every --poll seconds with conditional requests, and
runs "npm run --silent publish -- PUBLISH OPTIONS" as soon as one has a new
summary. Never two publishes at once: changes that arrive during one cause
exactly one more. Runs until stopped.

Options:
  --poll S        seconds between polls of every source (default 3)
  --every S       publish at least every S seconds even when no summary
                  changed, for the pages that change with the clock (default 60)
  --retry S       pause before trying a failed publish once more (default 5)
  --timeout S     timeout of one poll (default 5)
  --after CMD     a command run after each publish, e.g.
                  --after "npm run --silent alert -- --site /srv/jabber-status/site";
                  split at spaces (no shell, no quotes inside); repeatable
  --help          show this text

Example (deploy/systemd/jabber-status-follow.service):
  npm run publish:follow -- --poll 3 -- --to /srv/jabber-status/site --repo /srv/jabber-status/app --branch main`;

const usageError: (message: string) => never = usageErrorFor(USAGE);
const { values, positionals } = parseCommand(USAGE, {
  allowPositionals: true,
  options: {
    poll: { type: 'string', default: '3' },
    every: { type: 'string', default: '60' },
    retry: { type: 'string', default: '5' },
    timeout: { type: 'string', default: '5' },
    after: { type: 'string', multiple: true, default: [] },
  },
});

/** A number of seconds from an option, as milliseconds, or its usage error. */
function seconds(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || n < min) usageError(`--${name} must be a number of seconds, at least ${min}, got "${text}"`);
  return n * 1000;
}
const pollMs = seconds('poll', values.poll, 0.5);
const everyMs = seconds('every', values.every, 5);
const retryMs = seconds('retry', values.retry, 0);
const timeoutMs = seconds('timeout', values.timeout, 1);
if (positionals.length === 0 || !positionals.includes('--to'))
  usageError('the publish options go after "--" and need --to DIR, e.g. npm run publish:follow -- --poll 3 -- --to /srv/jabber-status/site');
const after = values.after.map((cmd) => cmd.trim().split(/\s+/).filter(Boolean));
if (after.some((a) => a.length === 0)) usageError('--after needs a command, e.g. --after "npm run --silent alert -- --site /srv/jabber-status/site"');

const controller = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`Stopping (${signal}): no more polls; waiting for a running publish to end.`);
    controller.abort();
  });
}
await follow({
  contentRoot: process.env.STATUS_CONTENT_ROOT || process.cwd(),
  pollMs,
  everyMs,
  retryMs,
  repeatMs: 5 * 60_000,
  timeoutMs,
  publish: ['npm', 'run', '--silent', 'publish', '--', ...positionals],
  after,
  cwd: process.cwd(),
  env: process.env,
  log: (line) => console.log(line),
  signal: controller.signal,
});
console.log('Stopped.');
