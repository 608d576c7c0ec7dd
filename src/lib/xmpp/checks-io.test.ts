/**
 * Hostile and broken servers, the faults a real Prosody cannot be made to
 * produce. Each is a small in-process TCP server with a scripted reply; each
 * must end in a failed check with a clear reason: no hang, crash or runaway
 * memory. (The real-server tests are in tests/probe-prosody.test.ts.)
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { checkC2sStartTls, type ProbeContext } from './checks-io.ts';
import { ProbeError } from './stream-io.ts';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** Starts a server that runs `script` for each connection; returns its port. */
async function fakeServer(script: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    script(socket);
  });
  // close() waits for open sockets; a stalled fake keeps them open, so end them.
  const close = server.close.bind(server);
  server.close = (cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  };
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

const HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='bad.test' id='x' version='1.0'>";
const FEATURES_TLS = "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>";

const ctx: ProbeContext = {
  domain: 'bad.test',
  now: () => new Date('2026-11-21T12:00:00Z'),
  timeoutMs: 600,
  maxBytes: 64 * 1024,
  extraCa: [],
  s2sFrom: 'probe.invalid',
  // The hostile servers listen on loopback.
  addressRule: { allowLoopback: true },
  random: () => 0,
};

/** Runs the check and returns its error (the check must fail). */
async function failure(port: number): Promise<string> {
  try {
    const result = await checkC2sStartTls({ host: '127.0.0.1', port }, ctx);
    throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  } catch (err) {
    if (!(err instanceof ProbeError)) throw err;
    return err.message;
  }
}

/** Replies `text` once the client has sent something. */
const replyOnce = (text: string) => (socket: Socket) => socket.once('data', () => socket.write(text));

describe('a client STARTTLS check against a broken server fails with a clear reason', () => {
  test.each([
    // [the server's behaviour, what it sends, the reason readers see]
    ['answers with HTTP', 'HTTP/1.1 400 Bad Request\r\n\r\n', /^server does not speak XMPP here \(it sent "HTTP\/1\.1 400 Bad Request"\)$/],
    [
      'answers with garbage XML',
      "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><a></b>",
      /^server sent malformed XML: a must be closed\.$/,
    ],
    [
      'sends a stream error',
      `${HEADER}<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>nope</text></stream:error>`,
      /^stream error: host-unknown \(nope\)$/,
    ],
    [
      'does not offer STARTTLS',
      `${HEADER}<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>`,
      /^server does not offer STARTTLS$/,
    ],
    [
      'speaks pre-1.0 XMPP',
      "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='x'>",
      /^server speaks pre-1\.0 XMPP/,
    ],
    ['sends something other than features', `${HEADER}<message/>`, /^expected <stream:features>, got <message>$/],
  ])('when it %s', async (_what, reply, reason) => {
    expect(await failure(await fakeServer(replyOnce(reply)))).toMatch(reason);
  });

  test('when it refuses STARTTLS with <failure/>', async () => {
    const port = await fakeServer((socket) => {
      socket.once('data', () => {
        socket.write(HEADER + FEATURES_TLS);
        socket.once('data', () => socket.write("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>"));
      });
    });
    expect(await failure(port)).toBe('server refused STARTTLS (<failure/>)');
  });

  test('when it stalls in the TLS handshake', async () => {
    // Says <proceed/>, then never answers the ClientHello.
    const port = await fakeServer((socket) => {
      socket.once('data', () => {
        socket.write(HEADER + FEATURES_TLS);
        socket.once('data', () => socket.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"));
      });
    });
    expect(await failure(port)).toBe('TLS handshake timed out after 600 ms (TLS handshake)');
  });

  test('when it drips its header one byte at a time', async () => {
    const port = await fakeServer((socket) => {
      let i = 0;
      const timer = setInterval(() => (i < HEADER.length && !socket.destroyed ? socket.write(HEADER[i++]!) : clearInterval(timer)), 50);
      socket.on('close', () => clearInterval(timer));
    });
    expect(await failure(port)).toBe('timed out after 600 ms waiting for the stream header');
  });

  test('when it closes the connection at once', async () => {
    expect(await failure(await fakeServer((socket) => socket.end()))).toBe('server closed the connection');
  });

  test('when it sends one enormous stanza, reading stops at the cap', async () => {
    let sent = 0;
    const port = await fakeServer((socket) => {
      socket.once('data', () => {
        socket.write(`${HEADER}<stream:features><junk>`);
        const chunk = 'x'.repeat(16 * 1024);
        // Keep sending until the client hangs up: up to 8 MiB if it never did.
        const pump = () => {
          while (!socket.destroyed && sent < 8 * 1024 * 1024) {
            sent += chunk.length;
            if (!socket.write(chunk)) return void socket.once('drain', pump);
          }
        };
        pump();
      });
    });
    expect(await failure(port)).toBe('server sent more than 64 KiB on one stream; gave up');
    expect(sent).toBeLessThan(8 * 1024 * 1024);
  });

  test('when nothing listens, the failure is marked worth one retry', async () => {
    const port = await fakeServer(() => {});
    servers.pop()!.close();
    await new Promise((r) => setTimeout(r, 50));
    try {
      await checkC2sStartTls({ host: '127.0.0.1', port }, ctx);
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(ProbeError);
      expect((err as ProbeError).message).toBe(`connection refused (127.0.0.1:${port})`);
      expect((err as ProbeError).retryable).toBe(true);
    }
  });
});
