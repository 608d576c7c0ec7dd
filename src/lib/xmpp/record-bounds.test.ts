import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { problemText, ProbeRecordSchema } from '../schemas.ts';
import { createResolver } from './connect-io.ts';
import { boundRecord, MAX_RECORD_BYTES } from './record-bounds.ts';
import { runProbe } from './run-probe-io.ts';

const base = { v: 3, at: '2026-11-21T06:00:00.000Z', vantage: 'ams', domain: 'chat.sample.jabber.org', check: 'website', ok: false, ms: 12, attempts: 1 };

describe('boundRecord', () => {
  test('a target longer than the schema allows is cut, marked, and the record is written', () => {
    const record = boundRecord({ ...base, target: `https://chat.sample.jabber.org/${'a'.repeat(700)}`, detail: {} });
    expect(record.target).toHaveLength(600);
    expect(record.target.endsWith('…')).toBe(true);
  });

  test('whatever the check learned, the record parses and stays under 4 KiB', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 20_000 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 300 }),
        fc.dictionary(fc.string({ maxLength: 100 }), tie('value'), { maxKeys: 30 }),
      ),
    })).value;
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 100 }), json, { maxKeys: 20 }),
        fc.string({ maxLength: 5000 }),
        fc.string({ maxLength: 5000 }),
        (detail, target, error) => {
          const record = boundRecord({ ...base, target, problems: [{ kind: 'protocol-error', text: error }], detail });
          expect(ProbeRecordSchema.safeParse(record).success).toBe(true);
          expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThanOrEqual(MAX_RECORD_BYTES);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a record that cannot be made to fit becomes a failed record saying why', () => {
    const record = boundRecord({ ...base, ok: true, notRun: 'no-password', target: 'x', detail: {} });
    // It did not run (notRun says so): that stays, only the contradiction is dropped.
    expect(record).toMatchObject({
      ok: null,
      notRun: 'no-password',
      problems: [
        {
          kind: 'not-run',
          text: 'probe error: the result did not fit a record (ok: a check that did not run has "ok: null" and "notRun" (version 1: "ok: false"); one that ran has "ok: true" or "ok: false" and no "notRun")',
        },
      ],
      detail: {},
    });
  });
});

describe('the probe run (issue 22, defects 2 and 9)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    // Redirects once to a 15 KB address on itself, which then answers 200.
    server = createServer((req, res) => {
      if (req.url === '/start') res.writeHead(302, { location: `/${'r'.repeat(15_000)}` }).end();
      else res.writeHead(200).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  const run = (websites: string[]) =>
    runProbe([{ domain: 'chat.sample.jabber.org', websites }], {
      vantage: 'test',
      retryDelayMs: 0,
      concurrency: 1,
      // A resolver on a closed port: DNS fails at once, the website check still runs.
      context: {
        now: () => new Date(),
        timeoutMs: 2000,
        maxBytes: 64 * 1024,
        extraCa: [],
        resolver: createResolver('127.0.0.1:9', 500),
        s2sFrom: 'probe.invalid',
        random: Math.random,
        addressRule: { allowLoopback: true },
      },
    });

  test('a website address over 600 characters is one record with a cut target, not a crashed run', async () => {
    const long = `http://127.0.0.1:${port}/${'a'.repeat(700)}`;
    const records = await run([long, `http://127.0.0.1:${port}/ok`]);
    const websites = records.filter((r) => r.check === 'website');
    expect(websites.map((r) => [r.target.length, r.ok])).toEqual([
      [600, true],
      [`http://127.0.0.1:${port}/ok`.length, true],
    ]);
  });

  test('a server-supplied redirect address is recorded cut, and the record stays under 4 KiB', async () => {
    const records = await run([`http://127.0.0.1:${port}/start`]);
    const website = records.find((r) => r.check === 'website')!;
    expect(website.ok).toBe(true);
    expect(String(website.detail.finalUrl)).toHaveLength(300);
    expect(Buffer.byteLength(JSON.stringify(website))).toBeLessThan(MAX_RECORD_BYTES);
  });

  test('an oversized record of a check that ran stays a failure, with no notRun', () => {
    const record = boundRecord({ ...base, ok: true, target: 'x', detail: {}, attempts: 7 });
    expect(record).toMatchObject({ ok: false, detail: {} });
    expect(record.notRun).toBeUndefined();
    expect(problemText(record.problems)).toMatch(/^probe error: the result did not fit a record \(attempts: /);
  });
});
