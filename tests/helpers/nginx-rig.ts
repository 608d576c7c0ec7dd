/**
 * Debian's nginx on loopback, run as this process's child with a temporary
 * prefix (no system service, no port 80), serving a publish target with the
 * configuration shipped in deploy/nginx/. The snippets are copied as they
 * are; in the server blocks only ports, the certificate paths, the
 * challenge folder and the root are replaced, and every replacement must
 * match, so the test breaks when the shipped file changes shape.
 * IPv6 `listen` lines are dropped: the test machine may have no IPv6.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port.ts';
import { requireTools, TOOLS } from './system-tools.ts';
import { stopChild } from './stop-child.ts';
import { selfSignedCert } from './self-signed.ts';

const DEPLOY = join(import.meta.dirname, '..', '..', 'deploy', 'nginx');

export interface NginxRig {
  prefix: string;
  /** Port of the HTTPS server block (the site). */
  httpsPort: number;
  /** Port of the plain-HTTP server block (redirects). */
  httpPort: number;
  /** PEM of the self-signed certificate, to trust in requests. */
  ca: string;
  /** The configuration nginx runs, for error messages. */
  config: string;
  stop(): Promise<void>;
}

/** Replaces `pattern` in `text`, insisting that it matched. */
function replaceOnce(text: string, pattern: RegExp, by: string): string {
  if (!pattern.test(text)) throw new Error(`deploy/nginx/status.jabber.org.conf no longer contains ${pattern}; update tests/helpers/nginx-rig.ts`);
  return text.replace(pattern, by);
}

/**
 * The shipped server blocks with test ports and paths.
 * @param root the folder served, e.g. `<publish target>/current`
 */
export function localServerBlocks(options: { root: string; httpPort: number; httpsPort: number; cert: string; key: string; acme: string }): string {
  let conf = readFileSync(join(DEPLOY, 'status.jabber.org.conf'), 'utf8');
  conf = replaceOnce(conf, /^\s*listen \[::\]:80;\n/m, '');
  conf = replaceOnce(conf, /^\s*listen \[::\]:443 ssl http2;\n/m, '');
  conf = replaceOnce(conf, /listen 80;/, `listen 127.0.0.1:${options.httpPort};`);
  conf = replaceOnce(conf, /listen 443 ssl http2;/, `listen 127.0.0.1:${options.httpsPort} ssl http2;`);
  conf = replaceOnce(conf, /ssl_certificate \/etc\/letsencrypt\/live\/status\.jabber\.org\/fullchain\.pem;/, `ssl_certificate ${options.cert};`);
  conf = replaceOnce(conf, /ssl_certificate_key \/etc\/letsencrypt\/live\/status\.jabber\.org\/privkey\.pem;/, `ssl_certificate_key ${options.key};`);
  conf = replaceOnce(conf, /root \/var\/www\/letsencrypt;/, `root ${options.acme};`);
  conf = replaceOnce(conf, /root \/srv\/jabber-status\/site\/current;/, `root ${options.root};`);
  conf = replaceOnce(conf, /alias \/srv\/jabber-status\/site\/publish-status\.json;/, `alias ${join(options.root, '..', 'publish-status.json')};`);
  return conf;
}

/**
 * Starts nginx serving `root` with the shipped configuration.
 * @param options.workers worker processes (1 for tests; the benchmark uses the core count)
 */
export async function startNginx(options: { root: string; workers?: number }): Promise<NginxRig> {
  requireTools([TOOLS.nginx, TOOLS.nginxBrotli, TOOLS.openssl]);
  const prefix = mkdtempSync(join(tmpdir(), 'nginx-rig-'));
  for (const d of ['logs', 'tmp', 'acme', 'snippets']) mkdirSync(join(prefix, d));
  cpSync(join(DEPLOY, 'snippets', 'jabber-status'), join(prefix, 'snippets', 'jabber-status'), { recursive: true });
  const cert = join(prefix, 'cert.pem');
  const key = join(prefix, 'key.pem');
  selfSignedCert(key, cert, '/CN=status.jabber.org', 'DNS:status.jabber.org,IP:127.0.0.1');
  const httpPort = await freePort();
  const httpsPort = await freePort();
  writeFileSync(join(prefix, 'status.jabber.org.conf'), localServerBlocks({ root: options.root, httpPort, httpsPort, cert, key, acme: join(prefix, 'acme') }));
  // The main file stands in for Debian's /etc/nginx/nginx.conf: the brotli
  // module (modules-enabled on Debian), mime-less http block, temp paths in the prefix.
  const config = `# Written by tests/helpers/nginx-rig.ts
load_module ${TOOLS.nginxBrotli.path};
daemon off;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'logs', 'error.log')} warn;
worker_processes ${options.workers ?? 1};
${process.getuid?.() === 0 ? 'user root;' : ''}
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    client_body_temp_path ${join(prefix, 'tmp', 'body')};
    proxy_temp_path ${join(prefix, 'tmp', 'proxy')};
    fastcgi_temp_path ${join(prefix, 'tmp', 'fastcgi')};
    uwsgi_temp_path ${join(prefix, 'tmp', 'uwsgi')};
    scgi_temp_path ${join(prefix, 'tmp', 'scgi')};
    include status.jabber.org.conf;
}
`;
  const confFile = join(prefix, 'nginx.conf');
  writeFileSync(confFile, config);
  // Relative includes (snippets/…) resolve against the main file's folder, as in /etc/nginx.
  const args = ['-p', prefix, '-c', confFile, '-e', join(prefix, 'logs', 'error.log')];
  execFileSync(TOOLS.nginx.path, [...args, '-t', '-q'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const child: ChildProcess = spawn(TOOLS.nginx.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  try {
    await Promise.all([waitForPort(httpPort), waitForPort(httpsPort)]);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`nginx did not start: ${(err as Error).message}\n${log}\n${readFileSync(join(prefix, 'logs', 'error.log'), 'utf8')}`);
  }
  return {
    prefix,
    httpsPort,
    httpPort,
    ca: readFileSync(cert, 'utf8'),
    config,
    async stop() {
      // SIGQUIT: graceful shutdown (finishes requests in flight).
      await stopChild(child, 'SIGQUIT');
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as sent, never decompressed. */
  body: Buffer;
}

/** One request over HTTPS (or plain HTTP), returning the body exactly as sent. */
export function fetchRaw(
  rig: NginxRig,
  path: string,
  options: { headers?: Record<string, string>; method?: string; plain?: boolean } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const common = { host: '127.0.0.1', path, method: options.method ?? 'GET', headers: options.headers ?? {}, timeout: 10_000 };
    const done = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    };
    const req = options.plain
      ? httpRequest({ ...common, port: rig.httpPort }, done)
      : request({ ...common, port: rig.httpsPort, ca: rig.ca, servername: 'status.jabber.org', agent: false }, done);
    req.on('timeout', () => req.destroy(new Error(`timed out: ${path}`)));
    req.on('error', reject);
    req.end();
  });
}
