/**
 * `npm run notify:contact [-- --root DIR]`: the status contact. Stays logged
 * in as the notify account so everyone who added it sees the service's
 * status as its presence; approves every subscription request. Runs until
 * SIGTERM or SIGINT; SIGHUP recomputes the status at once (the publish loop
 * may send it after a publish; otherwise it refreshes every
 * `notify.xmpp.contact.refreshSeconds`). Exit code 2 on a configuration error.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatProblems } from '../src/lib/content/problems.ts';
import { runContactService } from '../src/lib/notify/run-notify-io.ts';
import { resolveBuildTime } from '../src/lib/shared/time.ts';

const { values } = parseArgs({ options: { root: { type: 'string', default: process.env.STATUS_CONTENT_ROOT || '.' } } });
const log = (line: string) => console.log(`notify:contact: ${line}`);
let service: Awaited<ReturnType<typeof runContactService>>;
try {
  service = await runContactService(resolve(values.root), { env: process.env, now: () => resolveBuildTime(process.env), log });
} catch (err) {
  console.error(`notify:contact: ${(err as Error).message}`);
  process.exit(1);
}
if ('problems' in service) {
  console.error(formatProblems(service.problems));
  process.exit(2);
}
const running = service;
log('online');
process.on('SIGHUP', () => void running.refresh().catch((err: unknown) => log(`refresh failed: ${(err as Error).message}`)));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    void running.stop().finally(() => process.exit(0));
  });
}
