import fc from 'fast-check';
import { expect, test } from 'vitest';
import { MAX_READER_TEXT, readerSafe } from './reader-text.ts';

test.each([
  // what a probe or the system might say → what readers see
  ['connection refused (hermes2.jabber.org:5222)', 'connection refused (hermes2.jabber.org:5222)'],
  ['certificate is not valid for jabber.org (it names example.org)', 'certificate is not valid for jabber.org (it names example.org)'],
  ["ENOENT: no such file or directory, open '/srv/probe/data/ams.json'", "ENOENT: no such file or directory, open '[path]'"],
  ['TypeError: x is undefined\n    at run (/srv/app/src/lib/x.ts:10:5)\n    at main (node:internal/1:2)', 'TypeError: x is undefined'],
  ['failed at fn (file:///srv/app/x.ts:1:2)', 'failed'],
  ['HTTP 401 from https://admin:hunter2@probe.example/summary.json', 'HTTP 401 from https://probe.example/summary.json'],
  ['read ~/.ssh/id_rsa or ../../etc/passwd', 'read [path] or [path]'],
  ['cannot open C:\\probe\\ams.json', 'cannot open [path]'],
  ['web page https://www.jabber.org/register/ answered 503', 'web page https://www.jabber.org/register/ answered 503'],
])('%j is shown as %j', (input, shown) => {
  expect(readerSafe(input)).toBe(shown);
});

test('never longer than the limit, never a second line, never credentials or an absolute path', () => {
  const segment = fc.stringMatching(/^[a-z0-9._-]{1,12}$/);
  fc.assert(
    fc.property(
      fc.string({ maxLength: 400 }),
      fc.array(segment, { minLength: 2, maxLength: 6 }),
      fc.tuple(segment, segment),
      fc.string({ maxLength: 50 }),
      (prefix, dirs, [user, pass], suffix) => {
        const path = `/${dirs.join('/')}`;
        const text = `${prefix.replace(/[\n\r/@]/g, '')} open ${path} via https://${user}:${pass}@probe.example/x\n    at f (${path}:1:1)${suffix}`;
        const shown = readerSafe(text);
        expect(shown.length).toBeLessThanOrEqual(MAX_READER_TEXT);
        expect(shown).not.toMatch(/[\n\r]/);
        expect(shown).not.toContain(`${user}:${pass}@`);
        expect(shown).not.toContain(path);
      },
    ),
    { numRuns: 300 },
  );
});
