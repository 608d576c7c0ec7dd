/**
 * deploy/install.sh as root against a temporary prefix (issue 25): every
 * role at once, run twice (the second run changes nothing), every unit
 * passes `systemd-analyze verify`, and nginx -t passes on the HTTP bootstrap
 * (no certificate yet) and on the HTTPS configuration (once one exists).
 * Skipped, saying so, when not root: the script creates a user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { requireTools, TOOLS } from './helpers/system-tools.ts';
import { selfSignedCert } from './helpers/self-signed.ts';

const isRoot = process.getuid?.() === 0;
const prefix = mkdtempSync(join(tmpdir(), 'install-prefix-'));
// The service user must reach its folders, as under /.
chmodSync(prefix, 0o755);
const user = `jst${process.pid % 100000}`;
const domain = 'status.install.test';

function install(): { code: number | null; output: string } {
  const r = spawnSync('sh', ['deploy/install.sh', '--role', 'all', '--prefix', prefix, '--user', user, '--domain', domain, '--skip-npm'], { encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** nginx -t over the installed site, with a main file standing in for Debian's. */
function nginxTest(): { code: number | null; output: string } {
  const conf = join(prefix, 'etc/nginx/nginx.conf');
  mkdirSync(join(prefix, 'etc/nginx/logs'), { recursive: true });
  writeFileSync(
    conf,
    `load_module ${TOOLS.nginxBrotli.path};\npid ${join(prefix, 'nginx.pid')};\nerror_log ${join(prefix, 'etc/nginx/logs/error.log')};\nevents {}\nhttp {\n  include sites-enabled/*;\n}\n`,
  );
  const r = spawnSync(TOOLS.nginx.path, ['-t', '-p', join(prefix, 'etc/nginx'), '-c', conf, '-e', join(prefix, 'etc/nginx/logs/error.log')], {
    encoding: 'utf8',
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

afterAll(() => {
  if (!isRoot) return;
  spawnSync('userdel', [user]);
  spawnSync('groupdel', [user]);
  rmSync(prefix, { recursive: true, force: true });
});

describe.skipIf(!isRoot)('deploy/install.sh --role all (as root, into a temporary prefix)', () => {
  test('makes the user, folders, repository with its hook, env files and units, and says what is left', () => {
    requireTools([TOOLS.nginx, TOOLS.nginxBrotli]);
    const result = install();
    expect(result.code, result.output).toBe(0);
    expect(spawnSync('id', ['-u', user]).status).toBe(0);
    expect((statSync(join(prefix, 'var/lib/jabber-status')).mode & 0o7777).toString(8)).toBe('2775');
    expect(existsSync(join(prefix, 'srv/jabber-status/content.git/hooks/post-receive'))).toBe(true);
    expect(existsSync(join(prefix, 'srv/jabber-status/app/.git'))).toBe(true);
    expect(statSync(join(prefix, 'srv/jabber-status/site')).uid).toBe(Number(execFileSync('id', ['-u', user], { encoding: 'utf8' })));
    // Every secret named, none filled in, readable by the group only.
    const alertEnv = readFileSync(join(prefix, 'etc/jabber-status/alert.env'), 'utf8');
    for (const name of ['ALERT_XMPP_JID', 'ALERT_XMPP_PASSWORD', 'ALERT_XMPP_TO', 'ALERT_SMTP_URL', 'ALERT_MAIL_TO', 'ALERT_WEBHOOK_URL'])
      expect(alertEnv).toMatch(new RegExp(`^${name}=$`, 'm'));
    expect((statSync(join(prefix, 'etc/jabber-status/notify.env')).mode & 0o777).toString(8)).toBe('640');
    // The watcher that publishes as soon as a summary changes (issue 28), with the timer as its safety net.
    expect(readdirSync(join(prefix, 'etc/systemd/system')).sort()).toEqual([
      'jabber-status-contact.service',
      'jabber-status-follow.service',
      'jabber-status-probe-services.service',
      'jabber-status-probe-services.timer',
      'jabber-status-probe.service',
      'jabber-status-probe.timer',
      'jabber-status-publish.path',
      'jabber-status-publish.service',
      'jabber-status-publish.timer',
    ]);
    expect(result.output).toContain(`certbot certonly --webroot -w /var/www/letsencrypt -d ${domain}`);
    expect(result.output).toContain('npm run site:empty');
  }, 120_000);

  test('a second run changes nothing and never overwrites a secret', () => {
    writeFileSync(join(prefix, 'etc/jabber-status/alert.env'), 'ALERT_WEBHOOK_URL=https://hooks.example.net/x\n');
    const result = install();
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toMatch(/created|wrote|cloned/);
    expect(readFileSync(join(prefix, 'etc/jabber-status/alert.env'), 'utf8')).toBe('ALERT_WEBHOOK_URL=https://hooks.example.net/x\n');
    expect(result.output).not.toContain('set at least one alert path');
  }, 120_000);

  test('a push by any member of the group can write the trigger, and the hook says what happens if the check fails', () => {
    const trigger = join(prefix, 'var/lib/jabber-status/publish-now');
    expect((statSync(trigger).mode & 0o777).toString(8)).toBe('664');
    const hook = spawnSync('runuser', ['-u', user, '--', 'sh', join(prefix, 'srv/jabber-status/content.git/hooks/post-receive')], {
      input: 'a b refs/heads/main\n',
      encoding: 'utf8',
    });
    expect(hook.status, hook.stderr).toBe(0);
    expect(hook.stdout).toContain('the page keeps showing the last good commit');
    expect(readFileSync(trigger, 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  test('every unit passes systemd-analyze verify', () => {
    const units = readdirSync(join(prefix, 'etc/systemd/system')).map((u) => join(prefix, 'etc/systemd/system', u));
    const r = spawnSync('systemd-analyze', ['verify', ...units], { encoding: 'utf8' });
    // Only problems with the units themselves count, not the host's other units.
    // (Node itself comes with npm ci, which --skip-npm leaves out: its absence is the one expected line.)
    const own = `${r.stdout}${r.stderr}`
      .split('\n')
      .filter((l) => l.includes('jabber-status') && !/Command \/srv\/jabber-status\/app\/node_modules\/\.bin\/node is not executable/.test(l));
    expect(own, own.join('\n')).toEqual([]);
  }, 60_000);

  test('nginx -t passes on the HTTP bootstrap, and on HTTPS once the certificate exists', () => {
    expect(readFileSync(join(prefix, `etc/nginx/sites-available/${domain}`), 'utf8')).toContain('The live release, over HTTP until the certificate is there.');
    const bootstrap = nginxTest();
    expect(bootstrap.code, bootstrap.output).toBe(0);
    const live = join(prefix, `etc/letsencrypt/live/${domain}`);
    mkdirSync(live, { recursive: true });
    selfSignedCert(join(live, 'privkey.pem'), join(live, 'fullchain.pem'), `/CN=${domain}`, `DNS:${domain}`);
    const again = install();
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('status.jabber.org.conf as sites-available');
    expect(again.output).not.toContain('certbot certonly');
    const https = nginxTest();
    expect(https.code, https.output).toBe(0);
    expect(readFileSync(join(prefix, `etc/nginx/sites-available/${domain}`), 'utf8')).toContain(
      `ssl_certificate ${prefix}/etc/letsencrypt/live/${domain}/fullchain.pem;`,
    );
  }, 60_000);
});

describe.skipIf(!isRoot)('deploy/install.sh --role probe alone (a probe host apart from the build host)', () => {
  const probePrefix = mkdtempSync(join(tmpdir(), 'install-probe-'));
  const probeUser = `jsp${process.pid % 100000}`;
  const repo = mkdtempSync(join(tmpdir(), 'install-probe-repo-'));
  afterAll(() => {
    spawnSync('userdel', [probeUser]);
    spawnSync('groupdel', [probeUser]);
    for (const d of [probePrefix, repo]) rmSync(d, { recursive: true, force: true });
  });

  test('checks out the content repository for the units to run, installs the probe units only, and says how to publish the summaries', () => {
    chmodSync(probePrefix, 0o755);
    chmodSync(repo, 0o755);
    // The content repository as the build host serves it: a bare clone of this project.
    execFileSync('git', ['clone', '--quiet', '--bare', '--no-hardlinks', '.', join(repo, 'content.git')]);
    execFileSync('chmod', ['-R', 'a+rX', repo]);
    // A local path owned by root stands in for the build host's ssh:// address; git would call it "dubious" for the service user.
    // (A system config file: git drops GIT_CONFIG_COUNT for the local upload-pack.)
    writeFileSync(join(repo, 'gitconfig'), '[safe]\n\tdirectory = *\n');
    const env = { ...process.env, GIT_CONFIG_SYSTEM: join(repo, 'gitconfig') };
    const r = spawnSync(
      'sh',
      [
        'deploy/install.sh',
        '--role',
        'probe',
        '--prefix',
        probePrefix,
        '--user',
        probeUser,
        '--skip-npm',
        '--repo',
        join(repo, 'content.git'),
        '--probe-offset',
        '20',
      ],
      { encoding: 'utf8', env },
    );
    const output = `${r.stdout}${r.stderr}`;
    expect(r.status, output).toBe(0);
    // Before, a probe-only host had no checkout: the units' WorkingDirectory did not exist.
    expect(existsSync(join(probePrefix, 'srv/jabber-status/app/package.json'))).toBe(true);
    expect(statSync(join(probePrefix, 'srv/jabber-status/app')).uid).toBe(Number(execFileSync('id', ['-u', probeUser], { encoding: 'utf8' })));
    expect(readdirSync(join(probePrefix, 'etc/systemd/system')).sort()).toEqual([
      'jabber-status-probe-services.service',
      'jabber-status-probe-services.timer',
      'jabber-status-probe.service',
      'jabber-status-probe.timer',
      'jabber-status-probe.timer.d',
    ]);
    // Staggered locations (issue 28): this one probes 20 s past each minute, by a drop-in over the shipped timer.
    const dropIn = readFileSync(join(probePrefix, 'etc/systemd/system/jabber-status-probe.timer.d/offset.conf'), 'utf8');
    expect(dropIn).toContain('[Timer]\nOnCalendar=\nOnCalendar=*-*-* *:*:20\n');
    expect(spawnSync('systemd-analyze', ['calendar', '*-*-* *:*:20']).status).toBe(0);
    expect(existsSync(join(probePrefix, 'srv/jabber-status/content.git'))).toBe(false);
    expect(output).toContain('deploy/nginx/probe-summary.conf');
  }, 120_000);

  test('an offset outside the minute is refused with the fix, exit 2', () => {
    const r = spawnSync('sh', ['deploy/install.sh', '--role', 'probe', '--prefix', probePrefix, '--user', probeUser, '--skip-npm', '--probe-offset', '75'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatchInlineSnapshot(`
      "install.sh: --probe-offset must be a whole number of seconds from 0 to 59 (e.g. 20 for the second of three locations), got "75"
      "
    `);
  });

  test('a repository it cannot clone is one sentence with the fix and exit 1', () => {
    rmSync(join(probePrefix, 'srv/jabber-status/app'), { recursive: true, force: true });
    const r = spawnSync(
      'sh',
      ['deploy/install.sh', '--role', 'probe', '--prefix', probePrefix, '--user', probeUser, '--skip-npm', '--repo', join(repo, 'missing.git')],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`could not clone ${join(repo, 'missing.git')}`);
    expect(r.stderr).toContain("Give the content repository's address with --repo URL");
  }, 60_000);
});

test.runIf(!isRoot)('the install test needs root (it creates a user): skipped', () => {
  expect(isRoot).toBe(false);
});
