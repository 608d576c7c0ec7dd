/**
 * Real servers for the tests (Prosody, ejabberd, dnsmasq, openssl, Chromium) come from
 * Debian. When one is missing the tests install it if they run as root (as on
 * CI); otherwise they fail with the exact command to run. Never a silent skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';

export interface Tool {
  /** Executable to look for, e.g. `/usr/bin/prosody`. */
  path: string;
  /** Debian package that provides it, e.g. `prosody`. */
  pkg: string;
}

export const TOOLS = {
  prosody: { path: '/usr/bin/prosody', pkg: 'prosody' },
  prosodyctl: { path: '/usr/bin/prosodyctl', pkg: 'prosody' },
  // SQLite storage for PubSub in deploy/xmpp/prosody-status.cfg.lua (issue 23).
  luaDbiSqlite: { path: '/usr/lib/x86_64-linux-gnu/lua/5.4/dbd/sqlite3.so', pkg: 'lua-dbi-sqlite3' },
  // The second XMPP server every login and delivery test runs against (issues 21, 23).
  ejabberdctl: { path: '/usr/sbin/ejabberdctl', pkg: 'ejabberd' },
  // An independent client (slixmpp) beside the probe and the notifier: what it can do, ours must.
  slixmpp: { path: '/usr/lib/python3/dist-packages/slixmpp/__init__.py', pkg: 'python3-slixmpp' },
  dnsmasq: { path: '/usr/sbin/dnsmasq', pkg: 'dnsmasq-base' },
  openssl: { path: '/usr/bin/openssl', pkg: 'openssl' },
  chromium: { path: '/usr/bin/chromium', pkg: 'chromium' },
  // Debian 12's `nginx` package is the server itself, built with
  // gzip_static (nginx-light and nginx-core are now empty packages that
  // depend on it); brotli_static is a separate dynamic module.
  nginx: { path: '/usr/sbin/nginx', pkg: 'nginx' },
  nginxBrotli: { path: '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so', pkg: 'libnginx-mod-http-brotli-static' },
  // The first certificate through the HTTP bootstrap (deploy/install.sh): a local ACME server and the real client.
  pebble: { path: '/usr/bin/pebble', pkg: 'pebble' },
  certbot: { path: '/usr/bin/certbot', pkg: 'certbot' },
} satisfies Record<string, Tool>;

const isRoot = () => process.getuid?.() === 0;

/** Installs missing tools with apt-get (root only). Called once from the global setup. */
export function installMissing(tools: readonly Tool[]): void {
  const missing = [...new Set(tools.filter((t) => !existsSync(t.path)).map((t) => t.pkg))];
  if (missing.length === 0 || !isRoot()) return;
  // Keep Debian from starting the system Prosody or ejabberd (5222/5269) or nginx (80) during install.
  const policy = '/usr/sbin/policy-rc.d';
  const hadPolicy = existsSync(policy);
  if (!hadPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  } finally {
    if (!hadPolicy) spawnSync('rm', ['-f', policy]);
  }
}

/** Throws, with the install command, unless every tool is present. */
export function requireTools(tools: readonly Tool[]): void {
  const missing = [...new Set(tools.filter((t) => !existsSync(t.path)).map((t) => t.pkg))];
  if (missing.length > 0) {
    throw new Error(`These tests need ${missing.join(', ')}. Install with:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  }
}
