/**
 * The first certificate, as the README says to get it (issue 25): after
 * `deploy/install.sh --role web`, nginx runs the HTTP bootstrap and serves
 * the site and the ACME webroot; `certbot certonly --webroot` gets a
 * certificate from a local ACME server (Debian's pebble), which validates
 * through that bootstrap; running the script again switches nginx to HTTPS,
 * which then serves the site with the new certificate. As root (the script
 * creates a user); skipped, saying so, otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDnsmasq, type DnsRig } from './helpers/dnsmasq-rig.ts';
import { freePort, waitForPort } from './helpers/free-port.ts';
import { stopChild } from './helpers/stop-child.ts';
import { requireTools, TOOLS } from './helpers/system-tools.ts';
import { selfSignedCert } from './helpers/self-signed.ts';

const isRoot = process.getuid?.() === 0;
const prefix = mkdtempSync(join(tmpdir(), 'acme-prefix-'));
chmodSync(prefix, 0o755);
const user = `jsa${process.pid % 100000}`;
const domain = 'status.acme.test';
let dns: DnsRig;
let pebble: ChildProcess;
let nginx: ChildProcess | undefined;
let httpPort = 0;
let httpsPort = 0;
let pebblePort = 0;

function install(): { code: number | null; output: string } {
  const r = spawnSync('sh', ['deploy/install.sh', '--role', 'web', '--prefix', prefix, '--user', user, '--domain', domain], { encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** (Re)starts nginx over what install.sh put in sites-enabled, on test ports instead of 80 and 443. */
async function startNginx(): Promise<void> {
  if (nginx) await stopChild(nginx, 'SIGQUIT');
  const site = join(prefix, `etc/nginx/sites-available/${domain}`);
  const conf = readFileSync(site, 'utf8')
    .replace(/^\s*listen \[::\]:\d+.*\n/gm, '')
    .replace(/listen 80;/g, `listen 127.0.0.1:${httpPort};`)
    .replace(/listen 443 ssl http2;/g, `listen 127.0.0.1:${httpsPort} ssl http2;`);
  writeFileSync(site, conf);
  mkdirSync(join(prefix, 'etc/nginx/logs'), { recursive: true });
  const main = join(prefix, 'etc/nginx/nginx.conf');
  writeFileSync(
    main,
    `load_module ${TOOLS.nginxBrotli.path};\ndaemon off;\nuser root;\npid ${join(prefix, 'nginx.pid')};\nerror_log ${join(prefix, 'etc/nginx/logs/error.log')};\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${join(prefix, 'tmp-body')};\n  include sites-enabled/*;\n}\n`,
  );
  nginx = spawn(TOOLS.nginx.path, ['-p', join(prefix, 'etc/nginx'), '-c', main, '-e', join(prefix, 'etc/nginx/logs/error.log')], { stdio: 'ignore' });
  await waitForPort(httpPort);
}

function fetchHttp(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port: httpPort, path, headers: { host: domain } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  if (!isRoot) return;
  requireTools([TOOLS.nginx, TOOLS.nginxBrotli, TOOLS.pebble, TOOLS.certbot, TOOLS.dnsmasq, TOOLS.openssl]);
  [httpPort, httpsPort, pebblePort] = [await freePort(), await freePort(), await freePort()];
  const managementPort = await freePort();
  dns = await startDnsmasq({ srv: [], hosts: [domain] });
  // Pebble's own HTTPS certificate, which certbot is told to trust.
  selfSignedCert(join(prefix, 'pebble.key'), join(prefix, 'pebble.crt'), '/CN=127.0.0.1', 'IP:127.0.0.1');
  writeFileSync(
    join(prefix, 'pebble.json'),
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${pebblePort}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: join(prefix, 'pebble.crt'),
        privateKey: join(prefix, 'pebble.key'),
        httpPort,
        tlsPort: httpsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  pebble = spawn(TOOLS.pebble.path, ['-config', join(prefix, 'pebble.json'), '-dnsserver', dns.address], {
    stdio: 'ignore',
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
  });
  await waitForPort(pebblePort);
}, 120_000);

afterAll(async () => {
  if (!isRoot) return;
  if (nginx) await stopChild(nginx, 'SIGQUIT');
  if (pebble) await stopChild(pebble);
  await dns?.stop();
  spawnSync('userdel', [user]);
  spawnSync('groupdel', [user]);
  rmSync(prefix, { recursive: true, force: true });
});

describe.skipIf(!isRoot)('from no certificate to HTTPS', () => {
  test('the install script starts nginx on the HTTP bootstrap, serving the site and the ACME webroot', async () => {
    const result = install();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`certbot certonly --webroot -w /var/www/letsencrypt -d ${domain}`);
    // A published release (what npm run publish leaves).
    mkdirSync(join(prefix, 'srv/jabber-status/site/releases/r1'), { recursive: true });
    writeFileSync(join(prefix, 'srv/jabber-status/site/releases/r1/index.html'), '<!doctype html><title>status</title><p>All systems operational</p>\n');
    symlinkSync('releases/r1', join(prefix, 'srv/jabber-status/site/current'));
    await startNginx();
    const home = await fetchHttp('/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('All systems operational');
  }, 60_000);

  test('certbot --webroot gets the certificate from pebble through the bootstrap', () => {
    const r = spawnSync(
      TOOLS.certbot.path,
      [
        'certonly',
        '--webroot',
        '-w',
        join(prefix, 'var/www/letsencrypt'),
        '-d',
        domain,
        '--server',
        `https://127.0.0.1:${pebblePort}/dir`,
        '--config-dir',
        join(prefix, 'etc/letsencrypt'),
        '--work-dir',
        join(prefix, 'certbot-work'),
        '--logs-dir',
        join(prefix, 'certbot-logs'),
        '--non-interactive',
        '--agree-tos',
        '--register-unsafely-without-email',
      ],
      { encoding: 'utf8', env: { ...process.env, REQUESTS_CA_BUNDLE: join(prefix, 'pebble.crt') } },
    );
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    expect(readFileSync(join(prefix, `etc/letsencrypt/live/${domain}/fullchain.pem`), 'utf8')).toContain('BEGIN CERTIFICATE');
  }, 120_000);

  test('running the script again switches nginx to HTTPS, which serves the site with that certificate', async () => {
    const result = install();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('status.jabber.org.conf as sites-available');
    await startNginx();
    await waitForPort(httpsPort);
    const { status, body, issuer } = await new Promise<{ status: number; body: string; issuer: string }>((resolve, reject) => {
      const req = httpsRequest(
        { host: '127.0.0.1', port: httpsPort, path: '/', servername: domain, headers: { host: domain }, rejectUnauthorized: false },
        (res) => {
          const cert = (res.socket as TLSSocket).getPeerCertificate();
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, issuer: String(cert.issuer?.CN ?? '') }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    expect(body).toContain('All systems operational');
    expect(issuer).toMatch(/Pebble/i);
    // Plain HTTP now sends readers to HTTPS, and still answers challenges (renewals).
    expect((await fetchHttp('/')).status).toBe(301);
  }, 60_000);
});

test.runIf(!isRoot)('the certificate test needs root (the install script creates a user): skipped', () => {
  expect(isRoot).toBe(false);
});
