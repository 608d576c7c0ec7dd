/**
 * Content, config and file-system tricks an attacker (or a tired admin) can
 * commit, run through the real `npm run check` (scripts/check.ts) over a
 * tree on disk. Each case failed before issue 10 (ran code, read files
 * outside the tree, hung, crashed, was skipped silently or published a
 * rolled-over date); now every one is a problem naming its file, and all of
 * them are reported in one run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { incidentText, SITE_YAML } from '../helpers/content-files.ts';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A small valid tree (config, one incident, one daily update) plus `extra` files. */
function tree(extra: Record<string, string | Buffer> = {}, site = SITE_YAML): string {
  const root = mkdtempSync(join(tmpdir(), 'hostile-content-'));
  roots.push(root);
  const files: Record<string, string | Buffer> = {
    'content/site.yaml': site,
    'incidents/2026/2026-11-09-login-failures.md': incidentText(),
    'content/updates/2026-11-09.md': '---\nauthor: Ops\nsummary: A normal day.\n---\nAll good.\n',
    ...extra,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root: string) {
  // A timeout, so a reader that blocks (FIFO, /dev/zero) fails the test instead of hanging it.
  const run = spawnSync(process.execPath, ['scripts/check.ts', '--root', root], { encoding: 'utf8', timeout: 30_000 });
  return { code: run.status, out: `${run.stdout}${run.stderr}`, signal: run.signal };
}

const PWNED = join(tmpdir(), `hostile-pwned-${process.pid}`);

let attacked: ReturnType<typeof check>;
let attackedRoot: string;
beforeAll(() => {
  rmSync(PWNED, { force: true });
  const incident = (title: string) => incidentText({ title });
  attackedRoot = tree({
    // Class 1: frontmatter that gray-matter would evaluate as JavaScript.
    'incidents/2026/2026-11-10-code.md': `---js\n{ title: require('node:fs').writeFileSync(${JSON.stringify(PWNED)}, 'ran') }\n---\nBody\n`,
    'incidents/2026/2026-11-11-coffee.md': '---coffee\ntitle: "x"\n---\n',
    'incidents/2026/2026-11-12-unknown-language.md': '---foo\ntitle: x\n---\n',
    // Class 4: days that do not exist, and rollover.
    'content/updates/2026-13-01.md': '---\nauthor: Ops\nsummary: Month 13.\n---\nText.\n',
    'content/updates/2025-02-29.md': '---\nauthor: Ops\nsummary: Not a leap year.\n---\nText.\n',
    'incidents/2026/2026-11-13-rollover.md': incidentText({ updates: '  - at: 2025-02-29T10:00:00Z\n    status: investigating\n    message: x' }),
    'incidents/2026/2026-11-14-hour-24.md': incidentText({ updates: '  - at: 2026-11-14T24:00:00Z\n    status: investigating\n    message: x' }),
    'incidents/9999/9999-12-31-year-10000.md': incidentText({ updates: '  - at: 9999-12-31T23:00:00-12:00\n    status: investigating\n    message: x' }),
    // Class 6: files that were skipped while the check said "valid".
    'incidents/2026/2026-11-15-shouting.MD': incident('x'),
    'incidents/2026/2026-11-15-long.markdown': incident('x'),
    'incidents/2026/2026-11-15-text.md.txt': incident('x'),
    'content/updates/2026-11-16.md': Buffer.concat([Buffer.from('---\nauthor: Ops\nsummary: Gr'), Buffer.from([0xfc]), Buffer.from('n\n---\nText.\n')]),
    // Class 7: a YAML alias bomb.
    'incidents/2026/2026-11-17-alias-bomb.md': `---\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\ntitle: *g\n---\n`,
    // Class 2: a file over the limit is refused without reading it all.
    'content/updates/2026-11-18.md': `---\nauthor: Ops\nsummary: Big.\n---\n${'x'.repeat(2 * 1024 * 1024)}\n`,
  });
  // Class 2 and 6: links (to secrets, to an endless device) and a FIFO.
  symlinkSync('/etc/passwd', join(attackedRoot, 'incidents/2026/2026-11-19-passwd.md'));
  symlinkSync('/dev/zero', join(attackedRoot, 'content/updates/2026-11-19.md'));
  symlinkSync('/etc', join(attackedRoot, 'incidents/2025'));
  spawnSync('mkfifo', [join(attackedRoot, 'content/updates/2026-11-20.md')]);
  attacked = check(attackedRoot);
});

test('no frontmatter engine can run code: ---js is a problem and its code never ran', () => {
  expect(existsSync(PWNED)).toBe(false);
  expect(attacked.out).toContain(
    'incidents/2026/2026-11-10-code.md:1: opens its frontmatter with "---js"; only YAML after a plain "---" line is accepted (frontmatter is data, never code). Make the first line exactly "---"',
  );
});

test('every hostile file is reported at once, each naming its file, in one run that neither hangs nor crashes', () => {
  expect(attacked.signal).toBeNull();
  expect(attacked.code).toBe(1);
  expect(attacked.out.replaceAll(attackedRoot, '<root>')).toMatchInlineSnapshot(`
    "content/updates/2025-02-29.md: is named after 2025-02-29, a day that does not exist. Rename it to the real date
    content/updates/2026-11-16.md:3: is not valid UTF-8 (byte 0xfc at offset 27). Save the file as UTF-8 in your editor
    content/updates/2026-11-18.md: is larger than 1 MB, the limit. Shorten it or move long material to a linked page
    content/updates/2026-11-19.md: is a symbolic link, which is never followed. Replace it with the file itself
    content/updates/2026-11-20.md: is a named pipe (FIFO), not a file. Remove it
    content/updates/2026-13-01.md: is named after 2026-13-01, a day that does not exist. Rename it to the real date
    incidents/2025: is a symbolic link, which is never followed. Replace it with the file itself
    incidents/2026/2026-11-10-code.md:1: opens its frontmatter with "---js"; only YAML after a plain "---" line is accepted (frontmatter is data, never code). Make the first line exactly "---"
    incidents/2026/2026-11-11-coffee.md:1: opens its frontmatter with "---coffee"; only YAML after a plain "---" line is accepted (frontmatter is data, never code). Make the first line exactly "---"
    incidents/2026/2026-11-12-unknown-language.md:1: opens its frontmatter with "---foo"; only YAML after a plain "---" line is accepted (frontmatter is data, never code). Make the first line exactly "---"
    incidents/2026/2026-11-13-rollover.md:8: updates[1].at: "2025-02-29T10:00:00Z" is not a real date: 2025-02-29 does not exist
    incidents/2026/2026-11-14-hour-24.md:8: updates[1].at: "2026-11-14T24:00:00Z" is not a real time of day: hours go to 23, minutes and seconds to 59
    incidents/2026/2026-11-15-long.markdown: is not read: content files end in lower-case ".md". Rename it to "2026-11-15-long.md"
    incidents/2026/2026-11-15-shouting.MD: is not read: content files end in lower-case ".md". Rename it to "2026-11-15-shouting.md"
    incidents/2026/2026-11-15-text.md.txt: is not read: content files end in lower-case ".md". Rename it to "2026-11-15-text.md"
    incidents/2026/2026-11-17-alias-bomb.md:1: could not be parsed (Excessive alias count indicates a resource exhaustion attack). Simplify the frontmatter: no anchors or aliases, no deeply nested values
    incidents/2026/2026-11-19-passwd.md: is a symbolic link, which is never followed. Replace it with the file itself
    incidents/9999/9999-12-31-year-10000.md:8: updates[1].at: "9999-12-31T23:00:00-12:00" is outside the years 0000 to 9999 in UTC

    18 problems in 18 files.
    "
  `);
});

test('nothing from outside the tree is ever printed', () => {
  expect(attacked.out).not.toContain('root:x:0:0');
  expect(attacked.out).not.toMatch(/PATH=|HOME=/);
});

test('a symlinked site.yaml pointing at the environment is refused, not read and quoted', () => {
  const root = tree();
  rmSync(join(root, 'content/site.yaml'));
  symlinkSync('/proc/self/environ', join(root, 'content/site.yaml'));
  const { code, out } = check(root);
  expect(code).toBe(1);
  expect(out).toContain('content/site.yaml: is a symbolic link, which is never followed. Replace it with the file itself');
  expect(out).not.toContain('is missing');
  expect(out).not.toMatch(/PATH=|HOME=/);
});

test('a long value is quoted only by a short prefix in a problem', () => {
  const secret = `${'s3cr3t'.repeat(200)}`;
  const { out } = check(tree({ 'incidents/2026/2026-11-09-x.md': incidentText({ impact: secret }) }));
  expect(out).toContain(
    'impact: "s3cr3ts3cr3ts3cr3ts3cr3ts3cr3ts3cr3ts3cr3ts3cr3ts3cr3ts3cr3t…" (1200 characters) is not allowed. Use one of: none, minor, major, critical',
  );
  expect(out.length).toBeLessThan(1000);
});

test.each([
  // Class 5: every URL a reader can click is http(s).
  [
    'a javascript: service link',
    'serviceUrl: https://example.org/',
    'serviceUrl: "javascript:alert(document.cookie)"',
    'content/site.yaml:5: serviceUrl: must be an absolute http(s) address such as https://www.jabber.org/ (other schemes are refused)',
  ],
  [
    'a data: site address',
    'url: https://status.example.org',
    'url: "data:text/html,<script>alert(1)</script>"',
    'content/site.yaml:3: url: must be an absolute http(s) address such as https://www.jabber.org/ (other schemes are refused)',
  ],
  // Class 5: ids that would collide with generated names or each other.
  [
    'a component id that takes over another uptime badge',
    '  - id: s2s\n',
    '  - id: c2s-uptime\n',
    'content/site.yaml:16: components[2].id: "c2s-uptime" ends in "-uptime", which the site uses for uptime badges (badges/components/<id>-uptime.svg). Choose an id without it',
  ],
  [
    'a component id equal to a group id',
    '  - id: s2s\n',
    '  - id: xmpp\n',
    'content/site.yaml:16: components[2].id: "xmpp" is also a group id; the API lists groups and components together. Rename the component or the group',
  ],
])('config: %s is refused', (_what, from, to, problem) => {
  const { code, out } = check(tree({}, SITE_YAML.replace(from, to)));
  expect(code).toBe(1);
  expect(out).toContain(problem);
});
