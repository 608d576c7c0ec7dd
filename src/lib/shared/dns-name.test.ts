import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dnsNameProblem } from './dns-name.ts';

describe('dnsNameProblem', () => {
  test.each([
    // [name, why it is refused]
    ['127.0.0.1', 'is an IP address; write the DNS name of the server instead, such as jabber.org'],
    ['0x7f.0x1', 'is an IP address in another spelling (numbers, hex or octal parts); write the DNS name of the server instead, such as jabber.org'],
    ['2130706433', 'is an IP address in another spelling (numbers, hex or octal parts); write the DNS name of the server instead, such as jabber.org'],
    ['0177.0.0.01', 'is an IP address in another spelling (numbers, hex or octal parts); write the DNS name of the server instead, such as jabber.org'],
    ['foo.0x10', 'is an IP address in another spelling (numbers, hex or octal parts); write the DNS name of the server instead, such as jabber.org'],
    ['[::1]', 'is an IPv6 address; write the DNS name of the server instead, such as jabber.org'],
    ['localhost', 'is a single label; write the full domain name, such as jabber.org'],
    ['intranet', 'is a single label; write the full domain name, such as jabber.org'],
    ['chat.localhost', 'is under "localhost", a special-use name that is never a public server (RFC 6761); write the service\'s real domain'],
    ['xmpp.test', 'is under "test", a special-use name that is never a public server (RFC 6761); write the service\'s real domain'],
    ['im.example.org', 'is under "example.org", a special-use name that is never a public server (RFC 6761); write the service\'s real domain'],
    ['printer.local', 'is under "local", a special-use name that is never a public server (RFC 6761); write the service\'s real domain'],
    ['router.home.arpa', 'is under "arpa", a special-use name that is never a public server (RFC 6761); write the service\'s real domain'],
    ['abc.onion', 'is under "onion", a special-use name that is never a public server (RFC 6761); write the service\'s real domain'],
    ['metadata.internal', 'is under "internal", a special-use name that is never a public server (RFC 6761); write the service\'s real domain'],
    ['jabber.org.', 'ends with a dot; write it without the final dot, such as jabber.org'],
    ['a..b.org', 'has an empty part between dots'],
    ['-a.org', 'has "-a", which is not a DNS label (letters a–z, digits and inner dashes, at most 63)'],
  ])('refuses %s', (name, problem) => {
    expect(dnsNameProblem(name)).toBe(problem);
  });

  test.each(['jabber.org', 'chat.sample.jabber.org', 'xn--mnchen-3ya.de', '4chan.org', 'a1.b2.example-domain.co.uk'])('accepts %s', (name) => {
    expect(dnsNameProblem(name)).toBeUndefined();
  });

  // Each IPv4 number written in a spelling URL parsers or inet_aton accept.
  const spellings = fc.tuple(
    fc.integer({ min: 0, max: 0xffffffff }),
    fc.constantFrom('dotted', 'integer', 'hex', 'octal', 'hex-parts', 'two-parts', 'three-parts'),
    fc.boolean(),
  );
  const spell = (n: number, form: string) => {
    const o = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    switch (form) {
      case 'dotted':
        return o.join('.');
      case 'integer':
        return String(n);
      case 'hex':
        return `0x${n.toString(16)}`;
      case 'octal':
        return o.map((x) => `0${x.toString(8)}`).join('.');
      case 'hex-parts':
        return o.map((x) => `0x${x.toString(16)}`).join('.');
      case 'two-parts':
        return `${o[0]}.${n & 0xffffff}`;
      default:
        return `${o[0]}.${o[1]}.${n & 0xffff}`;
    }
  };

  test('no spelling of an IPv4 address passes, in any case', () => {
    fc.assert(
      fc.property(spellings, ([n, form, upper]) => {
        const name = spell(n, form);
        expect(dnsNameProblem(upper ? name.toUpperCase() : name), name).toBeDefined();
      }),
      { numRuns: 5000 },
    );
  });

  test('whatever name passes, the URL parser reads as a name, never as an IP address', () => {
    const hostish = fc.oneof(
      fc.domain(),
      spellings.map(([n, form]) => spell(n, form)),
      fc
        .array(
          fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,8}$/), fc.stringMatching(/^(0x)?[0-9a-f]{1,4}$/), fc.constantFrom('test', 'local', 'localhost', '0', '')),
          { minLength: 1, maxLength: 5 },
        )
        .map((l) => l.join('.')),
    );
    fc.assert(
      fc.property(hostish, (name) => {
        if (dnsNameProblem(name) !== undefined) return;
        let host: string;
        try {
          host = new URL(`http://${name}/`).hostname;
        } catch {
          return;
        }
        expect(isIP(host.replace(/^\[|\]$/g, '')), `${name} → ${host}`).toBe(0);
        expect(host.split('.').length).toBeGreaterThan(1);
      }),
      { numRuns: 5000 },
    );
  });
});
