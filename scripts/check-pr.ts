/**
 * `npm run check:pr -- --base REF [--head REF]`: for CI on a pull request
 * from outside. An applicant's pull request may only add or change its own
 * `content/services/<domain>.md` (src/lib/directory/pr-scope.ts); anything
 * else is refused here and left to an admin's review (CODEOWNERS, README).
 * Run `npm run check` as well: it validates the file itself.
 *
 * Exit code 0 when the scope is right, 1 when it is not, 2 on a usage error.
 */
import { execFileSync } from 'node:child_process';
import { parseRawDiff, prScopeProblems } from '../src/lib/directory/pr-scope.ts';
import { parseCommand, usageErrorFor } from '../src/lib/shared/usage-io.ts';

const USAGE = `Usage: npm run check:pr -- --base REF [--head REF]

Checks that a pull request adds or changes only its own service file,
content/services/<domain>.md, between REF (the target branch, e.g.
origin/main) and --head (default HEAD).`;
const usageError: (message: string) => never = usageErrorFor(USAGE);
const { values } = parseCommand(USAGE, { options: { base: { type: 'string' }, head: { type: 'string', default: 'HEAD' } } });
if (!values.base) usageError('--base REF is required, e.g. --base origin/main');

let raw: string;
try {
  // base...head: what the pull request adds on top of where it branched off.
  raw = execFileSync('git', ['diff', '--raw', '-z', '--find-renames', `${values.base}...${values.head}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
} catch (err) {
  const stderr = String((err as { stderr?: unknown }).stderr ?? '')
    .trim()
    .split('\n')[0];
  usageError(`git cannot compare ${values.base} with ${values.head}${stderr ? ` (${stderr})` : ''}. Fetch the base branch first`);
}
const problems = prScopeProblems(parseRawDiff(raw));
if (problems.length === 0) {
  console.log('The pull request changes only its own service file. Run npm run check to validate it.');
} else {
  console.error(
    `${problems.join('\n')}\n\n${problems.length} problem${problems.length === 1 ? '' : 's'}: an application may only add or change its own content/services/<domain>.md.`,
  );
  process.exitCode = 1;
}
