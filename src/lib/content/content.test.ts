import { describe, expect, test } from 'vitest';
import { buildContent } from './content.ts';
import { formatProblems } from './problems.ts';
import { maintenanceText, files, incidentText, SITE_YAML, source, validContent } from '../../../tests/helpers/content-files.ts';

/** Runs validation that must fail and returns the text an admin would see. */
function problemsText(parts: Parameters<typeof files>[0]): string {
  const result = buildContent(files(parts));
  if (result.ok) throw new Error('expected problems, got valid content');
  return formatProblems(result.problems);
}

describe('valid content', () => {
  test('an incident derives its start, resolution and stable update ids from the timeline', () => {
    const content = validContent({ incidents: [source('incidents/2026/2026-11-09-login.md', incidentText({ body: '## What happened\n\nA bug.' }))] });
    const [incident] = content.incidents;
    expect(incident).toMatchObject({
      slug: '2026-11-09-login',
      startedAt: new Date('2026-11-09T06:40:00Z'),
      resolvedAt: new Date('2026-11-09T08:00:00Z'),
    });
    expect(incident!.updates.map((u) => u.id)).toEqual(['2026-11-09-login/2026-11-09T06:40:00.000Z', '2026-11-09-login/2026-11-09T08:00:00.000Z']);
    expect(incident!.bodyHtml).toBe('<h3>What happened</h3>\n<p>A bug.</p>');
  });

  test('an incident whose last update is not "resolved" is ongoing', () => {
    const content = validContent({
      incidents: [source('incidents/2026/2026-11-09-login.md', incidentText({ updates: '  - at: 2026-11-09T06:40:00Z\n    status: monitoring\n    message: Watching.' }))],
    });
    expect(content.incidents[0]!.resolvedAt).toBeNull();
  });

  test('a file name may use the date as written in a non-UTC offset', () => {
    // 00:30 at +02:00 is still the previous day in UTC.
    const content = validContent({
      incidents: [source('incidents/2026/2026-11-10-late.md', incidentText({ updates: '  - at: 2026-11-10T00:30:00+02:00\n    status: investigating\n    message: x' }))],
    });
    expect(content.incidents[0]!.startedAt.toISOString()).toBe('2026-11-09T22:30:00.000Z');
  });

  test('lists are sorted: incidents and updates newest first, maintenance soonest first', () => {
    const content = validContent({
      incidents: [
        source('incidents/2026/2026-11-01-a.md', incidentText({ updates: '  - at: 2026-11-01T00:00:00Z\n    status: resolved\n    message: x' })),
        source('incidents/2026/2026-11-05-b.md', incidentText({ updates: '  - at: 2026-11-05T00:00:00Z\n    status: resolved\n    message: x' })),
      ],
      maintenance: [
        source('content/maintenance/2026-12-01-later.md', maintenanceText('Later', '2026-12-01T00:00:00Z', '2026-12-01T01:00:00Z')),
        source('content/maintenance/2026-11-30-sooner.md', maintenanceText('Sooner', '2026-11-30T00:00:00Z', '2026-11-30T01:00:00Z')),
      ],
      updates: [
        source('content/updates/2026-11-01.md', '---\nauthor: A\nsummary: Fine.\n---\nAll good.'),
        source('content/updates/2026-11-02.md', '---\nauthor: A\nsummary: Fine.\nincidents: [2026-11-01-a]\n---\nAll good.'),
      ],
    });
    expect(content.incidents.map((i) => i.slug)).toEqual(['2026-11-05-b', '2026-11-01-a']);
    expect(content.maintenance.map((m) => m.slug)).toEqual(['2026-11-30-sooner', '2026-12-01-later']);
    expect(content.updates.map((u) => u.date)).toEqual(['2026-11-02', '2026-11-01']);
    expect(content.maintenance[0]!.status).toBe('scheduled');
  });
});

describe('invalid content: what the admin is told', () => {
  test('errors if an incident names a component that does not exist, listing the ones that do', () => {
    expect(problemsText({ incidents: [source('incidents/2026/2026-11-09-x.md', incidentText({ affected: '  - id: c2ss\n    status: degraded' }))] })).toMatchInlineSnapshot(`
      "incidents/2026/2026-11-09-x.md:5: affected[1].id: "c2ss" is not allowed. Use one of: c2s, s2s

      1 problem in 1 file."
    `);
  });

  test('errors if a timestamp has no UTC offset', () => {
    expect(problemsText({ incidents: [source('incidents/2026/2026-11-09-x.md', incidentText({ updates: '  - at: 2026-11-09T06:40:00\n    status: investigating\n    message: x' }))] })).toMatchInlineSnapshot(`
      "incidents/2026/2026-11-09-x.md:8: updates[1].at: "2026-11-09T06:40:00" has no UTC offset. Write it like 2026-11-03T08:12:00Z or 2026-11-03T09:12:00+01:00

      1 problem in 1 file."
    `);
  });

  test('errors if the timeline is out of order or continues after "resolved"', () => {
    const updates = [
      '  - at: 2026-11-09T08:00:00Z\n    status: investigating\n    message: a',
      '  - at: 2026-11-09T07:00:00Z\n    status: resolved\n    message: b',
      '  - at: 2026-11-09T09:00:00Z\n    status: monitoring\n    message: c',
    ].join('\n');
    expect(problemsText({ incidents: [source('incidents/2026/2026-11-09-x.md', incidentText({ updates }))] })).toMatchInlineSnapshot(`
      "incidents/2026/2026-11-09-x.md:11: updates[2].at: 2026-11-09T07:00:00.000Z is earlier than the update before it (2026-11-09T08:00:00.000Z). List updates oldest first
      incidents/2026/2026-11-09-x.md:15: updates[3].status: comes after a "resolved" update. Only the last update may be "resolved"; to reopen, change the earlier one to "monitoring"

      2 problems in 1 file."
    `);
  });

  test('errors if impact or status is outside the vocabulary, listing the allowed values', () => {
    const text = incidentText({ impact: 'huge', updates: '  - at: 2026-11-09T06:40:00Z\n    status: fixed\n    message: x', affected: '  - id: c2s\n    status: down' });
    expect(problemsText({ incidents: [source('incidents/2026/2026-11-09-x.md', text)] })).toMatchInlineSnapshot(`
      "incidents/2026/2026-11-09-x.md:3: impact: "huge" is not allowed. Use one of: none, minor, major, critical
      incidents/2026/2026-11-09-x.md:6: affected[1].status: "down" is not allowed. Use one of: degraded, partial-outage, major-outage
      incidents/2026/2026-11-09-x.md:9: updates[1].status: "fixed" is not allowed. Use one of: investigating, identified, monitoring, resolved

      3 problems in 1 file."
    `);
  });

  test('errors if the date in the file name disagrees with the frontmatter', () => {
    expect(
      problemsText({
        incidents: [source('incidents/2026/2026-11-08-x.md', incidentText())],
        updates: [source('content/updates/2026-11-02.md', '---\ndate: 2026-11-03\nauthor: A\nsummary: Fine.\n---\nText.')],
      }),
    ).toMatchInlineSnapshot(`
      "content/updates/2026-11-02.md:2: date: is 2026-11-03 but the file name says 2026-11-02. Rename the file or remove "date"
      incidents/2026/2026-11-08-x.md:8: updates[1].at: is on 2026-11-09 (UTC) but the file name says 2026-11-08. Rename the file or fix the date

      2 problems in 2 files."
    `);
  });

  test('errors on duplicate incident names and on a file in the wrong year folder', () => {
    expect(
      problemsText({
        incidents: [source('incidents/2025/2026-11-09-x.md', incidentText()), source('incidents/2026/2026-11-09-x.md', incidentText())],
      }),
    ).toMatchInlineSnapshot(`
      "incidents/2025/2026-11-09-x.md: is in folder 2025 but dated 2026. Move it to incidents/2026/
      incidents/2026/2026-11-09-x.md: has the same name as incidents/2025/2026-11-09-x.md; incident names are their URLs and must be unique. Rename one of them

      2 problems in 2 files."
    `);
  });

  test('errors if a maintenance window ends before it starts', () => {
    expect(
      problemsText({
        maintenance: [source('content/maintenance/2026-11-25-x.md', maintenanceText('Upgrade', '2026-11-25T05:00:00Z', '2026-11-25T04:00:00Z'))],
      }),
    ).toMatchInlineSnapshot(`
      "content/maintenance/2026-11-25-x.md:8: updates[1].end: the window would end at 2026-11-25T04:00:00.000Z, not after its start (2026-11-25T05:00:00.000Z). The window must end after it starts

      1 problem in 1 file."
    `);
  });

  test('errors if a file is larger than 1 MB, without parsing it', () => {
    const big = { path: 'incidents/2026/2026-11-09-x.md', text: '', bytes: 2 * 1024 * 1024 };
    expect(problemsText({ incidents: [big] })).toMatchInlineSnapshot(`
      "incidents/2026/2026-11-09-x.md: is larger than 1 MB, the limit. Shorten it or move long material to a linked page

      1 problem in 1 file."
    `);
  });

  test('errors if YAML does not parse, with its line and a hint', () => {
    expect(
      problemsText({ updates: [source('content/updates/2026-11-12.md', '---\nauthor: A\nsummary: A quiet day: no crashes\n---\nText.')] }),
    ).toMatchInlineSnapshot(`
      "content/updates/2026-11-12.md:3: YAML does not parse (Nested mappings are not allowed in compact mappings). A value contains ": ". Put the whole value in double quotes

      1 problem in 1 file."
    `);
  });

  test('errors on unknown fields, missing fields and links to incidents that do not exist', () => {
    expect(
      problemsText({
        updates: [source('content/updates/2026-11-12.md', '---\nauthr: A\nsummary: Fine.\nincidents: [2026-01-01-nope]\n---\nText.')],
      }),
    ).toMatchInlineSnapshot(`
      "content/updates/2026-11-12.md:2: author: is missing. Add a line "author: …"
      content/updates/2026-11-12.md:2: authr: is not a known field. Check the spelling or remove it
      content/updates/2026-11-12.md:4: incidents[1]: "2026-01-01-nope" is not an incident. Use the incident's file name without ".md", e.g. 2026-11-03-login-failures

      3 problems in 1 file."
    `);
  });

  test('a field named __proto__ is an unknown field, never the source of other fields', () => {
    // Before: stripping control characters assigned __proto__ as the object's
    // prototype, so author and summary came from it and nothing was reported.
    expect(
      problemsText({
        updates: [source('content/updates/2026-11-12.md', '---\n__proto__:\n  author: A\n  summary: Fine.\n---\nText.')],
      }),
    ).toMatchInlineSnapshot(`
      "content/updates/2026-11-12.md:2: __proto__: is not a known field. Check the spelling or remove it
      content/updates/2026-11-12.md:2: author: is missing. Add a line "author: …"
      content/updates/2026-11-12.md:2: summary: is missing. Add a line "summary: …"

      3 problems in 1 file."
    `);
  });

  test('reports every problem in every file at once, including a broken site config', () => {
    const result = buildContent(
      files({
        site: source('content/site.yaml', 'name: X\n'),
        incidents: [source('incidents/2026/2026-11-09-x.md', incidentText({ impact: 'huge' }))],
        updates: [source('content/updates/2026-11-12.md', 'no frontmatter here')],
      }),
    );
    expect(result.ok).toBe(false);
    const text = formatProblems(result.ok ? [] : result.problems);
    expect(text).toContain('content/site.yaml:1: components: is missing. Add a line "components: …"');
    expect(text).toContain('incidents/2026/2026-11-09-x.md:3: impact: "huge" is not allowed');
    expect(text).toContain('content/updates/2026-11-12.md:1: has no frontmatter');
    // With the config broken, component ids are not reported as unknown.
    expect(text).not.toContain('affected[1].id');
  });

  test('a reader name with a comma and an empty advice are refused with their fix (issue 27)', () => {
    const result = buildContent(
      files({
        site: source('content/site.yaml', SITE_YAML.replace('    name: Client connections\n', '    name: Client connections\n    readerName: Logging in, on port 5222\n')),
        incidents: [source('incidents/2026/2026-11-09-x.md', incidentText().replace('impact: major\n', 'impact: major\nadvice: " "\n'))],
      }),
    );
    expect(formatProblems(result.ok ? [] : result.problems)).toMatchInlineSnapshot(`
      "content/site.yaml:13: components[1].readerName: must not contain a comma: names are listed with commas. Write e.g. "Logging in with direct TLS"
      incidents/2026/2026-11-09-x.md:4: advice: must not be empty

      2 problems in 2 files."
    `);
  });

  test('errors on badly named files instead of ignoring them', () => {
    expect(problemsText({ incidents: [source('incidents/2026/Login Failures.md', incidentText())], updates: [source('content/updates/today.md', '')] })).toMatchInlineSnapshot(`
      "content/updates/today.md: is not named like content/updates/YYYY-MM-DD.md. Rename it to the date of the update
      incidents/2026/Login Failures.md: is not named like incidents/YYYY/YYYY-MM-DD-short-name.md (lower-case letters, digits and dashes). Rename it

      2 problems in 2 files."
    `);
  });
});
