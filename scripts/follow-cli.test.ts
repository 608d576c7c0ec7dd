import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/follow.ts', ...args], { encoding: 'utf8', env: { ...process.env, npm_lifecycle_event: 'publish:follow' } });

test.each([
  // arguments → the first line of the error
  [[], 'the publish options go after "--" and need --to DIR, e.g. npm run publish:follow -- --poll 3 -- --to /srv/jabber-status/site'],
  [['--poll', '3'], 'the publish options go after "--" and need --to DIR, e.g. npm run publish:follow -- --poll 3 -- --to /srv/jabber-status/site'],
  [['--poll', 'often', '--', '--to', '/tmp/site'], '--poll must be a number of seconds, at least 0.5, got "often"'],
  [['--every', '1', '--', '--to', '/tmp/site'], '--every must be a number of seconds, at least 5, got "1"'],
  [['--after', ' ', '--', '--to', '/tmp/site'], '--after needs a command, e.g. --after "npm run --silent alert -- --site /srv/jabber-status/site"'],
])('exits 2 with a clear message for %j', (args, message) => {
  const run = cli(...args);
  expect(run.status).toBe(2);
  expect(run.stderr.split('\n')[0]).toBe(message);
  expect(run.stderr).toContain('Usage: npm run publish:follow');
});
