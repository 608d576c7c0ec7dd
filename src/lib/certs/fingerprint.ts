/**
 * Fingerprints as people compare them (issue 30): upper-case hex pairs in
 * blocks of four, so a 32-byte SHA-256 is eight blocks a phone can wrap
 * between and a person can compare block by block with what their XMPP
 * app shows (apps write them with or without colons, upper or lower case).
 */

/**
 * The hex digits of a fingerprint in any common spelling, upper case.
 * @example normaliseFingerprint('ab:cd ef') // 'ABCDEF'
 */
export function normaliseFingerprint(text: string): string {
  return text.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

/**
 * Blocks of four hex pairs, e.g. for `AB:CD:EF:01:23:45:67:89:…` →
 * `['AB CD EF 01', '23 45 67 89', …]`.
 */
export function fingerprintBlocks(fingerprint: string): string[] {
  const hex = normaliseFingerprint(fingerprint);
  const blocks: string[] = [];
  for (let i = 0; i < hex.length; i += 8) blocks.push(hex.slice(i, i + 8).replace(/(..)(?!$)/g, '$1 '));
  return blocks;
}

/** Two fingerprints are the same certificate (or key) whatever their spelling. */
export function sameFingerprint(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && normaliseFingerprint(a) === normaliseFingerprint(b);
}

/** A short, stable handle for ids and anchors: the first 16 hex digits, lower case, e.g. `5a3c9e127b440fd1`. */
export function fingerprintHandle(fingerprint: string): string {
  return normaliseFingerprint(fingerprint).slice(0, 16).toLowerCase();
}
