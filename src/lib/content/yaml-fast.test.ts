import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { loadYamlFast } from './yaml-fast.ts';

/** What the `yaml` package (the reference) reads, or undefined when it reports an error. */
function reference(text: string): { data: unknown } | undefined {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  return doc.errors.length > 0 ? undefined : { data: doc.toJS({ maxAliasCount: 50 }) };
}

/** Whenever the fast path answers, `yaml` accepts the text too and reads the same values (NaN, -0 and key order included). */
function agrees(text: string): void {
  const fast = loadYamlFast(text);
  if (!fast) return;
  const ref = reference(text);
  expect(ref, `yaml refuses what js-yaml accepted:\n${text}`).toBeDefined();
  expect(isDeepStrictEqual(fast.data, ref!.data), `different values for:\n${text}\nfast: ${JSON.stringify(fast.data)}\nyaml: ${JSON.stringify(ref!.data)}`).toBe(true);
  expect(Object.keys(fast.data ?? {})).toEqual(Object.keys(ref!.data ?? {}));
}

// Plain scalars whose type depends on the schema: every one of them is read
// differently by at least one of YAML 1.1, js-yaml's CORE_SCHEMA and YAML 1.2 core.
const TRICKY_SCALARS = [
  '1_000', '0b101', '0o17', '017', '0x1F', '0X1F', '+12', '-0', '.5', '+.5', '-.5', '1e3', '1E3', '1e+3', '.inf', '-.Inf', '+.INF', '.NaN', '.nan', '1.', '0.',
  '0.1e-3', 'true', 'True', 'TRUE', 'tRue', 'yes', 'No', 'on', 'OFF', 'y', '~', 'null', 'Null', 'NULL', 'nULL', '2026-01-01', '2026-01-01T00:00:00Z',
  '2026-11-03T08:12', '12:30', '1:20:30', '=', '<<', '0', '00', '09', '0o8', '0xG', '1__0', '1,000', '123456789012345678901234567890', '1e400', '-1e400',
  'Q&A', 'down!', 'a # comment', 'a#b', 'x: y', '@mention', '`code`', '%percent', "it's", '"quoted"', 'tab\there', 'ünïcödé', '💥', '\u0085next', '\u2028sep',
];

const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);
const hostileChar = fc.constantFrom(...'ab :#-?[]{},&*!|>\'"%@`\t\\/.~0123456789eE+xoXO_'.split(''), '\u00e9', '\u2028', '\u0000', '\r', '\u00a0');
const hostileText = fc.array(hostileChar, { maxLength: 24 }).map((cs) => cs.join(''));

/** A scalar as YAML text, plain, quoted or as a block. */
const scalar: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...TRICKY_SCALARS),
  hostileText,
  word,
  hostileText.map((s) => JSON.stringify(s)),
  hostileText.map((s) => `'${s.replace(/'/g, "''")}'`),
  fc.tuple(fc.constantFrom('|', '>', '|-', '>+', '|2'), fc.array(hostileText, { minLength: 1, maxLength: 3 })).map(([h, lines]) => `${h}\n${lines.map((l) => `  ${l}`).join('\n')}`),
  fc.array(fc.constantFrom(...TRICKY_SCALARS), { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
  fc.array(fc.tuple(word, fc.constantFrom(...TRICKY_SCALARS)), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
);

const key = fc.oneof(word, fc.constantFrom('__proto__', 'constructor', '1', 'true', 'null', '~', '<<', 'a b', '"quoted key"', "'k'", '? complex', 'x'.repeat(1100), '-1', '0x10', '-0', '.NaN', '.inf', '0o17', '1e3', '.5', '+.5', 'True', '0.10', 'Null', '~', '', '"null"', '0b1'));

/** A frontmatter-like document: fields, lists of maps (like timeline updates), comments, odd indentation. */
const document: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.tuple(key, scalar).map(([k, v]) => `${k}: ${v}`),
      fc.tuple(key, fc.array(scalar, { minLength: 1, maxLength: 3 })).map(([k, vs]) => `${k}:\n${vs.map((v) => `  - ${v.replace(/\n/g, '\n    ')}`).join('\n')}`),
      fc.tuple(key, fc.array(fc.tuple(word, scalar), { minLength: 1, maxLength: 3 })).map(([k, kv]) => `${k}:\n  - ${kv.map(([a, v]) => `${a}: ${v.replace(/\n/g, '\n    ')}`).join('\n    ')}`),
      fc.constantFrom('# a comment', '', '   ', '\t', '  indented: 1', '- item', '---', '...', '%YAML 1.1', 'a: &x 1', 'b: *x', 'c: !!str 1', 'd: !custom x', 'e: !!binary aGk='),
    ),
    { maxLength: 8 },
  )
  .map((lines) => `\n${lines.join('\n')}\n`);

/** Prose as admins write it: words, digits, times, addresses and punctuation, but no YAML syntax of its own. */
const sentence = fc
  .array(fc.oneof(word, fc.constantFrom('2026-11-03T08:12:00Z', 'jabber.org', 'user@jabber.org', '99.9%', '5222', '(again)', 'it\'s', 'Q&A', 'down!', 'why?', 'a/b', 'x:y', 'C#', '1.5', 'true', 'null', '-'), hostileText.filter((t) => /^[a-z][a-z .]*$/.test(t))), { minLength: 1, maxLength: 12 })
  .map((ws) => ws.join(' ').trim())
  .filter((t) => t.length > 0);
const plainValue = fc.oneof(
  sentence,
  sentence.map((t) => JSON.stringify(t)),
  fc.constantFrom(...TRICKY_SCALARS).filter((v) => !/[\t\u0085\u2028]/.test(v)),
  fc.tuple(fc.constantFrom('|', '>', '|-', '>-'), fc.array(sentence, { minLength: 1, maxLength: 3 })).map(([h, ls]) => `${h}\n${ls.map((l) => `      ${l}`).join('\n')}`),
  fc.array(fc.tuple(word, word), { maxLength: 3 }).map((kv) => `{ ${kv.map(([k, v]) => `${k}: ${v}`).join(', ')} }`),
);
const plainDocument = fc
  .array(
    fc.oneof(
      fc.tuple(word, plainValue).map(([k, v]) => `${k}: ${v}`),
      // A long value folded over several lines, as editors wrap it.
      fc.tuple(word, sentence, fc.array(fc.oneof(sentence, fc.constantFrom('- b', '-1', '# not a comment?', 'a: b', '  deeper', '')), { minLength: 1, maxLength: 3 })).map(([k, v, more]) => `${k}: ${v}\n${more.map((m) => `  ${m}`).join('\n')}`),
      fc.constantFrom('# a comment', ''),
      fc.tuple(word, fc.array(fc.tuple(word, plainValue, word, plainValue), { minLength: 1, maxLength: 3 })).map(
        ([k, items]) => `${k}:\n${items.map(([a, v, b, w]) => `  - ${a}: ${v.replace(/\n {6}/g, '\n      ')}\n    ${b}: ${w}`).join('\n')}`,
      ),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((lines) => `\n${lines.join('\n')}\n`);

describe('the fast YAML path', () => {
  it('reads every tricky plain scalar exactly as the yaml package does, and leaves only the odd ones to it', () => {
    for (const v of TRICKY_SCALARS) agrees(`value: ${v}\n`);
    // These are declined by design (indicators, a tab, line separators); every other one is answered, so compared.
    expect(TRICKY_SCALARS.filter((v) => !loadYamlFast(`value: ${v}\n`))).toEqual(['x: y', '@mention', '`code`', '%percent', 'tab\there', '\u0085next', '\u2028sep']);
    // Sanity: the fast path does answer for these, so the comparison above means something.
    expect(loadYamlFast('value: 0b101\n')).toEqual({ data: { value: '0b101' } });
    expect(loadYamlFast('value: +.5\n')).toEqual({ data: { value: 0.5 } });
    expect(Object.is(loadYamlFast('value: -0\n')!.data && (loadYamlFast('value: -0\n')!.data as { value: number }).value, -0)).toBe(true);
    expect(loadYamlFast('value: 2026-11-03T08:12\n')).toEqual({ data: { value: '2026-11-03T08:12' } });
  });

  it('agrees with the yaml package on thousands of generated documents, hostile characters included', () => {
    let answered = 0;
    fc.assert(
      fc.property(document, (text) => {
        if (loadYamlFast(text)) answered++;
        agrees(text);
      }),
      { numRuns: 3000, seed: 16 },
    );
    // Enough documents must take the fast path, or the property above tests little.
    expect(answered).toBeGreaterThan(300);
  });

  it('agrees with the yaml package on generated frontmatter written the way admins write it, and answers for most of it', () => {
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(plainDocument, (text) => {
        runs++;
        if (loadYamlFast(text)) answered++;
        agrees(text);
      }),
      { numRuns: 2000, seed: 16 },
    );
    expect(answered / runs).toBeGreaterThan(0.5);
  });

  it('leaves anchors, aliases, tags and directives to the yaml package, which caps alias expansion', () => {
    const laughs = ['a: &a ["lol","lol"]', 'b: &b [*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b]', 'd: [*c,*c,*c,*c]'].join('\n');
    expect(loadYamlFast(laughs)).toBeUndefined();
    expect(loadYamlFast('title: !!str 1')).toBeUndefined();
    expect(loadYamlFast('%YAML 1.1\n---\nok: yes')).toBeUndefined();
    // Text that merely contains these characters still takes the fast path.
    expect(loadYamlFast('title: Q&A session, down! 5*3')).toEqual({ data: { title: 'Q&A session, down! 5*3' } });
  });

  it('reads what an outside attacker found read differently exactly as the yaml package does, or declines it', () => {
    // Each of these was once answered with other values than yaml's (review of issue 16's fast path).
    const found = [
      '', '\n',
      'a: { null: b }', '- { null: 1 }', '  - b: { Null: 2026-01-01 } # x', 'on: { a: 12:30, NULL: true }',
      'k: 1\r', 'k: true\r', 'k: -0\r', 'k: null\r', 'k: 1\r\r\n', '- x\r- y', 'k: a\r  b', "k: 'a\rb'", 'k: "a\rb"', '  e1: 0x10000000000000001\r\r\n',
    ];
    for (const text of found) agrees(text);
    expect(loadYamlFast('')).toEqual({ data: null });
    // CRLF files still take the fast path.
    expect(loadYamlFast('title: a\r\nimpact: minor\r\n')).toEqual({ data: { title: 'a', impact: 'minor' } });
    // Trailing spaces and comments still take it too.
    expect(loadYamlFast('title: a b   \nimpact: minor # the usual\n')).toEqual({ data: { title: 'a b', impact: 'minor' } });
  });

  it('declines what it cannot parse, so the yaml package reports the error with its line', () => {
    expect(loadYamlFast('title: a\ntitle: b\n')).toBeUndefined();
    expect(loadYamlFast('title: "unclosed\n')).toBeUndefined();
    expect(loadYamlFast('\tindented: 1\n')).toBeUndefined();
  });

  it('reads every frontmatter file of the sample site and its fixtures as the yaml package does', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith('.md')) files.push(full);
      }
    };
    for (const dir of ['content', 'incidents', 'tests/fixtures']) walk(join(import.meta.dirname, '..', '..', '..', dir));
    expect(files.length).toBeGreaterThan(20);
    let fast = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
      if (!m) continue;
      if (loadYamlFast(m[1]!)) fast++;
      agrees(m[1]!);
    }
    expect(fast).toBeGreaterThan(files.length / 2);
  });
});
