import { expect, test } from 'vitest';
import { parseAnnouncements } from './announcements-io.ts';

test('a valid announcement is read', () => {
  const read = parseAnnouncements(
    'announcements:\n  - domain: jabber.org\n    checks: [c2s-starttls]\n    from: 2026-11-25T03:00:00Z\n    until: 2026-11-25T05:00:00Z\n    note: New key.\n',
  );
  expect(read).toMatchObject({ ok: true, announcements: [{ domain: 'jabber.org', checks: ['c2s-starttls'], note: 'New key.' }] });
});

test('a bad announcement is an error naming the file, the line, the field and the fix', () => {
  const read = parseAnnouncements(
    'announcements:\n  - domain: jabber.org\n    checks: [c2s]\n    from: tomorrow\n    until: 2026-11-25T05:00:00Z\n    fingerprint256: "AB:CD"\n    colour: red\n',
  );
  expect(read.ok).toBe(false);
  expect(!read.ok && read.problems.map((p) => `${p.file}:${p.line}: ${p.field}: ${p.message}`)).toMatchInlineSnapshot(`
    [
      "content/certificates.yaml:3: announcements[1].checks[1]: must be one of c2s-starttls, c2s-directtls, s2s-starttls, website",
      "content/certificates.yaml:4: announcements[1].from: must be a time with an offset, e.g. 2026-11-25T03:00:00Z",
      "content/certificates.yaml:6: announcements[1].fingerprint256: must have 64 hex digits (a SHA-256)",
      "content/certificates.yaml:2: announcements[1].note: is missing. Say in a sentence what changes and what readers may see",
      "content/certificates.yaml:2: announcements[1]: has an unknown field "colour". Use domain, checks, from, until, fingerprint256, spki256 and note",
    ]
  `);
});

test('no file means no announcements; a FIFO in its place is refused, not read', async () => {
  const { mkdtempSync, mkdirSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { loadAnnouncements } = await import('./announcements-io.ts');
  const root = mkdtempSync(join(tmpdir(), 'announcements-'));
  expect(loadAnnouncements(root)).toEqual({ ok: true, announcements: [] });
  mkdirSync(join(root, 'content'));
  execFileSync('mkfifo', [join(root, 'content/certificates.yaml')]);
  const read = loadAnnouncements(root);
  expect(read.ok).toBe(false);
  expect(!read.ok && read.problems[0]!.file).toBe('content/certificates.yaml');
});
