/**
 * Service files (content/services/<domain>.md) are content like incidents:
 * read by the same reader, every problem at once as file:line: field:
 * message (issue 17). And the sample directory shows a service in each state.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { buildContent } from '../src/lib/content/content.ts';
import { loadContent } from '../src/lib/content/load-content-io.ts';
import { formatProblems } from '../src/lib/content/problems.ts';
import { buildDirectoryView } from '../src/lib/directory/directory.ts';
import { serviceTemplate } from '../src/lib/directory/service-template.ts';
import { ProbeSummarySchema } from '../src/lib/schemas.ts';
import { files, source } from './helpers/content-files.ts';

const withServices = (services: ReturnType<typeof source>[], directory?: string) => ({
  ...files(),
  services,
  ...(directory !== undefined ? { directory: source('content/services/directory.yaml', directory) } : {}),
});

describe('service files', () => {
  test('the committed template is what npm run new:service writes, and a scaffolded file is valid as it stands', () => {
    expect(readFileSync('content/services/_template.md', 'utf8')).toBe(serviceTemplate('example.org', '2026-11-21'));
    // example.org is a special-use name the directory refuses (issue 22), so the scaffold is tried on a real-looking one.
    const result = buildContent(withServices([source('content/services/chat.sample.jabber.org.md', serviceTemplate('chat.sample.jabber.org', '2026-11-21'))]));
    expect(result.ok && result.content.directory?.services.map((s) => [s.domain, s.location.countryName, s.registration.method])).toEqual([
      ['chat.sample.jabber.org', 'Germany', 'in-band'],
    ]);
  });

  test('a service must name public DNS names: IP addresses in any spelling, special-use names and metadata addresses are refused (issue 22)', () => {
    const entry = (domain: string, website: string, signUp: string) =>
      serviceTemplate(domain, '2026-11-21')
        .replace(`website: https://${domain}/`, `website: ${website}`)
        .replace('\n  method: in-band\n', `\n  method: web\n  url: ${signUp}\n`);
    const result = buildContent(
      withServices([
        source('content/services/127.0.0.1.md', entry('127.0.0.1', 'http://169.254.169.254/latest/meta-data/', 'http://0x7f.0x1:8080/')),
        source('content/services/0x7f.0x1.md', entry('0x7f.0x1', 'http://[::1]/', 'https://intranet/signup')),
        source(
          'content/services/chat.example.net.md',
          entry('chat.example.net', 'https://chat.example.net/', `https://chat.sample.jabber.org/${'a'.repeat(600)}`),
        ),
      ]),
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(formatProblems(result.problems)).toMatchInlineSnapshot(`
      "content/services/0x7f.0x1.md:10: domain: "0x7f.0x1" is an IP address in another spelling (numbers, hex or octal parts); write the DNS name of the server instead, such as jabber.org
      content/services/0x7f.0x1.md:14: website: the host "[::1]" is an IPv6 address; write the DNS name of the server instead, such as jabber.org
      content/services/0x7f.0x1.md:21: registration.url: the host "intranet" is a single label; write the full domain name, such as jabber.org
      content/services/0x7f.0x1.md:29: administrator.email: must be an email address such as admin@example.org
      content/services/127.0.0.1.md:10: domain: "127.0.0.1" is an IP address; write the DNS name of the server instead, such as jabber.org
      content/services/127.0.0.1.md:14: website: the host "169.254.169.254" is an IP address; write the DNS name of the server instead, such as jabber.org
      content/services/127.0.0.1.md:21: registration.url: the host "127.0.0.1" is an IP address; write the DNS name of the server instead, such as jabber.org
      content/services/127.0.0.1.md:29: administrator.email: must be an email address such as admin@example.org
      content/services/chat.example.net.md:10: domain: "chat.example.net" is under "example.net", a special-use name that is never a public server (RFC 6761); write the service's real domain
      content/services/chat.example.net.md:14: website: the host "chat.example.net" is under "example.net", a special-use name that is never a public server (RFC 6761); write the service's real domain
      content/services/chat.example.net.md:21: registration.url: must be at most 500 characters

      11 problems in 3 files."
    `);
  });

  test('every mistake in a service file is reported at once, with line, field and fix', () => {
    const bad = `---
name: Bad Example
domain: bad.example
website: ftp://bad.example/
registration:
  method: web
administrator:
  name: Someone
  email: not-an-address
location:
  country: Germany
  city: Berlin
applied: 2026-02-30
withdrawal: 2026-03-01
---
`;
    const result = buildContent(
      withServices(
        [source('content/services/bad.example.md', bad), source('content/services/Other.MD.md', '---\nname: x\n---\n')],
        'graceDays: -1\nsources: [{ name: ams, path: x.json }]\n',
      ),
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(formatProblems(result.problems)).toMatchInlineSnapshot(`
      "content/services/bad.example.md:3: domain: "bad.example" is under "example", a special-use name that is never a public server (RFC 6761); write the service's real domain
      content/services/bad.example.md:4: website: must be an absolute http(s) address such as https://www.jabber.org/ (other schemes are refused)
      content/services/bad.example.md:5: registration.url: needs "url", the sign-up page, when the method is "web"
      content/services/bad.example.md:9: administrator.email: must be an email address such as admin@example.org
      content/services/bad.example.md:11: location.country: must be a two-letter country code in capitals, such as DE or US
      content/services/bad.example.md:13: applied: is not a real calendar date
      content/services/bad.example.md:14: withdrawal: is not a known field. Check the spelling or remove it
      content/services/directory.yaml:1: graceDays: must be 0 or more days
      content/services/directory.yaml:2: sources[1].location: is missing. Add a line "location: …"
      content/services/directory.yaml:2: sources[1].name: is not a known field. Check the spelling or remove it
      content/services/Other.MD.md: is not named like content/services/<domain>.md, e.g. content/services/example.org.md (lower-case). Rename it after the service's domain

      11 problems in 3 files."
    `);
  });

  test('the domain must be the file name', () => {
    const result = buildContent(withServices([source('content/services/chat.sample.jabber.org.md', serviceTemplate('talk.sample.jabber.org', '2026-11-21'))]));
    expect(!result.ok && formatProblems(result.problems)).toContain(
      'content/services/chat.sample.jabber.org.md:10: domain: is talk.sample.jabber.org but the file is named after chat.sample.jabber.org. Name the file content/services/talk.sample.jabber.org.md or fix the domain',
    );
  });

  test('a site without content/services/ has no directory, and builds as before', () => {
    const result = buildContent(files());
    expect(result.ok && result.content.directory).toBeUndefined();
  });
});

describe('the sample directory', () => {
  const loaded = loadContent('.');
  if (!loaded.ok) throw new Error(formatProblems(loaded.problems));
  const summaries = ['ams', 'fra', 'nyc'].map((l) => ProbeSummarySchema.parse(JSON.parse(readFileSync(`content/probe-sample/services-${l}.json`, 'utf8'))));
  const view = buildDirectoryView(loaded.content.directory!, summaries, { now: new Date('2026-11-21T12:00:00Z'), quorum: 0.5, sample: true });
  const entry = (domain: string) => view.entries.find((e) => e.service.domain === domain)!;

  test('shows a service in each state', () => {
    expect(Object.fromEntries(view.entries.map((e) => [e.service.domain, e.status.state]))).toEqual({
      'chat.sample.jabber.org': 'listed',
      'im.sample.jabber.org': 'listed',
      'jabber-fr.sample.jabber.org': 'failing',
      'old.sample.jabber.org': 'withdrawn',
      'talk.sample.jabber.org': 'failing',
      'xmpp.sample.jabber.org': 'testing',
    });
    expect(entry('xmpp.sample.jabber.org').status.testingDaysLeft).toBe(14);
  });

  test('the service whose certificate became self-signed fails item 1 with the reason, past the grace period', () => {
    const talk = entry('talk.sample.jabber.org');
    const tls = talk.checklist.find((r) => r.number === 1)!;
    expect(tls.verdict).toBe('fail');
    expect(tls.reason).toBe(
      'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT) (client STARTTLS from ams, fra, nyc; client direct TLS from ams, fra, nyc; server-to-server from ams, fra, nyc)',
    );
    expect(talk.status.failing.find((f) => f.id === 'tls')).toEqual({ id: 'tls', since: Date.parse('2026-11-10T08:00:00Z') });
    expect(new Date(talk.status.since).toISOString()).toBe('2026-11-17T08:00:00.000Z');
  });

  test('a failure seen from one location only is kept out by the quorum', () => {
    const im = entry('im.sample.jabber.org');
    expect(im.checklist.every((r) => r.verdict !== 'fail')).toBe(true);
    expect(im.monitoring!.uptime['30d']).toBeGreaterThanOrEqual(99.9);
    expect(im.monitoring!.uptime['30d']).toBeLessThan(100);
  });
});
