/**
 * A server that refuses the channel binding the probe sends (issue 21).
 * Debian's ejabberd 23.01 did exactly that to tls-exporter; the probe now
 * sends what it accepts (tls-unique), so no real server on this machine
 * refuses the probe's binding any more, and this in-process server plays
 * one: it offers SCRAM-SHA-1-PLUS and PLAIN, answers every -PLUS attempt
 * with `not-authorized (Invalid channel binding)` and lets PLAIN in.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { login, LoginRefused, refusedBindingWarning, type ProbeContext } from './checks-io.ts';

let dir: string;
let key: Buffer;
let cert: Buffer;
let server: Server;
let port: number;
/** Every SASL mechanism the server was asked for, in order. */
const attempts: string[] = [];

const HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='cb.test' id='x' version='1.0'>";

/** Calls `on` with everything received so far until it returns true (one step of the script done). */
function steps(socket: Socket | TLSSocket, script: ((text: string) => boolean)[]): void {
  let buffer = '';
  socket.on('data', (d: Buffer) => {
    buffer += d.toString();
    while (script.length && script[0]!(buffer)) {
      script.shift();
      buffer = '';
    }
  });
}

function serve(plain: Socket): void {
  plain.on('error', () => {});
  steps(plain, [
    (t) =>
      t.includes('<stream:stream') &&
      !!plain.write(`${HEADER}<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>`),
    (t) => {
      if (!t.includes('<starttls')) return false;
      plain.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
      plain.removeAllListeners('data');
      const tls = new TLSSocket(plain, { isServer: true, key, cert });
      tls.on('error', () => {});
      const sasl = "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1-PLUS</mechanism><mechanism>PLAIN</mechanism></mechanisms>";
      steps(tls, [
        (s) => s.includes('<stream:stream') && !!tls.write(`${HEADER}<stream:features>${sasl}</stream:features>`),
        (s) => {
          const mechanism = /<auth [^>]*mechanism='([^']+)'/.exec(s)?.[1];
          if (!mechanism) return false;
          attempts.push(mechanism);
          const password = Buffer.from(/>([^<]*)<\/auth>/.exec(s)?.[1] ?? '', 'base64')
            .toString()
            .split('\u0000')[2];
          if (mechanism.endsWith('-PLUS') || password !== 'right') {
            tls.end(
              `<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/><text>${mechanism.endsWith('-PLUS') ? 'Invalid channel binding' : 'Invalid username or password'}</text></failure></stream:stream>`,
            );
            return true;
          }
          tls.write("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
          return true;
        },
        (s) => s.includes('<stream:stream') && !!tls.write(`${HEADER}<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>`),
        (s) => {
          const id = /<iq [^>]*id='([^']+)'/.exec(s)?.[1];
          return !!id && !!tls.write(`<iq type='result' id='${id}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>probe@cb.test/r</jid></bind></iq>`);
        },
      ]);
      return true;
    },
  ]);
}

const ctx = (): ProbeContext => ({
  domain: 'cb.test',
  now: () => new Date(),
  timeoutMs: 3000,
  maxBytes: 64 * 1024,
  extraCa: [cert.toString()],
  s2sFrom: 'probe.invalid',
  random: () => 0,
  addressRule: { allowLoopback: true },
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-test-'));
  // A certificate that is its own CA, trusted through extraCa: the probe only logs in over a good one.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=cb.test',
      '-addext',
      'subjectAltName=DNS:cb.test',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-keyout',
      'k.pem',
      '-out',
      'c.pem',
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  key = readFileSync(join(dir, 'k.pem'));
  cert = readFileSync(join(dir, 'c.pem'));
  server = createServer(serve);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});

afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a refused channel binding is followed by one login without it, and the login says so', async () => {
  attempts.length = 0;
  const session = await login({ host: '127.0.0.1', port }, { username: 'probe', password: 'right' }, ctx());
  session.stream.close();
  expect(attempts).toEqual(['SCRAM-SHA-1-PLUS', 'PLAIN']);
  expect(session.login).toMatchObject({
    mechanism: 'PLAIN',
    refusedBinding: { mechanism: 'SCRAM-SHA-1-PLUS', channelBinding: 'tls-unique', error: 'not-authorized (Invalid channel binding)' },
  });
  expect(session.login.channelBinding).toBeUndefined();
  expect(refusedBindingWarning(session.login)).toBe(
    'the server refused SCRAM-SHA-1-PLUS with channel binding tls-unique (not-authorized (Invalid channel binding)); logged in again with PLAIN, without channel binding',
  );
});

test('when the login without binding is refused too, the error names both attempts and keeps the condition', async () => {
  attempts.length = 0;
  const error = await login({ host: '127.0.0.1', port }, { username: 'probe', password: 'wrong' }, ctx()).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(attempts).toEqual(['SCRAM-SHA-1-PLUS', 'PLAIN']);
  expect(error).toBeInstanceOf(LoginRefused);
  expect((error as LoginRefused).condition).toBe('not-authorized');
  expect((error as LoginRefused).message).toBe(
    'login failed: not-authorized (Invalid username or password) with PLAIN, after SCRAM-SHA-1-PLUS with tls-unique was refused (not-authorized (Invalid channel binding))',
  );
});
