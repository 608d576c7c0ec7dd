import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addressProblem } from './address-rule.ts';

const strict = { allowLoopback: false };
const rigs = { allowLoopback: true };

describe('addressProblem', () => {
  test.each([
    // [address, the words in the refusal]
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['10.1.2.3', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['169.254.169.254', 'a link-local address'], // cloud metadata
    ['fe80::1', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['224.0.0.1', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['0.0.0.0', 'the unspecified address'],
    ['::', 'the unspecified address'],
    ['192.0.2.1', 'a reserved or documentation address'],
    ['198.51.100.7', 'a reserved or documentation address'],
    ['203.0.113.9', 'a reserved or documentation address'],
    ['2001:db8::1', 'a reserved or documentation address'],
    ['fd00:ec2::254', 'a private (unique local) address'], // AWS metadata over IPv6
    ['::ffff:127.0.0.1', 'a loopback address (it carries 127.0.0.1)'],
    ['::ffff:a9fe:a9fe', 'a link-local address (it carries 169.254.169.254)'],
    ['64:ff9b::a00:1', 'a private address (it carries 10.0.0.1)'], // NAT64
    ['2002:c0a8:101::1', 'a private address (it carries 192.168.1.1)'], // 6to4
    ['64:ff9b:1::1', 'a local-use NAT64 address'],
    ['::7f00:1', 'an IPv4-compatible address (deprecated)'],
    ['2001::1', 'a Teredo tunnel address'],
    ['255.255.255.255', 'the broadcast address'],
  ])('refuses %s as %s', (address, words) => {
    expect(addressProblem(address, strict)).toBe(`${address} is ${words}; the probe connects only to public addresses`);
  });

  test.each(['8.8.8.8', '193.110.157.1', '2a00:1450:4001::1', '::ffff:8.8.8.8', '64:ff9b::808:808'])('lets the public address %s through', (address) => {
    expect(addressProblem(address, strict)).toBeUndefined();
  });

  test('--allow-loopback lets loopback through and nothing else that is not public', () => {
    expect(addressProblem('127.0.0.1', rigs)).toBeUndefined();
    expect(addressProblem('::1', rigs)).toBeUndefined();
    expect(addressProblem('::ffff:127.0.0.1', rigs)).toBeUndefined();
    for (const a of ['10.0.0.1', '169.254.169.254', 'fe80::1', '192.168.0.1', '0.0.0.0'])
      expect(addressProblem(a, rigs), a).toMatch(/the probe connects only to public addresses$/);
  });

  test('spellings that are not canonical addresses are refused outright', () => {
    for (const a of ['0x7f.0x1', '2130706433', '0177.0.0.1', '127.1', 'localhost']) expect(addressProblem(a, rigs), a).toBe(`${a} is not an IP address`);
  });

  test('any IPv4 address in a private, loopback or link-local block is refused, however it is written as IPv6', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const blocked = fc.oneof(
      fc.tuple(fc.constant(10), octet, octet, octet),
      fc.tuple(fc.constant(127), octet, octet, octet),
      fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
      fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), octet, octet),
      fc.tuple(fc.integer({ min: 224, max: 255 }), octet, octet, octet),
      fc.tuple(fc.constant(0), octet, octet, octet),
    );
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    fc.assert(
      fc.property(blocked, fc.constantFrom('plain', 'mapped', 'mapped-hex', 'nat64', '6to4', 'compat'), ([a, b, c, d], form) => {
        const v4 = `${a}.${b}.${c}.${d}`;
        const address = {
          plain: v4,
          mapped: `::ffff:${v4}`,
          'mapped-hex': `::ffff:${hex(a, b)}:${hex(c, d)}`,
          nat64: `64:ff9b::${hex(a, b)}:${hex(c, d)}`,
          '6to4': `2002:${hex(a, b)}:${hex(c, d)}::1`,
          compat: `::${hex(a, b)}:${hex(c, d)}`,
        }[form];
        expect(addressProblem(address, strict), address).toMatch(/the probe connects only to public addresses$/);
      }),
      { numRuns: 2000 },
    );
  });

  test('random strings are either refused or a public unicast address, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.ipV6(), fc.string(), fc.domain()), (address) => {
        const problem = addressProblem(address, strict);
        expect(problem === undefined || problem.startsWith(address)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
