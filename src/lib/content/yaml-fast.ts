/**
 * A fast first try at parsing YAML (frontmatter, and the site and notify
 * settings files through the same `parseYaml`): js-yaml with a schema that reads
 * plain values exactly as the `yaml` package's YAML 1.2 core schema does.
 *
 * Why: at 60,000 files `yaml`'s `parseDocument` was 11 of the build's 30
 * seconds of content loading (issue 16, BENCHMARKS.md); js-yaml parses the
 * same frontmatter 6.7 times faster. `yaml` stays the reference: it reports
 * every syntax error with its line and maps a field back to its line, so
 * whenever this returns `undefined` (a file js-yaml refuses, or one that uses
 * anchors, aliases or tags, where the two libraries' rules differ most and
 * where `yaml` caps alias expansion) the caller parses with `yaml` as before,
 * and every message an admin sees is unchanged. The values are the same
 * either way; `yaml-fast.test.ts` compares the two on generated documents.
 *
 * js-yaml's own CORE_SCHEMA is not used: it reads `0b101` as 5 and `+.5` as
 * text, where YAML 1.2 core (and `yaml`) read text and 0.5.
 */
import jsyaml from 'js-yaml';

/** YAML 1.2 core schema, plain (unquoted) scalars only; the tests are `yaml` 2.x's. */
const coreTypes = [
  new jsyaml.Type('tag:yaml.org,2002:null', {
    kind: 'scalar',
    resolve: (s: string) => /^(?:~|[Nn]ull|NULL)?$/.test(s),
    construct: () => null,
  }),
  new jsyaml.Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (s: string) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s),
    construct: (s: string) => s[0] === 't' || s[0] === 'T',
  }),
  new jsyaml.Type('tag:yaml.org,2002:int', {
    kind: 'scalar',
    resolve: (s: string) => /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/.test(s),
    construct: (s: string) => (s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : parseInt(s, 10)),
  }),
  new jsyaml.Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (s: string) =>
      /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s),
    construct: (s: string) =>
      /^[-+]?\./.test(s) && /[a-zA-Z]$/.test(s) ? (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity) : parseFloat(s),
  }),
];

const CORE_1_2 = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: coreTypes });

// The fast path takes only frontmatter written the plain way the templates
// show: `key: value` lines, lists, `|`/`>` blocks, one-line quoted strings
// and simple `{ a: b }` / `[a, b]` flows. Anything else (anchors, aliases,
// tags, directives, complex or null keys, tabs, multi-line quoted strings,
// odd whitespace, very long lines) goes to `yaml`. A generated-document test
// found the two libraries disagreeing on each of those; on this subset they
// agree (yaml-fast.test.ts).
const KEY = String.raw`[A-Za-z_][A-Za-z0-9_-]*`;
/**
 * A plain scalar: no leading indicator, no ": " or " #" inside, no ":" at
 * the end, and no trailing spaces (those belong to the line). Each step
 * can match only one way, so a line is checked in linear time: an earlier
 * lazy form took a second on 1 MB of lines with long runs of spaces.
 */
const PLAIN = String.raw`(?:-?[^\s\-?:,[\]{}#&*!|>'"%@\`](?:[^\s:#]|:(?=\S)|(?<=\S)#| +(?=[^\s#]))*)`;
const DOUBLE = String.raw`"(?:[^"\\]|\\[0abtnvfre "/\\N_LP]|\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4})*"`;
const SINGLE = String.raw`'(?:[^']|'')*'`;
const WORD = String.raw`[A-Za-z0-9_][A-Za-z0-9_.+-]*(?::[A-Za-z0-9_.+-]+)*`;
/** A key in a flow map; a null one (`{ null: x }`) is read as "null" by js-yaml and "" by `yaml`. */
const FLOW_KEY = String.raw`(?!(?:[Nn]ull|NULL):)${KEY}`;
const FLOW = String.raw`\{ *(?:${FLOW_KEY}: +${WORD}(?: *, *${FLOW_KEY}: +${WORD})*)? *\}|\[ *(?:${WORD}(?: *, *${WORD})*)? *\]`;
const VALUE = String.raw`(?:${DOUBLE}|${SINGLE}|${FLOW}|${PLAIN})`;
/** What may end a line: a comment after a space, or trailing spaces. */
const COMMENT = String.raw`(?: +#.*| *)`;
const ENTRY = new RegExp(String.raw`^( *(?:- +)*)${KEY}:(?: +${VALUE})?${COMMENT}$`);
const BLOCK = new RegExp(String.raw`^( *(?:- +)*)${KEY}: +[|>][-+]?${COMMENT}$`);
const ITEM = new RegExp(String.raw`^ *(?:- +)+${VALUE}${COMMENT}$`);
const CONTINUATION = new RegExp(String.raw`^ +${PLAIN} *$`);
const COMMENT_LINE = /^ *#.*$/;
/**
 * Tabs, control characters and the line breaks the two libraries treat
 * differently: js-yaml ends a line at a lone carriage return, `yaml` keeps it
 * in the text (`k: 1\r` is the number 1 to one and the text "1\r" to the other).
 */
const ODD_CHARACTERS = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]|\r(?!\n)/;
const NULL_WORDS = new Set(['~', 'null', 'Null', 'NULL']);

/** Whether every line of `text` is in the subset both libraries read alike. */
function isPlainFrontmatter(text: string): boolean {
  if (ODD_CHARACTERS.test(text)) return false;
  let blockIndent = -1;
  for (const line of text.split(/\r?\n/)) {
    if (line.length > 1000) return false;
    if (blockIndent >= 0) {
      if (line === '') continue;
      const indent = line.length - line.trimStart().length;
      if (indent > blockIndent) {
        if (line.trim() === '') return false;
        continue;
      }
      blockIndent = -1;
    }
    if (line === '' || COMMENT_LINE.test(line)) continue;
    const entry = BLOCK.exec(line) ?? ENTRY.exec(line);
    if (entry) {
      const indent = entry[1]!.length;
      if (NULL_WORDS.has(line.slice(indent, line.indexOf(':', indent)))) return false;
      if (BLOCK.test(line)) blockIndent = indent;
      continue;
    }
    if (ITEM.test(line) || CONTINUATION.test(line)) continue;
    return false;
  }
  return true;
}

/**
 * The frontmatter as plain data, or `undefined` when `yaml` must decide
 * (see above).
 * @param text the YAML between the `---` lines
 * @example loadYamlFast('title: Login failures\nimpact: minor') → { data: { title: 'Login failures', impact: 'minor' } }
 * @example loadYamlFast('title: &a x') → undefined (an anchor: `yaml` decides)
 */
export function loadYamlFast(text: string): { data: unknown } | undefined {
  if (!isPlainFrontmatter(text)) return undefined;
  try {
    // json: false makes a repeated key an error, as `uniqueKeys` does in `yaml`.
    // An empty document is null to `yaml`; js-yaml says undefined.
    return { data: jsyaml.load(text, { schema: CORE_1_2, json: false }) ?? null };
  } catch {
    return undefined;
  }
}
