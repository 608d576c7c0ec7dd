/**
 * `npm run build [-- --outDir DIR]`: checks the content, then builds the site
 * into a temporary folder and moves it into place only when the whole build
 * succeeded (see src/lib/release/atomic-build-io.ts). Any other arguments go
 * to `astro build`.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAtomically } from '../src/lib/release/atomic-build-io.ts';

const { values, tokens } = parseArgs({ options: { outDir: { type: 'string', default: 'dist' } }, strict: false, tokens: true });
const passThrough = tokens.flatMap((t) =>
  t.kind === 'option' && t.name !== 'outDir' ? [t.rawName, ...(t.value !== undefined ? [t.value] : [])] : t.kind === 'positional' ? [t.value] : [],
);
const node = process.execPath;
process.exitCode = await buildAtomically({
  outDir: String(values.outDir),
  check: [node, join(import.meta.dirname, 'check.ts')],
  build: [node, join(import.meta.dirname, '..', 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build', ...passThrough],
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
});
