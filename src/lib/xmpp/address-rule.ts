/**
 * Which addresses the probe may connect to (issue 22). Directory entries come
 * from outside pull requests, so a domain, an SRV target or a redirect could
 * point the probe at the probe host's own networks (loopback, the LAN, cloud
 * metadata at 169.254.169.254) and publish a port-scan of them. Every address
 * the probe is about to connect to passes through `addressProblem`, after SRV
 * and A/AAAA resolution, and the probe connects to that very address.
 *
 * Only globally reachable unicast addresses pass (IANA's special-purpose
 * registries, as classified by ipaddr.js, which express and proxy-addr rely
 * on); IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4) are judged
 * by the IPv4 address they carry. The one allowance is loopback, for the test
 * rigs, and only `--allow-loopback` on the command line turns it on.
 */
import ipaddr from 'ipaddr.js';

export interface AddressRule {
  /** Permit 127.0.0.0/8 and ::1 (the loopback test rigs); set only from `--allow-loopback`. */
  allowLoopback: boolean;
}

/** ipaddr.js range names in the words an admin reads in a record. */
const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  uniqueLocal: 'a private (unique local) address',
  linkLocal: 'a link-local address',
  deprecatedSiteLocal: 'a site-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  unspecified: 'the unspecified address',
  reserved: 'a reserved or documentation address',
  discard: 'a discard-only address',
  teredo: 'a Teredo tunnel address',
  orchid2: 'an ORCHID identifier, not a host',
  benchmarking: 'a benchmarking address',
  amt: 'an AMT relay address',
  as112: 'an AS112 address',
  segmentRouting: 'a segment-routing address',
};

/** Local-use NAT64 (RFC 8215): translates to whatever the local network routes. */
const LOCAL_NAT64 = ipaddr.parseCIDR('64:ff9b:1::/48');

const v4From = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);

function describe(address: string, what: string): string {
  return `${address} is ${what}; the probe connects only to public addresses`;
}

/**
 * Why the probe must not connect to `address`, or undefined when it may.
 * @param address an IP address as resolved, e.g. `198.51.100.7` or `::ffff:10.0.0.1`
 * @example addressProblem('169.254.169.254', { allowLoopback: false }) // '169.254.169.254 is a link-local address; …'
 */
export function addressProblem(address: string, rule: AddressRule): string | undefined {
  // Only the canonical textual forms a resolver returns are accepted; the
  // inet_aton spellings (`0x7f.1`, `2130706433`) never reach a socket as such.
  if (!ipaddr.IPv4.isValidFourPartDecimal(address) && !ipaddr.IPv6.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    const range = v6.range();
    if (v6.match(LOCAL_NAT64)) return describe(address, 'a local-use NAT64 address');
    // ::/96 (IPv4-compatible, deprecated) is not a host anywhere; ::1 and :: are named below.
    if (v6.parts.slice(0, 6).every((p) => p === 0) && range !== 'loopback' && range !== 'unspecified')
      return describe(address, 'an IPv4-compatible address (deprecated)');
    if (range === 'ipv4Mapped' || range === 'rfc6145') parsed = v6.toIPv4Address();
    // NAT64 (RFC 6052) carries the IPv4 address in the last 32 bits, 6to4 in bits 16–47.
    else if (range === 'rfc6052') parsed = v4From(v6.parts[6]!, v6.parts[7]!);
    else if (range === '6to4') parsed = v4From(v6.parts[1]!, v6.parts[2]!);
  }
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && rule.allowLoopback) return undefined;
  const carried = parsed.toString() !== ipaddr.parse(address).toString() ? ` (it carries ${parsed.toString()})` : '';
  return describe(address, `${RANGE_WORDS[range] ?? `a special-purpose address (${range})`}${carried}`);
}
