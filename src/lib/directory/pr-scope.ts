/**
 * What an applicant's pull request may change (issue 22): only its own
 * service file, `content/services/<domain>.md`. Everything else (code,
 * workflows, other services' files, the directory's settings, the site's
 * content) is an admin's change, guarded by CODEOWNERS review (README,
 * "The public IM-service directory"). `npm run check:pr` applies this rule
 * to `git diff --raw` between the pull request's base and its head.
 */

/** One changed path as `git diff --raw` reports it. */
export interface ChangedPath {
  /** `A` added, `M` modified, `D` deleted, `R` renamed, `C` copied, `T` type changed. */
  status: string;
  /** The path in the head, e.g. `content/services/chat.example.net.md`. */
  path: string;
  /** The path in the base, for renames and copies. */
  from?: string;
  /** Git file mode in the head, e.g. `100644`; `120000` is a symbolic link. */
  mode: string;
}

const SERVICE_FILE = /^content\/services\/([a-z0-9][a-z0-9.-]*[a-z0-9])\.md$/;

/**
 * Problems with the pull request's scope, one sentence each with the fix; empty when it is an applicant's PR as allowed.
 * @example prScopeProblems([{ status: 'A', path: 'content/services/chat.example.net.md', mode: '100644' }]) // []
 */
export function prScopeProblems(changes: readonly ChangedPath[]): string[] {
  const problems: string[] = [];
  if (changes.length === 0)
    return ['The pull request changes nothing. Add your service file, content/services/<your domain>.md (npm run new:service -- <your domain>)'];
  for (const c of changes) {
    const service = SERVICE_FILE.exec(c.path);
    if (!service || c.path === 'content/services/_template.md') {
      problems.push(
        `${c.path}: an application may only add or change its own content/services/<domain>.md; this file needs a jabber.org admin. Remove the change from the pull request`,
      );
      continue;
    }
    if (c.status.startsWith('D'))
      problems.push(`${c.path}: an application may not delete a service file. Ask the jabber.org admins to withdraw a service (the "withdrawn" field)`);
    else if (c.status.startsWith('R') || c.status.startsWith('C'))
      problems.push(`${c.path}: renamed or copied from ${c.from ?? 'another file'}; an application adds or changes one file under its own name`);
    else if (c.mode === '120000') problems.push(`${c.path}: is a symbolic link; commit the file itself`);
    else if (c.mode !== '100644' && c.mode !== '100755') problems.push(`${c.path}: is not a regular file (git mode ${c.mode}); commit a plain Markdown file`);
  }
  const services = new Set(changes.filter((c) => SERVICE_FILE.test(c.path)).map((c) => c.path));
  if (services.size > 1)
    problems.push(
      `The pull request changes ${services.size} service files (${[...services].sort().join(', ')}); an application covers one service. Open one pull request per service`,
    );
  return problems;
}

/**
 * Parses `git diff --raw -z --no-renames? …` output: `:<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0[<path>\0]`.
 */
export function parseRawDiff(raw: string): ChangedPath[] {
  const parts = raw.split('\0');
  const out: ChangedPath[] = [];
  for (let i = 0; i < parts.length; i++) {
    const head = parts[i]!;
    if (!head.startsWith(':')) continue;
    const [, mode = '', , , status = ''] = head.slice(1).split(' ');
    if (status.startsWith('R') || status.startsWith('C')) {
      out.push({ status, from: parts[i + 1]!, path: parts[i + 2]!, mode });
      i += 2;
    } else {
      out.push({ status, path: parts[i + 1]!, mode });
      i += 1;
    }
  }
  return out;
}
