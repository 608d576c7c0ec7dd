/**
 * Splits a Markdown file into frontmatter and body (gray-matter) and parses
 * the frontmatter with YAML 1.2 core rules, never with gray-matter's own
 * js-yaml settings: first through `yaml-fast.ts` (js-yaml with a schema that
 * has no timestamps, for plainly written frontmatter, 6.7 times faster),
 * otherwise with the `yaml` package, which is the reference for two reasons:
 * - YAML 1.2 keeps `2026-11-03T08:12` as text, so a timestamp without an
 *   offset can be rejected instead of silently read as UTC (js-yaml's
 *   default schema turns it into a Date and the missing offset is lost);
 * - it reports every syntax error with its line, and lets us map a field
 *   path back to the line it is on, so every problem says where to look.
 *
 * Frontmatter is data, never code: gray-matter can *evaluate* a block opened
 * with `---js` (or any language name), so the opening line must be a plain
 * `---`, checked before gray-matter sees the text, and every engine but ours
 * is replaced by one that refuses.
 *
 * Every string that comes out (fields and body) has its control characters
 * removed here, once, for every page and output (`shared/text.ts`).
 */
import matter from 'gray-matter';
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document, type Node } from 'yaml';
import type { Problem } from './problems.ts';
import { loadYamlFast } from './yaml-fast.ts';
import { quoteShort, stripControlChars, stripControlCharsDeep } from '../shared/text.ts';

/** The fix for yaml's most common error codes, in an admin's words. */
const YAML_HINTS: Record<string, string> = {
  BLOCK_AS_IMPLICIT_KEY: 'A value contains ": ". Put the whole value in double quotes',
  BAD_SCALAR_START: 'A value starts with a reserved character such as @ or `. Put the whole value in double quotes',
  MISSING_CHAR: 'A quote or bracket is not closed. Close it on the same line',
  DUPLICATE_KEY: 'A field appears twice. Keep one of them',
  BAD_INDENT: 'Indentation is off. Items of one list or group must start in the same column',
  TAB_AS_INDENT: 'Tabs cannot indent YAML. Use spaces',
};

export interface ParsedMarkdown {
  /** The frontmatter as plain data, e.g. `{ title: 'Login failures' }`. */
  data: unknown;
  /** The Markdown after the closing `---`. */
  body: string;
  /** 1-based line of a field path in the file, when it can be found. */
  locate: (path: readonly PropertyKey[]) => number | undefined;
}

/** Parses YAML text, returning data and a path → line lookup, or problems. */
export function parseYaml(file: string, text: string, lineOffset = 0): { data: unknown; locate: ParsedMarkdown['locate'] } | { problems: Problem[] } {
  // The fast path (yaml-fast.ts) gives the same data; `yaml` is asked only
  // for files it declines and, when a field has a problem, for its line.
  const fast = loadYamlFast(text);
  if (fast) {
    // Parsed by `yaml` at most once, however many problems ask for a line:
    // parsing it again per problem made a file with thousands of unknown
    // fields take minutes (found in review, issue 16).
    const document = once(() => parseYamlDocument(file, text, lineOffset));
    return {
      data: stripControlCharsDeep(fast.data),
      locate: (path) => {
        const parsed = document();
        return 'problems' in parsed ? undefined : parsed.locate(path);
      },
    };
  }
  return parseYamlDocument(file, text, lineOffset);
}

/** `compute()` on the first call, the same value on every later one. */
function once<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: compute() }).v;
}

/** `parseYaml` with the `yaml` package alone: every error with its line, and the path → line lookup. */
function parseYamlDocument(file: string, text: string, lineOffset: number): { data: unknown; locate: ParsedMarkdown['locate'] } | { problems: Problem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // yaml reports a misindented line as whatever it became ("A quote or
    // bracket is not closed", "Nested mappings…"); the indentation is named first (issue 22).
    const misindented = misindentedLine(text);
    const indentProblem: Problem[] =
      misindented === undefined
        ? []
        : [{ file, line: misindented.line + lineOffset, message: `YAML does not parse: this line is indented by ${misindented.spaces} spaces, which matches no line above it. Indent the fields of one group by the same number of spaces (spaces only), as on the lines around it` }];
    return {
      problems: [...indentProblem, ...doc.errors.map((err) => {
        const line = lineCounter.linePos(err.pos[0]).line + lineOffset;
        // The first line of yaml's message is the useful part; the rest is a code excerpt.
        // Capped: the message can quote the source, which must not be printed at length.
        const reason = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '').slice(0, 120);
        const hint = YAML_HINTS[err.code] ?? 'Check indentation, colons and quotes on this line and the one above';
        return { file, line, message: `YAML does not parse (${reason}). ${hint}` };
      })],
    };
  }
  const locate = (path: readonly PropertyKey[]): number | undefined => {
    const offset = findOffset(doc, path);
    return offset === undefined ? undefined : lineCounter.linePos(offset).line + lineOffset;
  };
  return { data: stripControlCharsDeep(doc.toJS({ maxAliasCount: 50 })), locate };
}

/**
 * The first line whose indentation fits no open block, e.g. a field indented
 * by 3 spaces among fields indented by 4, or undefined. Asked only when yaml
 * already found an error, so a guess here never turns valid YAML into a problem.
 * @returns the 1-based line and its indentation
 */
export function misindentedLine(text: string): { line: number; spaces: number } | undefined {
  // Columns where a block's entries start, outermost first.
  const open: number[] = [0];
  let opensBlock = true; // the previous line ended with "key:" or "-", so a deeper line is its child
  let scalarIndent: number | undefined; // inside a "|" or ">" block scalar: its key's indentation
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    if (scalarIndent !== undefined) {
      if (indent > scalarIndent) continue;
      scalarIndent = undefined;
    }
    while (open.length > 1 && open.at(-1)! > indent) open.pop();
    if (open.at(-1)! < indent) {
      if (!opensBlock) return { line: i + 1, spaces: indent };
      open.push(indent);
    }
    const content = raw.trimStart();
    // "- key: value": the item's fields continue two columns right of the dash.
    const dash = /^-\s+/.exec(content);
    if (dash) open.push(indent + dash[0].length);
    const rest = dash ? content.slice(dash[0].length) : content;
    opensBlock = /:\s*(#.*)?$/.test(rest) || /^-\s*$/.test(content);
    if (/:\s*[|>][-+0-9]*\s*(#.*)?$/.test(rest)) scalarIndent = indent;
  }
  return undefined;
}

/** Finds the source offset of the deepest node along `path` that exists. */
function findOffset(doc: Document, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0];
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === part);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (node && typeof node === 'object' && 'items' in node && typeof part === 'number') {
      const item = (node as { items: unknown[] }).items[part];
      if (!item) break;
      node = item;
      offset = (item as Node).range?.[0] ?? offset;
    } else break;
  }
  return offset;
}

/**
 * Parses a Markdown file with YAML frontmatter.
 * @param file path for messages, e.g. `incidents/2026/2026-11-03-login-failures.md`
 */
export function parseMarkdownFile(file: string, text: string): ParsedMarkdown | { problems: Problem[] } {
  const newline = text.indexOf('\n');
  const firstLine = (newline === -1 ? text : text.slice(0, newline)).replace(/\r$/, '');
  if (firstLine.startsWith('---') && firstLine.trimEnd() !== '---') {
    return {
      problems: [{ file, line: 1, message: `opens its frontmatter with ${quoteShort(firstLine, 20)}; only YAML after a plain "---" line is accepted (frontmatter is data, never code). Make the first line exactly "---"` }],
    };
  }
  let yamlText: string | undefined;
  const split = matter(text, {
    language: 'yaml',
    engines: {
      yaml: (s: string) => {
        yamlText = s;
        return {};
      },
      // Never reachable after the check above; here so that no change to it
      // can ever hand a file to gray-matter's eval-based engines.
      javascript: REFUSE,
      js: REFUSE,
      coffee: REFUSE,
      json: REFUSE,
      toml: REFUSE,
    },
  });
  if (yamlText === undefined) {
    return {
      problems: [{ file, line: 1, message: 'has no frontmatter. Start the file with a line "---", the fields, then another "---" (see the _template.md next to it)' }],
    };
  }
  // gray-matter hands over the text from just after the opening "---",
  // starting with that line's newline, so YAML line N is file line N.
  const parsed = parseYaml(file, yamlText);
  if ('problems' in parsed) return parsed;
  if (parsed.data === null || typeof parsed.data !== 'object' || Array.isArray(parsed.data)) {
    return { problems: [{ file, line: 2, message: 'frontmatter must be a set of "field: value" lines' }] };
  }
  return { data: parsed.data, body: stripControlChars(split.content), locate: parsed.locate };
}

const REFUSE = (): never => {
  throw new Error('only YAML frontmatter is accepted');
};

/**
 * Bump when parsing changes what `parseMarkdownFile` returns for the same
 * text (a new rule here, a `yaml` upgrade that reads values differently):
 * stored results of the old version are then ignored.
 */
export const PARSE_VERSION = 3;

/** What a parse yields that can be kept between builds: the data and the body (the line lookup is rebuilt on demand). */
export interface StoredParse {
  data: unknown;
  body: string;
}

/** Parse results kept between builds, looked up by the file's exact text (see load-content-io.ts). */
export interface ParseCache {
  get(text: string): StoredParse | undefined;
  set(text: string, value: StoredParse): void;
}

/**
 * `parseMarkdownFile` through a cache: a file whose text was parsed before
 * is not parsed again; only if one of its fields then has a problem is it
 * parsed again, to find the problem's line. Files that do not parse are
 * never stored, so their problems are always reported fresh.
 */
export function parseMarkdownFileCached(file: string, text: string, cache: ParseCache | undefined): ParsedMarkdown | { problems: Problem[] } {
  const hit = cache?.get(text);
  if (hit) {
    const again = once(() => parseMarkdownFile(file, text));
    return {
      data: hit.data,
      body: hit.body,
      locate: (path) => {
        const parsed = again();
        return 'problems' in parsed ? undefined : parsed.locate(path);
      },
    };
  }
  const parsed = parseMarkdownFile(file, text);
  if (!('problems' in parsed)) cache?.set(text, { data: parsed.data, body: parsed.body });
  return parsed;
}
