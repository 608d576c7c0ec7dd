/**
 * A GET that follows up to five redirects, resolves through `--resolver`,
 * trusts `--ca`, and reports the certificate of every HTTPS hop instead of
 * rejecting it. Uses node:http(s) rather than fetch because fetch can neither
 * take a custom resolver nor expose the certificate.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { PeerCertificate } from './cert-verdict.ts';
import { isIP } from 'node:net';
import { addressProblem } from './address-rule.ts';
import { connectableAddresses, netError, peerCertificate, secureContext, type NetOptions } from './connect-io.ts';
import { ProbeError } from './stream-io.ts';
import { redactUrl } from '../shared/redact-url.ts';

export interface HttpResult {
  status: number;
  /** Where the last request went, e.g. `https://www.jabber.org/`. */
  url: string;
  redirects: number;
  /** Certificate of the last HTTPS hop, if any. */
  cert?: PeerCertificate;
  certHost?: string;
}

const MAX_REDIRECTS = 5;
/** Read at most this much of a body; the probe only needs the status. */
const MAX_BODY = 64 * 1024;

/**
 * Node's http calls this for every name it connects to, redirect hops
 * included, and connects to the addresses it returns: each has passed the
 * address rule, and no second lookup happens (issue 22).
 */
function lookupVia(options: NetOptions): LookupFunction {
  return (hostname, opts, callback) => {
    connectableAddresses(hostname, options).then(
      (addresses) => {
        const family = (a: string) => (a.includes(':') ? 6 : 4);
        if ((opts as { all?: boolean }).all)
          callback(
            null,
            addresses.map((address) => ({ address, family: family(address) })),
          );
        else callback(null, addresses[0]!, family(addresses[0]!));
      },
      (err: Error) =>
        callback(
          err instanceof ProbeError ? (err as unknown as NodeJS.ErrnoException) : (Object.assign(err, { code: 'ENOTFOUND' }) as NodeJS.ErrnoException),
          '',
          4,
        ),
    );
  };
}

function once(url: URL, options: NetOptions): Promise<{ status: number; location?: string; cert?: PeerCertificate }> {
  return new Promise((resolve, reject) => {
    // Node never calls `lookup` for an IP literal, so those are checked here.
    const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const problem = isIP(literal) ? addressProblem(literal, options.addressRule) : undefined;
    if (problem) return reject(new ProbeError(`refused: ${problem}`, false, 'address-refused'));
    const isHttps = url.protocol === 'https:';
    const request = (isHttps ? https : http).request(url, {
      method: 'GET',
      agent: false,
      lookup: lookupVia(options),
      headers: { 'user-agent': 'jabber.org-status-probe/1', accept: 'text/html,*/*' },
      // Identity is judged in cert-verdict.ts with the same words as XMPP's;
      // Node's own check would turn a wrong name into a trust error.
      ...(isHttps
        ? { secureContext: secureContext(options.extraCa), rejectUnauthorized: false, servername: url.hostname, checkServerIdentity: () => undefined }
        : {}),
    });
    const timer = setTimeout(
      () => request.destroy(new ProbeError(`no answer within ${options.timeoutMs} ms (${redactUrl(url)})`, true, 'timeout')),
      options.timeoutMs,
    );
    request.on('response', (response) => {
      let cert: PeerCertificate | undefined;
      if (isHttps) {
        try {
          cert = peerCertificate(response.socket as TLSSocket);
        } catch {
          cert = undefined;
        }
      }
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_BODY) response.destroy();
      });
      const done = () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, location: response.headers.location, cert });
      };
      response.on('end', done);
      response.on('close', done);
    });
    request.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err instanceof ProbeError) reject(err);
      else if (err.code === 'ENOTFOUND') reject(new ProbeError(`${url.hostname} does not resolve to an address`, false, 'dns-failed'));
      else reject(netError(err, `${url.hostname}:${url.port || (isHttps ? 443 : 80)}`));
    });
    request.end();
  });
}

/** GETs `href`, following redirects. */
export async function httpGet(href: string, options: NetOptions): Promise<HttpResult> {
  let url = new URL(href);
  for (let redirects = 0; ; redirects++) {
    const answer = await once(url, options);
    if (answer.status >= 300 && answer.status < 400 && answer.location) {
      if (redirects >= MAX_REDIRECTS) throw new ProbeError(`more than ${MAX_REDIRECTS} redirects (last: ${redactUrl(url)})`, false, 'http-failed');
      url = new URL(answer.location, url);
      continue;
    }
    return { status: answer.status, url: url.href, redirects, ...(answer.cert ? { cert: answer.cert, certHost: url.hostname } : {}) };
  }
}
