/**
 * `npm run probe -- [domain...] [options]`: checks XMPP and web services the
 * way clients and federating servers see them, and appends one JSON record
 * per check per target to DIR/<vantage>/<YYYY-MM-DD>.jsonl. Safe to run from
 * cron on several hosts at once; see the README, "Probing".
 *
 * Exit code 0 when every check ran, whatever the services' state; 2 on a
 * usage or configuration error; 1 when the records could not be written;
 * 3 when a server refused the probe account (login-failure.ts): the records
 * are written, and the operator must fix PROBE_JID / PROBE_PASSWORD.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { resolverOption, wholeNumberOption } from '../src/lib/xmpp/cli-options.ts';
import { loadContent, loadSiteConfig, SERVICES_FOLDER } from '../src/lib/content/load-content-io.ts';
import { formatProblems } from '../src/lib/content/problems.ts';
import { ProbeTargetSchema, type ProbeRecord, type ProbeTarget } from '../src/lib/schemas.ts';
import { createResolver } from '../src/lib/xmpp/connect-io.ts';
import { appendRecords } from '../src/lib/monitoring/probe-log-writer-io.ts';
import { accountWarnings, type AccountSettings } from '../src/lib/xmpp/account.ts';
import { formatProbeTable } from '../src/lib/xmpp/probe-table.ts';
import { federationDomains } from '../src/lib/monitoring/federation.ts';
import type { Directory } from '../src/lib/content/content.ts';
import { runProbe } from '../src/lib/xmpp/run-probe-io.ts';
import { parseCommand, usageErrorFor, valueOr } from '../src/lib/shared/usage-io.ts';

const USAGE = `Usage: npm run probe -- [domain...] [--services] [options]

Checks each domain (or the targets in content/site.yaml when none is given)
and appends the results to DIR/<vantage>/<YYYY-MM-DD>.jsonl.

Options:
  --vantage NAME       name of this probe host (default: the host name)
  --out DIR            where records go (default: probe-data)
  --resolver HOST:PORT send every DNS query to this server
  --ca FILE            also trust this CA certificate (PEM); may be repeated
  --timeout MS         deadline for each phase of a check (default: 10000)
  --concurrency N      domains probed at once (default: 20)
  --retry-delay MS     pause before retrying a failed connection (default: 5000)
  --services           probe every service in the directory (content/services/,
                       not withdrawn), with its declared website and sign-up page
  --json               print records as JSON lines instead of a table
  --allow-loopback     also connect to 127.0.0.1 and ::1 (test rigs on this
                       machine); every other private, link-local or otherwise
                       non-public address is always refused
  --help               show this text

Environment:
  PROBE_JID, PROBE_PASSWORD  an account for the logged-in checks
                             (disco, contact, version, ping, and federation:
                             each server of probes.federation in content/site.yaml
                             and each directory service, pinged one by one);
                             never written anywhere`;

// Typed here so TypeScript knows the code after a call is not reached.
const usageError: (message: string) => never = usageErrorFor(USAGE);
const { values, positionals } = parseCommand(USAGE, {
  allowPositionals: true,
  options: {
    vantage: { type: 'string' },
    out: { type: 'string', default: 'probe-data' },
    resolver: { type: 'string' },
    ca: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    concurrency: { type: 'string' },
    'retry-delay': { type: 'string' },
    json: { type: 'boolean', default: false },
    'allow-loopback': { type: 'boolean', default: false },
    services: { type: 'boolean', default: false },
  },
});

const vantage = (values.vantage ?? hostname())
  .toLowerCase()
  .replace(/[^a-z0-9-]+/g, '-')
  .replace(/^-+|-+$/g, '')
  .slice(0, 63);
if (!/^[a-z0-9][a-z0-9-]*$/.test(vantage)) usageError(`--vantage must contain letters or digits, got "${values.vantage ?? hostname()}"`);
const badResolver = resolverOption(values.resolver);
if (badResolver) usageError(badResolver.error);
const timeoutMs = valueOr(wholeNumberOption('timeout', values.timeout, 10_000), usageError);
const concurrency = valueOr(wholeNumberOption('concurrency', values.concurrency, 20), usageError);
const retryDelayMs = valueOr(wholeNumberOption('retry-delay', values['retry-delay'], 5000, true), usageError);

// Targets and settings from the site config; command-line domains pick up
// their settings from there when listed, else use the defaults.
const root = process.env.STATUS_CONTENT_ROOT || process.cwd();
const config = loadSiteConfig(root);
if (!config.ok) usageError(formatProblems(config.problems));
const configured = config.site.probes.targets;
const targets: ProbeTarget[] = positionals.length
  ? positionals.map((domain) => {
      const known = configured.find((t) => t.domain === domain.toLowerCase());
      const parsed = ProbeTargetSchema.safeParse(known ?? { domain: domain.toLowerCase() });
      if (!parsed.success) usageError(`"${domain}" is not a domain name`);
      return parsed.data;
    })
  : [...configured];
// --services: every service of the directory (issue 17), probed like the
// site's own targets; withdrawn ones are left out from their withdrawal day.
if (values.services) {
  if (positionals.length) usageError('Give domains or --services, not both');
  const content = loadContent(root);
  if (!content.ok) usageError(formatProblems(content.problems));
  const today = new Date().toISOString().slice(0, 10);
  targets.length = 0;
  for (const s of content.content.directory?.services ?? []) {
    if (s.withdrawn && s.withdrawn <= today) continue;
    targets.push({ domain: s.domain, websites: [s.website], ...(s.registration.url ? { registrationUrl: s.registration.url } : {}) });
  }
  if (targets.length === 0) usageError('--services: the directory (content/services/) has no service to probe');
}
if (targets.length === 0) usageError('No domain given and no probes.targets in content/site.yaml');

// Federation, server by server (issue 17): the configured large servers and
// every directory service, pinged by the logged-in check of the account's domain.
// Not with --services: the directory's own probe runs have no account.
let directory: Directory | undefined;
if (!values.services && (config.site.probes.federation.servers.length || existsSync(join(root, SERVICES_FOLDER)))) {
  const content = loadContent(root);
  if (content.ok) directory = content.content.directory;
  else console.error(`Warning: the directory could not be read, so its services are not pinged over federation:\n${formatProblems(content.problems)}`);
}
const federation = values.services ? [] : federationDomains(config.site.probes.federation.servers, directory, new Date().toISOString().slice(0, 10), '');

const extraCa: string[] = [];
for (const file of values.ca ?? []) {
  try {
    extraCa.push(readFileSync(file, 'utf8'));
  } catch {
    usageError(`Cannot read the CA file ${file}`);
  }
}

const account: AccountSettings = { jid: process.env.PROBE_JID || undefined, password: process.env.PROBE_PASSWORD || undefined };
if (account.jid && !/^[^@/\s]+@[^@/\s]+$/.test(account.jid)) usageError('PROBE_JID must look like user@example.org');
// A half-set account is a mistake worth saying out loud; the records also say "not run".
for (const warning of accountWarnings(
  account,
  targets.map((t) => t.domain),
))
  console.error(`Warning: ${warning}`);

const outDir = resolve(values.out);
const interactive = process.stderr.isTTY && !values.json;
let done = 0;
let writeFailed = false;
let accountRefused = false;
const all: ProbeRecord[] = [];

await runProbe(targets, {
  vantage,
  retryDelayMs,
  concurrency,
  account,
  remoteDomain: config.site.probes.remoteDomain,
  federation,
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
  // Issue 21: a refused probe account is the probe's problem, not an outage: say it to the operator.
  onAlert: (domain, alert) => {
    accountRefused = true;
    console.error(`Alert (${domain}): ${alert}`);
  },
  onDomain: (domain, records) => {
    // Written as each domain finishes, so an interrupted run keeps what it did.
    try {
      appendRecords(outDir, records);
    } catch (err) {
      writeFailed = true;
      console.error(`Could not write records for ${domain} to ${outDir}: ${(err as Error).message}`);
    }
    all.push(...records); // bounded: the records of one domain (one per check)
    if (values.json) for (const r of records) process.stdout.write(`${JSON.stringify(r)}\n`);
    if (interactive) process.stderr.write(`\r${++done}/${targets.length} domains checked`);
  },
});

if (interactive) process.stderr.write('\n');
if (!values.json) console.log(formatProbeTable(all));
if (writeFailed) process.exitCode = 1;
else if (accountRefused) process.exitCode = 3;
