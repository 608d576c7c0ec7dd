/**
 * The DNS-name rule for names that come from outside pull requests (a
 * directory entry's domain, the host of its website and sign-up page; issue 22).
 * A name must be one a public resolver can answer: no IP literal in any of
 * the spellings resolvers and URL parsers accept (`127.0.0.1`, `0x7f.0x1`,
 * `2130706433`, `[::1]`), no single label (`localhost`, `intranet`, which a
 * search domain would complete) and no special-use name (RFC 6761 and the
 * later registrations in IANA's special-use domain names registry).
 */

/**
 * Special-use names and their subdomains. RFC 6761 (test, localhost,
 * invalid, example, example.com/net/org), RFC 6762 (local), RFC 7686 (onion),
 * RFC 8375 (home.arpa), RFC 9476 (alt), ICANN's 2024 reservation of
 * `internal` for private use, and `arpa` (reverse zones are not hosts).
 */
export const SPECIAL_USE_NAMES = [
  'test',
  'localhost',
  'invalid',
  'example',
  'example.com',
  'example.net',
  'example.org',
  'local',
  'onion',
  'alt',
  'internal',
  'arpa',
] as const;

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** What the WHATWG URL parser and inet_aton read as a number: `127`, `0x7f`, `0177`, `0x`. */
const NUMERIC_LABEL = /^(0x[0-9a-f]*|[0-9]+)$/;

/**
 * Why `name` is not a public DNS name, in words for the file's author, or
 * undefined when it is one.
 * @param name e.g. `chat.sample.jabber.org`
 * @example dnsNameProblem('0x7f.0x1') // 'is an IP address in another spelling (…)'
 */
export function dnsNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty; write a domain name such as jabber.org';
  if (name.startsWith('[') || name.includes(':')) return 'is an IPv6 address; write the DNS name of the server instead, such as jabber.org';
  if (name.endsWith('.')) return 'ends with a dot; write it without the final dot, such as jabber.org';
  if (name.length > 253) return 'is longer than 253 characters, the most a DNS name may have';
  if (name !== name.toLowerCase()) return 'must be written in lower case';
  const labels = name.split('.');
  // Any last label that is a number makes URL parsers and resolvers read the whole name as IPv4.
  if (NUMERIC_LABEL.test(labels.at(-1)!) || labels.every((l) => NUMERIC_LABEL.test(l))) {
    return /^\d{1,3}(\.\d{1,3}){3}$/.test(name)
      ? 'is an IP address; write the DNS name of the server instead, such as jabber.org'
      : 'is an IP address in another spelling (numbers, hex or octal parts); write the DNS name of the server instead, such as jabber.org';
  }
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined)
    return bad === ''
      ? 'has an empty part between dots'
      : `has "${bad.slice(0, 63)}", which is not a DNS label (letters a–z, digits and inner dashes, at most 63)`;
  if (labels.length < 2) return 'is a single label; write the full domain name, such as jabber.org';
  if (!/^[a-z]/.test(labels.at(-1)!)) return 'ends in a part that is not a top-level domain';
  const special = SPECIAL_USE_NAMES.find((s) => name === s || name.endsWith(`.${s}`));
  if (special) return `is under "${special}", a special-use name that is never a public server (RFC 6761); write the service's real domain`;
  return undefined;
}
