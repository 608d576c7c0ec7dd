import { expect, test } from 'vitest';
import { MAX_SRV_TARGETS, orderSrvRecords, planSrvTargets } from './srv.ts';

const rec = (name: string, priority: number, weight: number) => ({ name, port: 5222, priority, weight });

test('orders by priority first, whatever the weights', () => {
  const ordered = orderSrvRecords([rec('b', 20, 100), rec('a', 10, 0)], () => 0.99);
  expect(ordered.map((r) => r.name)).toEqual(['a', 'b']);
});

test('draws by weight within a priority', () => {
  const records = [rec('light', 10, 1), rec('heavy', 10, 99)];
  // A draw near 0 lands on the first record in the running sum; near 1 on the last.
  expect(orderSrvRecords(records, () => 0).map((r) => r.name)).toEqual(['light', 'heavy']);
  expect(orderSrvRecords(records, () => 0.5).map((r) => r.name)).toEqual(['heavy', 'light']);
  // Over many draws the heavy record comes first about 99% of the time.
  let seed = 1;
  const lcg = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let heavyFirst = 0;
  for (let i = 0; i < 2000; i++) if (orderSrvRecords(records, lcg)[0]!.name === 'heavy') heavyFirst++;
  expect(heavyFirst / 2000).toBeGreaterThan(0.95);
});

test.each([
  // outcome of the lookup → plan
  ['records', [rec('xmpp.example.', 0, 5)], { kind: 'srv', targets: [{ host: 'xmpp.example', port: 5222 }] }],
  ['a "." target', [{ name: '', port: 0, priority: 0, weight: 0 }], { kind: 'not-offered' }],
  ['no such name', { code: 'ENOTFOUND' }, { kind: 'fallback', targets: [{ host: 'example.org', port: 5269 }] }],
  ['no SRV data', { code: 'ENODATA' }, { kind: 'fallback', targets: [{ host: 'example.org', port: 5269 }] }],
  ['a resolver failure', { code: 'ETIMEOUT' }, { kind: 'dns-error', error: 'ETIMEOUT' }],
] as const)('plans targets for %s', (_what, lookup, plan) => {
  expect(planSrvTargets('example.org', lookup as never, 5269, () => 0)).toEqual(plan);
});

// Issue 22: 150 SRV targets meant 150 parallel connections for one domain.
test('at most MAX_SRV_TARGETS targets are planned per service, the first ones in RFC 2782 order', () => {
  const records = Array.from({ length: 150 }, (_, i) => ({ name: `t${i}.example.net`, port: 5222 + i, priority: i, weight: 0 }));
  const plan = planSrvTargets('example.net', records, 5222, () => 0.5);
  expect(plan.kind === 'srv' && plan.targets.map((t) => t.host)).toEqual([
    't0.example.net',
    't1.example.net',
    't2.example.net',
    't3.example.net',
    't4.example.net',
    't5.example.net',
    't6.example.net',
    't7.example.net',
  ]);
  expect(MAX_SRV_TARGETS).toBe(8);
});
