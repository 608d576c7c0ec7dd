/**
 * `npm run bench:notify`: a 1,000-entry backfill through every channel at
 * once, against a real Prosody (PubSub + MUC), an SMTP server and a webhook receiver on loopback. Prints each
 * channel's time and messages per second, as `npm run notify` reports them.
 * The status contact is left out: its cost is one message per subscriber
 * per entry, so a figure without a realistic roster would mean nothing.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startNotifyProsody } from '../tests/helpers/prosody-notify-rig.ts';
import { startSmtp } from '../tests/helpers/smtp-rig.ts';
import { startWebhookReceiver } from '../tests/helpers/webhook-rig.ts';

const ENTRIES = 1000;
const SECRET = 'whsec_' + Buffer.from('bench-secret-0123456789abcdef').toString('base64');
const prosody = await startNotifyProsody();
const smtp = await startSmtp();
const hook = await startWebhookReceiver(SECRET);
const root = mkdtempSync(join(tmpdir(), 'notify-bench-'));
try {
  cpSync('content/site.yaml', join(root, 'content/site.yaml'));
  mkdirSync(join(root, 'content/updates'), { recursive: true });
  // 1,000 daily updates ending on 2026-11-21: one feed entry each.
  const end = Date.parse('2026-11-21T00:00:00Z');
  for (let i = 0; i < ENTRIES; i++) {
    const day = new Date(end - i * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(join(root, `content/updates/${day}.md`), `---\nauthor: Bench\nsummary: Day ${ENTRIES - i} of the backfill benchmark.\n---\nAll systems normal on ${day}; queues empty, ${i % 7} restarts.\n`);
  }
  const site = parse(readFileSync(join(root, 'content/site.yaml'), 'utf8')) as Record<string, unknown>;
  delete (site as { probes?: unknown }).probes;
  site.notify = {
    stateFile: 'state/delivered.jsonl',
    retry: { attempts: 3, firstDelaySeconds: 0.2, maxDelaySeconds: 1 },
    xmpp: { jid: 'status@xmpp.test', passwordEnv: 'NOTIFY_XMPP_PASSWORD', server: `127.0.0.1:${prosody.port}`, pubsub: { service: prosody.pubsub, node: 'status', maxItems: 1000 }, room: { jid: 'status@conference.xmpp.test', nick: 'status' } },
    email: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'status@xmpp.test', to: 'list@lists.xmpp.test', headers: { 'List-Id': '<list.lists.xmpp.test>' } },
    webhooks: [{ name: 'bench', url: hook.url, secretEnv: 'NOTIFY_WEBHOOK_SECRET' }],
  };
  writeFileSync(join(root, 'content/site.yaml'), stringify(site));
  const env = { ...process.env, NOTIFY_XMPP_PASSWORD: prosody.password, NOTIFY_WEBHOOK_SECRET: SECRET, NODE_EXTRA_CA_CERTS: prosody.caFile, SOURCE_DATE_EPOCH: String(end / 1000 + 3600) };
  const started = performance.now();
  const child = spawn(process.execPath, ['scripts/notify.ts', '--root', root, '--backfill', String(ENTRIES)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const seconds = (performance.now() - started) / 1000;
  console.log(out.trim());
  console.log(`\nexit ${code}; whole run ${seconds.toFixed(1)} s for ${ENTRIES} entries on 4 channels (PubSub, room, mail, webhook); SMTP received ${smtp.mails.length}, webhook ${hook.deliveries.length} (${hook.deliveries.filter((d) => d.verified).length} verified)`);
} finally {
  await Promise.all([prosody.stop(), smtp.stop(), hook.stop()]);
  rmSync(root, { recursive: true, force: true });
}
