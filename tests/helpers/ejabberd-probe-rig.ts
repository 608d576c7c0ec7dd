/**
 * A real ejabberd (Debian's package, started by ejabberd-server.ts) on
 * loopback for the probe tests (issue 21): the same domain names and
 * certificate variants as the Prosody probe rig (prosody-rig.ts), so one
 * verdict matrix (tests/probe-matrix.test.ts) runs against both servers.
 *
 * Every variant is a host of one ejabberd node, configured with ejabberd's
 * own options (no plugins):
 * - `xmpp.test`: the good server (CA-signed, in-band registration open,
 *   XEP-0157 contact addresses in mod_disco, MUC, version, ping);
 * - `selfsigned.test`, `expired.test`, `wrongname.test`: certificate faults;
 * - `closed.test`, `noibr.test`: no mod_register (registration closed in
 *   band; the site names a web sign-up page for `noibr.test`);
 * - `nofed.test`: `s2s_access: none` (federation refused by the server's
 *   own policy) and, in DNS, a `.` target for `_xmpp-server`;
 * - `sha256.test`: SCRAM-SHA-256 only (`auth_scram_hash: sha256`).
 *
 * ejabberd picks a certificate per host from `certfiles` by the names in
 * it; a host without a matching one (wrongname.test) gets the first file,
 * so the wrong-name certificate is listed first on purpose.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeEjabberdDir, startEjabberd, type EjabberdServer } from './ejabberd-server.ts';
import { freePort } from './free-port.ts';
import { makeTestCertificates } from './prosody-rig.ts';

export interface EjabberdProbeRig {
  dir: string;
  caFile: string;
  ports: { c2s: number; directTls: number; s2s: number };
  account: { jid: string; password: string };
  server: EjabberdServer;
  stop(): Promise<void>;
}

/** Hosts with a CA-signed certificate, and its subjectAltName (as prosody-rig.ts). */
const CA_SIGNED: Record<string, string> = {
  'wrongname.test': 'DNS:other.example',
  'xmpp.test':
    'DNS:xmpp.test,DNS:*.xmpp.test,otherName:1.3.6.1.5.5.7.8.5;UTF8:xmpp.test,otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-client.xmpp.test,otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.xmpp.test',
  'closed.test': 'DNS:closed.test',
  'noibr.test': 'DNS:noibr.test',
  'nofed.test': 'DNS:nofed.test',
  'sha256.test': 'DNS:sha256.test',
};

/** Every host the node serves. */
export const EJABBERD_HOSTS = [
  'xmpp.test',
  'selfsigned.test',
  'expired.test',
  'wrongname.test',
  'closed.test',
  'noibr.test',
  'nofed.test',
  'sha256.test',
] as const;

/** Hosts with an account `probe@<host>` (same password) for the logged-in checks. */
export const EJABBERD_ACCOUNT_HOSTS = ['xmpp.test', 'nofed.test', 'sha256.test'] as const;

/** Hosts whose in-band registration is open (mod_register loaded). */
const REGISTRATION_OPEN = ['xmpp.test', 'selfsigned.test', 'expired.test', 'wrongname.test', 'nofed.test', 'sha256.test'];

/** The modules every host loads; `mod_register` is added where registration is open. */
const MODULES = `mod_disco:
  server_info:
    - modules: all
      name: admin-addresses
      urls: ["xmpp:admin@xmpp.test", "mailto:xmpp@xmpp.test"]
    - modules: all
      name: abuse-addresses
      urls: ["mailto:abuse@xmpp.test"]
mod_muc: {host: "conference.@HOST@", access_create: local}
mod_ping: {}
mod_version: {show_os: true}
mod_roster: {}
mod_s2s_dialback: {}`;

const indent = (text: string, spaces: number) =>
  text
    .split('\n')
    .map((l) => ' '.repeat(spaces) + l)
    .join('\n');

function config(dir: string, ports: EjabberdProbeRig['ports']): string {
  const certs = [...Object.keys(CA_SIGNED), 'selfsigned.test', 'expired.test'].flatMap((h) => [`"${dir}/certs/${h}.crt"`, `"${dir}/certs/${h}.key"`]);
  // A host's `modules` in host_config replaces the global list (it is not
  // merged), so each host lists all of its modules.
  const hostConfig = EJABBERD_HOSTS.map((h) => {
    const modules = REGISTRATION_OPEN.includes(h) ? `${MODULES}\nmod_register: {access: register, ip_access: all}` : MODULES;
    const lines = [`  ${h}:`, '    modules:', indent(modules, 6)];
    if (h === 'nofed.test') lines.push('    s2s_access: none');
    if (h === 'sha256.test') lines.push('    auth_scram_hash: sha256', '    disable_sasl_mechanisms: ["PLAIN", "DIGEST-MD5", "X-OAUTH2", "SCRAM-SHA-1"]');
    return lines.join('\n');
  });
  return `# Written by tests/helpers/ejabberd-probe-rig.ts
hosts: [${EJABBERD_HOSTS.join(', ')}]
loglevel: info
certfiles: [${certs.join(', ')}]
listen:
  - {port: ${ports.c2s}, ip: "127.0.0.1", module: ejabberd_c2s, starttls_required: true}
  - {port: ${ports.directTls}, ip: "127.0.0.1", module: ejabberd_c2s, tls: true}
  - {port: ${ports.s2s}, ip: "127.0.0.1", module: ejabberd_s2s_in}
s2s_use_starttls: required
auth_method: internal
auth_password_format: scram
acl:
  local: {user_regexp: ""}
access_rules:
  register: {allow: all}
  local: {allow: local}
host_config:
${hostConfig.join('\n')}
`;
}

/** Starts the node with every variant and registers the probe accounts. */
export async function startEjabberdProbeRig(): Promise<EjabberdProbeRig> {
  const dir = makeEjabberdDir();
  makeTestCertificates(dir, CA_SIGNED);
  const ports = { c2s: await freePort(), directTls: await freePort(), s2s: await freePort() };
  writeFileSync(join(dir, 'ejabberd.yml'), config(dir, ports));
  const server = await startEjabberd(dir, [ports.c2s, ports.directTls, ports.s2s]);
  const account = { jid: 'probe@xmpp.test', password: 'probe-test-password' };
  try {
    for (const h of EJABBERD_ACCOUNT_HOSTS) await server.ctl(['register', 'probe', h, account.password]);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { dir, caFile: join(dir, 'ca.crt'), ports, account, server, stop: () => server.stop() };
}
