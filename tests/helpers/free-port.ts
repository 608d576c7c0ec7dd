import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** TCP state 0A is LISTEN in /proc/net/tcp (include/net/tcp_states.h). */
const LISTEN = '0A';

/**
 * True when some socket listens on `port` (IPv4 or IPv6), read from the
 * kernel's socket table. Connecting to find out is not safe: ports from
 * `listen(0)` are in the ephemeral range, where a connect to a port nobody
 * listens on can pick that same port as its source and connect to itself
 * (TCP simultaneous open), which looks like success.
 */
export function isListening(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // fields[1] is "ADDRESS:PORT" in hex, fields[3] the state.
      if (fields[3] === LISTEN && fields[1]?.endsWith(`:${hexPort}`)) return true;
    }
  }
  return false;
}

/** Waits until a socket listens on `port`. */
export async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isListening(port)) {
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
