/**
 * A webhook receiver on loopback that checks every signature with the
 * Standard Webhooks reference library (not our code), and can be told to
 * fail the next N requests to exercise retries.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { freePort } from './free-port.ts';

export interface WebhookDelivery {
  id: string;
  status: number;
  verified: boolean;
  body: unknown;
  headers: IncomingMessage['headers'];
}

export async function startWebhookReceiver(
  secret: string,
): Promise<{ url: string; deliveries: WebhookDelivery[]; failNext(n: number): void; stop(): Promise<void> }> {
  const verifier = new Webhook(secret);
  const deliveries: WebhookDelivery[] = [];
  let failures = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        verifier.verify(raw, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      const status = !verified ? 401 : failures > 0 ? 503 : 204;
      if (verified && failures > 0) failures--;
      deliveries.push({ id: String(req.headers['webhook-id']), status, verified, body: JSON.parse(raw), headers: req.headers });
      res.writeHead(status).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}/hooks/status`,
    deliveries,
    failNext: (n) => void (failures = n),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
