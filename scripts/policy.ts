/**
 * `npm run policy -- <domain> [options]`: an operator's self-test. Probes
 * the domain once, as the directory does, and prints the listing policy's
 * checklist: pass / fail / unknown for each item, with the reason and how
 * to fix it. Uptime is "not measured in a one-off test". When
 * content/services/<domain>.md exists, its declared data is judged too.
 *
 * Exit code 0 when no item fails, 1 when one does, 2 on a usage error.
 * Nothing is written to disk.
 */
import { readFileSync } from 'node:fs';
import { resolverOption, wholeNumberOption } from '../src/lib/xmpp/cli-options.ts';
import { loadContent, loadSiteConfig } from '../src/lib/content/load-content-io.ts';
import { formatProblems } from '../src/lib/content/problems.ts';
import { formatChecklist } from '../src/lib/directory/checklist-text.ts';
import { observationsFromRecords } from '../src/lib/directory/evidence.ts';
import { evaluatePolicy } from '../src/lib/directory/policy.ts';
import { ProbeTargetSchema } from '../src/lib/schemas.ts';
import { formatUtc } from '../src/lib/shared/time.ts';
import { createResolver } from '../src/lib/xmpp/connect-io.ts';
import { runProbe } from '../src/lib/xmpp/run-probe-io.ts';
import { parseCommand, usageErrorFor, valueOr } from '../src/lib/shared/usage-io.ts';

const USAGE = `Usage: npm run policy -- <domain> [options]

Probes <domain> once and prints the jabber.org listing policy's checklist,
item by item, with how to fix what fails. Exits 1 when an item fails.

Options (as for npm run probe):
  --resolver HOST:PORT send every DNS query to this server
  --ca FILE            also trust this CA certificate (PEM); may be repeated
  --timeout MS         deadline for each phase of a check (default: 10000)
  --retry-delay MS     pause before retrying a failed connection (default: 5000)
  --website URL        the website to check (default: the service file's, else https://<domain>/ and http://<domain>/)
  --registration-url URL  a sign-up page, accepted when in-band registration is off
  --web-ports LIST     ports item 4 accepts (default: 80,443; for test rigs on loopback)
  --json               print the checklist as JSON
  --allow-loopback     also connect to 127.0.0.1 and ::1 (test rigs on this
                       machine); other non-public addresses are always refused
  --help               show this text

Environment:
  PROBE_JID, PROBE_PASSWORD  an account on <domain>: service discovery and
                             contact addresses (items 6 and 8) are then probed`;

// Typed here so TypeScript knows the code after a call is not reached.
const usageError: (message: string) => never = usageErrorFor(USAGE);
const { values, positionals } = parseCommand(USAGE, {
  allowPositionals: true,
  options: {
    resolver: { type: 'string' },
    ca: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    'retry-delay': { type: 'string' },
    website: { type: 'string', multiple: true },
    'registration-url': { type: 'string' },
    'web-ports': { type: 'string' },
    json: { type: 'boolean', default: false },
    'allow-loopback': { type: 'boolean', default: false },
  },
});
if (positionals.length !== 1) usageError('Give exactly one domain, e.g. npm run policy -- example.org');
const domain = positionals[0]!.toLowerCase();
const badResolver = resolverOption(values.resolver);
if (badResolver) usageError(badResolver.error);
const timeoutMs = valueOr(wholeNumberOption('timeout', values.timeout, 10_000), usageError);
const retryDelayMs = valueOr(wholeNumberOption('retry-delay', values['retry-delay'], 5000, true), usageError);
const webPorts = values['web-ports']
  ? values['web-ports']
      .split(',')
      .map((p) => (/^\d+$/.test(p) ? Number(p) : usageError(`--web-ports must be port numbers separated by commas, got "${values['web-ports']}"`)))
  : undefined;

const root = process.env.STATUS_CONTENT_ROOT || process.cwd();
const config = loadSiteConfig(root);
if (!config.ok) usageError(formatProblems(config.problems));
// The service file, when the operator has written it already: its declared data is judged too.
const content = loadContent(root);
const declared = content.ok ? content.content.directory?.services.find((s) => s.domain === domain) : undefined;
const target = ProbeTargetSchema.safeParse({
  domain,
  websites: values.website ?? (declared ? [declared.website] : undefined),
  registrationUrl: values['registration-url'] ?? declared?.registration.url,
});
if (!target.success) usageError(`"${domain}" is not a domain name, or --website / --registration-url is not an http(s) address`);

const extraCa: string[] = [];
for (const file of values.ca ?? []) {
  try {
    extraCa.push(readFileSync(file, 'utf8'));
  } catch {
    usageError(`Cannot read the CA file ${file}`);
  }
}

const started = new Date();
const records = await runProbe([target.data], {
  vantage: 'self-test',
  retryDelayMs,
  concurrency: 1,
  account: { jid: process.env.PROBE_JID || undefined, password: process.env.PROBE_PASSWORD || undefined },
  context: {
    now: () => new Date(),
    timeoutMs,
    maxBytes: 256 * 1024,
    extraCa,
    resolver: values.resolver ? createResolver(values.resolver, timeoutMs) : undefined,
    s2sFrom: 'status-probe.invalid',
    random: Math.random,
    // Only this option can let the probe reach loopback; content and
    // configuration cannot (issue 22). Every other non-public address is refused.
    addressRule: { allowLoopback: values['allow-loopback'] },
  },
  // Issue 21: a refused PROBE_JID/PROBE_PASSWORD is the operator's to fix; items 6 and 8 then read "not probed".
  onAlert: (_domain, alert) => console.error(`Warning: ${alert}`),
});
const checklist = evaluatePolicy({
  domain,
  ...(declared ? { declared } : {}),
  observations: observationsFromRecords(records, domain),
  uptime: { kind: 'one-off' },
  quorum: config.site.probes.quorum,
  ...(webPorts ? { webPorts } : {}),
});
if (values.json) console.log(JSON.stringify({ domain, at: started.toISOString(), checklist }, null, 2));
else
  console.log(formatChecklist(`Policy checklist for ${domain} (one-off test, ${formatUtc(started)}${declared ? `, with ${declared.file}` : ''})`, checklist));
process.exitCode = checklist.some((r) => r.verdict === 'fail') ? 1 : 0;
