/**
 * The import rules of `.dependency-cruiser.cjs` (explained in
 * src/lib/README.md), checked by dependency-cruiser itself over the real tree.
 *
 * dependency-cruiser does not read `.astro` files, so their frontmatter is
 * copied into a shadow tree as `.astro.ts` files (imports of other `.astro`
 * files rewritten to match) and cruised with the same rules: a page or
 * component cannot do what a `.ts` module may not.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const ROOT = process.cwd();
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const shadows: string[] = [];
afterAll(() => {
  for (const dir of shadows) rmSync(dir, { recursive: true, force: true });
});

function cruise(cwd: string, dirs: string[]): { code: number | null; output: string } {
  const run = spawnSync(DEPCRUISE, [...dirs, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Copies src/ with every .astro file turned into a .ts file of its frontmatter. */
function shadowTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'import-rules-'));
  shadows.push(dir);
  for (const f of ['.dependency-cruiser.cjs', 'tsconfig.json']) cpSync(join(ROOT, f), join(dir, f));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  for (const entry of readdirSync(join(dir, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.astro')) continue;
    const file = join(entry.parentPath, entry.name);
    const text = readFileSync(file, 'utf8');
    const frontmatter = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
    writeFileSync(`${file}.ts`, frontmatter.replace(/(from\s+['"][^'"]+\.astro)(['"])/g, '$1.ts$2'));
    rmSync(file);
  }
  return dir;
}

test('the TypeScript tree obeys every import rule', () => {
  const { code, output } = cruise(ROOT, ['src', 'scripts', 'bench', 'tests']);
  expect(output).toContain('no dependency violations found');
  expect(code, output).toBe(0);
});

test('the imports in every .astro file obey the same rules', () => {
  const dir = shadowTree();
  const { code, output } = cruise(dir, ['src']);
  // The shadow tree really holds the pages and components.
  expect(readdirSync(join(dir, 'src', 'components')).filter((f) => f.endsWith('.astro.ts')).length).toBeGreaterThan(5);
  expect(code, output).toBe(0);
});

test('a forbidden import fails the check and names the offending import', () => {
  const dir = shadowTree();
  const status = join(dir, 'src/lib/status/status.ts');
  writeFileSync(status, `import { readFileSync } from 'node:fs';\nimport { buildFeeds } from '../publish/feeds.ts';\n${readFileSync(status, 'utf8')}`);
  const component = join(dir, 'src/components/StateBadge.astro.ts');
  writeFileSync(component, `import { mergeProbes } from '../lib/monitoring/merge-probes.ts';\n${readFileSync(component, 'utf8')}`);
  const feeds = join(dir, 'src/lib/publish/feeds.ts');
  writeFileSync(feeds, `import { site } from '../../data.ts';\n${readFileSync(feeds, 'utf8')}`);
  const { code, output } = cruise(dir, ['src']);
  expect(code).not.toBe(0);
  const lines = output
    .split('\n')
    .filter((l) => l.includes('error '))
    .map((l) => l.trim());
  expect(lines).toEqual(
    expect.arrayContaining([
      'error pure-modules-do-no-io: src/lib/status/status.ts → fs',
      'error status-below-publish: src/lib/status/status.ts → src/lib/publish/feeds.ts',
      'error pages-read-status-only-through-status: src/components/StateBadge.astro.ts → src/lib/monitoring/merge-probes.ts',
      'error lib-is-not-astro: src/lib/publish/feeds.ts → src/data.ts',
    ]),
  );
  // The status → feeds → status loop is reported as a cycle too.
  expect(output).toContain('error no-cycles');
  expect(relative(dir, status)).toBe('src/lib/status/status.ts');
});
