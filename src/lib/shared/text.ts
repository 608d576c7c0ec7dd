/**
 * The one place control characters are removed from text that reaches a
 * reader. YAML escapes ("\x1b", "\0", "\x7f") and stray bytes in a file can
 * put NUL, ESC or DEL into a field; none of them means anything on a status
 * page, in a feed or in a calendar, and some (ESC) can drive terminals that
 * print the feed. Content is cleaned once when it is parsed
 * (`content/frontmatter.ts`), and the XML and iCalendar writers use the same
 * function for anything else they print.
 */

// C0 controls other than tab (U+0009) and line feed (U+000A), and DEL.
// Carriage return goes too: line endings are normalised to "\n" first.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/**
 * Normalises line endings to "\n" and removes every other control character.
 * @example stripControlChars('a\u001b[31mb\r\nc') === 'a[31mb\nc'
 */
export function stripControlChars(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/**
 * Applies `stripControlChars` to every string in parsed data (objects, lists
 * and keys), leaving other values as they are.
 */
export function stripControlCharsDeep(value: unknown): unknown {
  if (typeof value === 'string') return stripControlChars(value);
  if (Array.isArray(value)) return value.map(stripControlCharsDeep);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    // fromEntries defines own properties: assigning `out['__proto__'] = v`
    // would instead make `v` the object's prototype, and a frontmatter
    // field `__proto__: { title: x }` would then supply `title` unseen,
    // never reported as an unknown field.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [stripControlChars(k), stripControlCharsDeep(v)]));
  }
  return value;
}

/**
 * Quotes at most `max` characters of a value for an error message, so a
 * problem never prints a whole file (or a secret it pointed at).
 * @example quoteShort('x'.repeat(100), 10) === '"xxxxxxxxxx…" (100 characters)'
 */
export function quoteShort(value: string, max = 60): string {
  const clean = stripControlChars(value).replace(/\n/g, '\\n');
  if ([...clean].length <= max) return JSON.stringify(clean);
  return `${JSON.stringify(`${[...clean].slice(0, max).join('')}…`)} (${[...value].length} characters)`;
}
