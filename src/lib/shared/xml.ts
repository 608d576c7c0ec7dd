/**
 * XML text helpers shared by Atom, RSS, SVG badges and iCalendar-adjacent
 * output. XML 1.0 forbids most control characters outright; they are
 * stripped from content rather than failing the build (a stray \u0007 in an
 * incident message must not take the feeds down).
 */

import { stripControlChars } from './text.ts';

// Characters XML 1.0 does not allow (§2.2) beyond the controls: U+FFFE,
// U+FFFF and lone surrogates.
const INVALID_XML = /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Removes characters that XML 1.0 forbids, and every control character
 * (DEL included) through the one shared function (`text.ts`).
 */
export function stripInvalidXmlChars(text: string): string {
  return stripControlChars(text).replace(INVALID_XML, '');
}

/** Escapes text for XML element content and attribute values, after stripping forbidden characters. */
export function escapeXml(text: string): string {
  return stripInvalidXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
