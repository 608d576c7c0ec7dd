/**
 * A probe host's web server on loopback: Debian's nginx with the shipped
 * deploy/nginx/probe-summary.conf (issue 28), serving `<root>/summary.json`
 * over HTTPS with a self-signed certificate, and an access log the tests
 * read (to see the conditional requests answered 304). Only the listen
 * lines, the certificate paths and the root are replaced, and each
 * replacement must match, so the test breaks when the shipped file changes
 * shape. Started as this process's child with a temporary prefix.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port.ts';
import { stopChild } from './stop-child.ts';
import { requireTools, TOOLS } from './system-tools.ts';
import { selfSignedCert } from './self-signed.ts';

const SHIPPED = join(import.meta.dirname, '..', '..', 'deploy', 'nginx', 'probe-summary.conf');

export interface ProbeSummaryNginx {
  /** e.g. `https://127.0.0.1:40123/summary.json` */
  url: string;
  port: number;
  /** A file holding the certificate, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** nginx's access log (combined format, one line per request, written at once). */
  accessLog: string;
  /** The lines of the access log so far. */
  accessLines(): string[];
  stop(): Promise<void>;
}

function replaceOnce(text: string, pattern: RegExp, by: string): string {
  if (!pattern.test(text)) throw new Error(`deploy/nginx/probe-summary.conf no longer contains ${pattern}; update tests/helpers/probe-summary-nginx-rig.ts`);
  return text.replace(pattern, by);
}

/** Starts nginx serving `root` (the folder summary.json is written into) with the shipped probe-host configuration. */
export async function startProbeSummaryNginx(options: { root: string }): Promise<ProbeSummaryNginx> {
  requireTools([TOOLS.nginx, TOOLS.openssl]);
  const prefix = mkdtempSync(join(tmpdir(), 'probe-nginx-'));
  for (const d of ['logs', 'tmp']) mkdirSync(join(prefix, d));
  const cert = join(prefix, 'cert.pem');
  const key = join(prefix, 'key.pem');
  selfSignedCert(key, cert, '/CN=127.0.0.1', 'IP:127.0.0.1');
  const port = await freePort();
  let conf = readFileSync(SHIPPED, 'utf8');
  conf = replaceOnce(conf, /^\s*listen \[::\]:443 ssl;\n/m, '');
  conf = replaceOnce(conf, /listen 443 ssl;/, `listen 127.0.0.1:${port} ssl;`);
  conf = replaceOnce(conf, /ssl_certificate \/etc\/letsencrypt\/live\/probe-ams\.jabber\.org\/fullchain\.pem;/, `ssl_certificate ${cert};`);
  conf = replaceOnce(conf, /ssl_certificate_key \/etc\/letsencrypt\/live\/probe-ams\.jabber\.org\/privkey\.pem;/, `ssl_certificate_key ${key};`);
  conf = replaceOnce(conf, /root \/var\/www\/jabber-status-probe;/, `root ${options.root};`);
  writeFileSync(join(prefix, 'probe-summary.conf'), conf);
  const accessLog = join(prefix, 'logs', 'access.log');
  const config = `# Written by tests/helpers/probe-summary-nginx-rig.ts
daemon off;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'logs', 'error.log')} warn;
worker_processes 1;
${process.getuid?.() === 0 ? 'user root;' : ''}
events { worker_connections 256; }
http {
    access_log ${accessLog} combined;
    sendfile on;
    client_body_temp_path ${join(prefix, 'tmp', 'body')};
    proxy_temp_path ${join(prefix, 'tmp', 'proxy')};
    fastcgi_temp_path ${join(prefix, 'tmp', 'fastcgi')};
    uwsgi_temp_path ${join(prefix, 'tmp', 'uwsgi')};
    scgi_temp_path ${join(prefix, 'tmp', 'scgi')};
    include probe-summary.conf;
}
`;
  const confFile = join(prefix, 'nginx.conf');
  writeFileSync(confFile, config);
  const args = ['-p', prefix, '-c', confFile, '-e', join(prefix, 'logs', 'error.log')];
  execFileSync(TOOLS.nginx.path, [...args, '-t', '-q'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const child = spawn(TOOLS.nginx.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  try {
    await waitForPort(port);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`nginx did not start: ${(err as Error).message}\n${log}`);
  }
  return {
    url: `https://127.0.0.1:${port}/summary.json`,
    port,
    caFile: cert,
    accessLog,
    accessLines: () => {
      try {
        return readFileSync(accessLog, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
    async stop() {
      await stopChild(child, 'SIGQUIT');
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
