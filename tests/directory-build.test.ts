/**
 * The directory's pages, API and feed, built by the real build from the
 * sample services (one per state) at the sample's "now" (issue 17).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseFeed } from '@rowanmanning/feed-parser';
import { buildSite, pageText, type BuildResult } from './helpers/build-site.ts';

let sample: BuildResult;
beforeAll(() => {
  sample = buildSite();
  if (sample.code !== 0) throw new Error(sample.output);
}, 240_000);

describe('/services/', () => {
  test('lists the listed services for people choosing where to register, then those in testing, failing and withdrawn', () => {
    const text = pageText(sample.outDir, 'services/index.html');
    const order = [
      'Listed services',
      'Example Chat (chat.sample.jabber.org)',
      'Example IM (im.sample.jabber.org)',
      'In testing',
      'XMPP Example (xmpp.sample.jabber.org)',
      'Failing the policy',
      'Withdrawn',
      'Old Example (old.sample.jabber.org)',
    ];
    const positions = order.map((s) => text.indexOf(s));
    expect(
      positions.every((p) => p >= 0),
      text,
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('Example Chat (chat.sample.jabber.org) Amsterdam, Netherlands · register in your XMPP app · 100% uptime (30 days)');
    expect(text).toContain('Example IM (im.sample.jabber.org) Montreal, Canada · register on the website · 99.94% uptime (30 days)');
    expect(text).toContain('In its testing period: 14 days of monitoring data still needed');
    expect(text).toContain('Sample data: these services and their monitoring figures are made up');
  });
});

describe('a service page', () => {
  test('says a failing service fails item 1 because its certificate is self-signed, since when, and how to fix it', () => {
    const text = pageText(sample.outDir, 'services/talk.sample.jabber.org/index.html');
    expect(text).toContain('Failing the policy. Failing since 2026-11-17 08:00 UTC: item 1 (TLS with a trusted certificate) since 2026-11-10 08:00 UTC');
    expect(text).toContain('TLS with a trusted certificate: ✕ Fail self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT) (client STARTTLS from ams, fra, nyc;');
    expect(text).toContain('How to fix: Serve a certificate from a recognized CA');
    expect(text).toContain(
      'c2s-starttls from ams, 2026-11-21 11:55 UTC, xmpp.talk.sample.jabber.org:5222: failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
    );
    // Issue 27: one summary first, and each certificate once with every check and location that saw it (was nine near-identical lines).
    expect(text).toContain('3 of 9 items fail; first fix: Serve a certificate from a recognized CA');
    expect(text).toContain('Then run npm run policy -- talk.sample.jabber.org again to see the result at once.');
    expect(text).toContain(
      'Certificates Client direct TLS from ams, fra, nyc; Client STARTTLS from ams, fra, nyc; Server-to-server from ams, fra, nyc: issued by talk.sample.jabber.org, valid until 2027-01-20 (60 days left), not trusted, names the domain (DNS-ID). Fingerprints, keys and names, port by port',
    );
    expect(text).toContain('2026-11-17 08:00 UTC: Listed → Failing the policy');
  });

  test('shows the checklist with unknowns explained, the uptime history and the phone verification date', () => {
    const text = pageText(sample.outDir, 'services/chat.sample.jabber.org/index.html');
    expect(text).toContain('Listed. Listed since 2026-09-22.');
    expect(text).toContain('Add-on services can be probed: ? Unknown service discovery was not probed');
    expect(text).toContain('Verified by telephone: ✓ Pass not automated: a jabber.org admin verified it by telephone on 2026-08-27 (not automated)');
    expect(text).toContain('The last 90 days');
  });

  test('a service in testing says how many days of data it still needs', () => {
    expect(pageText(sample.outDir, 'services/xmpp.sample.jabber.org/index.html')).toContain(
      '99.9% uptime: ? Unknown in the testing period: 16 of 30 days of data (14 to go)',
    );
  });
});

test('the policy page is generated from the policy module, non-automated items marked', () => {
  const text = pageText(sample.outDir, 'services/policy/index.html');
  expect(text).toContain('TLS with a trusted certificate Connections are encrypted with TLS');
  expect(text).toContain(
    'Verified by telephone jabber.org may verify the administrator or hosting organisation by telephone. No probe can do this: a jabber.org admin records the date in the service’s file. Not automated: recorded by a jabber.org admin.',
  );
  expect(text).toContain('more than 7 days');
  expect(pageText(sample.outDir, 'services/apply/index.html')).toContain('npm run new:service -- YOUR-DOMAIN');
});

test('with repository: in site.yaml, the apply page says where to clone and where to open the pull request (issue 27)', () => {
  const root = mkdtempSync(join(tmpdir(), 'apply-'));
  for (const dir of ['content', 'incidents']) cpSync(dir, join(root, dir), { recursive: true });
  const yaml = readFileSync('content/site.yaml', 'utf8').replace(
    '# repository: https://git.example.org/status\n',
    'repository: https://git.example.org/status\n',
  );
  if (!yaml.includes('\nrepository: ')) throw new Error('content/site.yaml no longer has the commented repository line; update this test');
  writeFileSync(join(root, 'content/site.yaml'), yaml);
  const built = buildSite({ contentRoot: root });
  expect(built.code, built.output).toBe(0);
  const text = pageText(built.outDir, 'services/apply/index.html');
  expect(text).toContain('git clone https://git.example.org/status cd status npm install npm run policy -- YOUR-DOMAIN');
  expect(text).toContain('Open a pull request with that one file, at https://git.example.org/status.');
  // Without it (the sample), no address is made up.
  expect(pageText(sample.outDir, 'services/apply/index.html')).not.toContain('git clone');
}, 240_000);

test("/api/services.json has each service's state and checklist", () => {
  const api = JSON.parse(readFileSync(join(sample.outDir, 'api/services.json'), 'utf8'));
  expect(api.policy.map((p: { id: string }) => p.id)).toEqual(['tls', 'c2s', 's2s', 'website', 'registration', 'addons', 'uptime', 'administrator', 'phone']);
  const talk = api.services.find((s: { domain: string }) => s.domain === 'talk.sample.jabber.org');
  expect(talk).toMatchObject({ state: 'failing', state_since: '2026-11-17T08:00:00Z', page: 'https://status.jabber.org/services/talk.sample.jabber.org/' });
  expect(talk.failing).toEqual([
    { item: 'tls', since: '2026-11-10T08:00:00Z' },
    { item: 'registration', since: '2026-11-10T08:00:00Z' },
    { item: 'uptime', since: '2026-11-10T08:43:12Z' },
  ]);
  expect(talk.checklist[0]).toMatchObject({ item: 'tls', verdict: 'fail' });
  expect(api.services.map((s: { state: string }) => s.state).sort()).toEqual(['failing', 'failing', 'listed', 'listed', 'testing', 'withdrawn']);
});

test('the feed has an entry for every change of state, with stable ids', async () => {
  const feed = parseFeed(readFileSync(join(sample.outDir, 'services/changes.atom'), 'utf8'));
  const titles = feed.items.map((i) => i.title);
  expect(titles).toEqual(
    expect.arrayContaining([
      'talk.sample.jabber.org: failing',
      'old.sample.jabber.org: withdrawn',
      'xmpp.sample.jabber.org: applied, testing',
      'jabber-fr.sample.jabber.org: failing',
    ]),
  );
  expect(feed.items.find((i) => i.title === 'talk.sample.jabber.org: failing')!.id).toBe(
    'tag:status.jabber.org,2026-11-17:service/talk.sample.jabber.org/2026-11-17T08:00:00Z',
  );
  expect(existsSync(join(sample.outDir, 'services/changes.xml'))).toBe(true);
});
