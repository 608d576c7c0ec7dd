import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { NotifyEntry } from './entries.ts';
import { webhookChannel } from './webhook-io.ts';

let server: Server;
let port: number;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    res.writeHead(req.url?.includes('fail') ? 500 : 204).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

const entry = { id: 'incident:x@2026-11-21T06:00:00Z' } as unknown as NotifyEntry;
const channel = (url: string) =>
  webhookChannel({ name: 'ops', url, format: 'json', payload: () => ({ ok: true }), now: () => new Date('2026-11-21T06:00:00Z') });

// Issue 22, defect 8: fetch refused the URL and its error quoted it, password and secret path, on every retry.
test('a webhook URL with credentials is delivered with an Authorization header, and no message shows the password', async () => {
  await channel(`http://ops:s3cret@127.0.0.1:${port}/hooks/T0k3n`).send(entry);
  expect(seen.at(-1)).toMatchObject({ url: '/hooks/T0k3n', headers: { authorization: `Basic ${Buffer.from('ops:s3cret').toString('base64')}` } });
  const failing = channel(`http://ops:s3cret@127.0.0.1:1/hooks/T0k3n`);
  const error = await failing.send(entry).then(
    () => undefined,
    (err: Error) => err.message,
  );
  expect(error).toMatch(/^POST to 127\.0\.0\.1:1 failed: /);
  expect(error).not.toContain('s3cret');
  expect(error).not.toContain('T0k3n');
  expect(failing.target).toBe('http://127.0.0.1:1/…');
});
