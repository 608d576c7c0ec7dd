/**
 * Finds calls that pass an array's elements as arguments: `f(...xs)`,
 * `new F(...xs)` and `f.apply(thisArg, xs)`. Each element becomes an
 * argument on the stack, and V8 throws "Maximum call stack size exceeded"
 * somewhere past 100,000 of them (issue 16: `Math.max(...times)` over 170,603
 * timestamps killed the build). Array literals (`[...a, ...b]`), object
 * spreads and JSX spread attributes copy element by element and are fine.
 *
 * A call is accepted when one of its lines, or the line above it, carries a comment
 * `bounded: <why>` (at least ten characters of reason), e.g.
 * `Math.max(...ds.map((d) => d.p95)) // bounded: one entry per probe location`.
 *
 * .astro files go through Astro's own compiler (oxc inside), which parses
 * the frontmatter and the expressions in the template; .ts files through
 * oxc-parser, the same parser on its own.
 */
import { parse } from '@astrojs/compiler-rs';
import { parseSync } from 'oxc-parser';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface SpreadCall {
  /** e.g. `src/lib/publish/statuspage-api.ts` */
  file: string;
  /** 1-based. */
  line: number;
  /** The call's source, cut at 120 characters. */
  code: string;
}

const JUSTIFIED = /(?:\/\/|\/\*)\s*bounded:\s*\S.{9,}/;

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';

/** The calls in `text` that spread an array into their arguments without a `bounded:` note. */
export function findSpreadCalls(text: string, file: string): SpreadCall[] {
  const astro = file.endsWith('.astro');
  const source = text;
  const shift = 0;
  let ast: unknown;
  let errors: string[];
  if (astro) {
    const parsed = parse(source);
    ast = parsed.ast;
    errors = parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => d.text);
  } else {
    // TypeScript goes through oxc's own parser: read as an Astro component's
    // frontmatter (as before), a multi-line template literal after a
    // formatter's wrapping did not parse.
    const parsed = parseSync(file, source);
    ast = parsed.program;
    errors = parsed.errors.map((e) => e.message);
  }
  // A file the scanner cannot read must fail the check, not pass it unseen.
  if (errors.length > 0) throw new Error(`${file}: cannot parse (${errors.join('; ')})`);
  const lines = text.split('\n');
  const lineOf = (offset: number) => text.slice(0, offset - shift).split('\n').length;
  const found: SpreadCall[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    if (isNode(node) && (node.type === 'CallExpression' || node.type === 'NewExpression')) {
      const args = (node.arguments as Node[] | undefined) ?? [];
      const spread = args.find((a) => a.type === 'SpreadElement');
      const callee = node.callee as Node;
      const apply =
        node.type === 'CallExpression' &&
        callee.type === 'MemberExpression' &&
        (callee.property as Node).type === 'Identifier' &&
        (callee.property as { name: string }).name === 'apply' &&
        args.length === 2;
      const at = spread ?? (apply ? args[1] : undefined);
      if (at) {
        const line = lineOf(at.start);
        // The note may be on the line above the call or on any line of it: a
        // formatter (prettier) that wraps a long call moves a trailing
        // comment to the call's last line.
        const first = lineOf(node.start) - 1;
        const last = lineOf(node.end);
        if (!lines.slice(Math.max(0, first - 1), last).some((l) => JUSTIFIED.test(l))) {
          found.push({ file, line, code: source.slice(node.start, node.end).replace(/\s+/g, ' ').slice(0, 120) });
        }
      }
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(ast);
  return found;
}

const SOURCE = /\.(ts|mts|js|mjs|astro)$/;

/**
 * Every unjustified spread call in the source files below `dirs` (relative to
 * `root`). Test files are left out: their arrays are fixtures of known size.
 */
export function findSpreadCallsInTree(root: string, dirs: readonly string[]): { files: number; calls: SpreadCall[] } {
  let files = 0;
  const calls: SpreadCall[] = [];
  for (const dir of dirs) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !SOURCE.test(entry.name) || /\.test\.ts$|\.d\.ts$/.test(entry.name)) continue;
      const abs = join(entry.parentPath, entry.name);
      files++;
      for (const call of findSpreadCalls(readFileSync(abs, 'utf8'), relative(root, abs).split(sep).join('/'))) calls.push(call);
    }
  }
  return { files, calls };
}
