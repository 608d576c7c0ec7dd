import { describe, expect, test } from 'vitest';
import { failureSentence, fsFailure, wrongUserSentence } from './failure-text.ts';

const ctx = { target: '/srv/jabber-status/site', doing: 'precompressing release 20261121T120000Z-42', live: '20261121T115900Z-41', user: 'jabber-status' };

describe('a failed publish is one sentence with its fix', () => {
  test('a full disk says so, that the unfinished release is gone, what readers get and how to fix it', () => {
    const err = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      path: '/srv/jabber-status/site/releases/20261121T120000Z-42/index.html.br',
    });
    expect(failureSentence(fsFailure(err), ctx)).toMatchInlineSnapshot(
      `"The disk holding /srv/jabber-status/site is full (while precompressing release 20261121T120000Z-42); the unfinished release was removed and readers still get release 20261121T115900Z-41. Free space (see df -h /srv/jabber-status/site) and publish again."`,
    );
  });

  test('a release owned by another user names the path, the owner and the chown', () => {
    const err = Object.assign(new Error('EACCES: permission denied, rmdir'), {
      code: 'EACCES',
      path: '/srv/jabber-status/site/releases/20261121T100000Z-7/_astro',
    });
    expect(failureSentence(fsFailure(err), { ...ctx, doing: 'removing old releases', owner: 'root' })).toMatchInlineSnapshot(
      `"/srv/jabber-status/site/releases/20261121T100000Z-7/_astro cannot be changed by jabber-status (it belongs to root) (while removing old releases); readers still get release 20261121T115900Z-41. Publish as the owner of /srv/jabber-status/site only, and give back what another user made: chown -R jabber-status /srv/jabber-status/site."`,
    );
  });

  test('a missing folder names it and the install script', () => {
    const err = Object.assign(new Error('ENOENT'), { code: 'ENOENT', path: '/srv/jabber-status/site/releases' });
    expect(failureSentence(fsFailure(err), { ...ctx, live: undefined, doing: 'making the release folder' })).toBe(
      '/srv/jabber-status/site/releases does not exist (while making the release folder); nothing was live yet. Create the folder (deploy/install.sh makes every folder the site needs) and publish again.',
    );
  });

  test('anything else still names its code and path, never a stack', () => {
    const err = Object.assign(new Error('EIO: i/o error, write\n    at Object.writeSync'), { code: 'EIO', path: '/x' });
    const text = failureSentence(fsFailure(err), ctx);
    expect(text).toBe('Publishing failed while precompressing release 20261121T120000Z-42: EIO on /x; readers still get release 20261121T115900Z-41.');
    expect(fsFailure(new Error('boom\n    at line')).message).toBe('boom');
  });

  test("running as another user than the site folder's owner is refused in one line", () => {
    expect(wrongUserSentence('/srv/jabber-status/site', 'jabber-status', 'root', 'npm run publish -- --to /srv/jabber-status/site')).toMatchInlineSnapshot(
      `"/srv/jabber-status/site belongs to jabber-status, but this runs as root: files it made would belong to root, and later publishes could not remove them. Run it as jabber-status: sudo -u jabber-status npm run publish -- --to /srv/jabber-status/site"`,
    );
  });
});
