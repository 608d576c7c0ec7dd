/**
 * The promise behind `npm run check`: if it passes, `npm run build`
 * succeeds; if it fails, every problem names a file of the tree (and a field
 * where one is to blame). Proven with generated content trees, valid and
 * broken, mixing edge dates (leap days, year 0000 and 9999, offsets of
 * ±14:00) with impossible ones (month 13, 29 February 2025, T24:00).
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { loadContent } from '../../src/lib/content/load-content-io.ts';
import { isCalendarDate } from '../../src/lib/shared/time.ts';
import { buildSite } from '../helpers/build-site.ts';
import { SITE_YAML } from '../helpers/content-files.ts';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A real day, edge years and leap days included. */
const realDay = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .date({ min: new Date('0000-03-01T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
  { weight: 1, arbitrary: fc.constantFrom('2024-02-29', '2026-11-21', '1970-01-01', '1969-12-31', '0001-01-01', '9999-12-30') },
);
/** A day, usually real, sometimes impossible. */
const day = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .date({ min: new Date('0000-03-01T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
  { weight: 2, arbitrary: fc.constantFrom('2024-02-29', '2026-11-21', '1970-01-01', '1969-12-31', '0001-01-01', '9999-12-30') },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('2025-02-29', '2026-13-01', '2026-04-31', '2026-00-10') },
);

/** A timestamp on `day`, usually well formed, sometimes with an impossible time or offset. */
const time = fc.tuple(
  fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 23 }) }, { weight: 1, arbitrary: fc.constant(24) }),
  fc.integer({ min: 0, max: 59 }),
  fc.oneof(
    { weight: 3, arbitrary: fc.constant('Z') },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 15 }), fc.constantFrom(0, 30, 45)).map(([s, h, m]) => `${s}${pad(h)}:${pad(m)}`),
    },
  ),
);
const at = (d: string, [h, m, zone]: [number, number, string]) => `${d}T${pad(h)}:${pad(m)}:00${zone}`;

const text = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('Logins fail', 'Grün ✓ 日本', 'a "quoted" value', '<script>x</script>'));
const yamlString = (s: string) => JSON.stringify(s.trim() || 'x');

const goodTime = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom('Z', '+14:00', '-12:00', '+05:30'));

/** Arbitraries for one tree; `mostlyValid` keeps to real days and times, for trees that get built. */
function arbitraries(mostlyValid: boolean) {
  const d = mostlyValid ? realDay : day;
  const t = mostlyValid ? goodTime : time;
  const incident = fc.record({
    day: d,
    times: fc.array(t, { minLength: 1, maxLength: 3 }),
    title: text,
    impact: mostlyValid
      ? fc.constantFrom('none', 'minor', 'major', 'critical')
      : fc.oneof({ weight: 5, arbitrary: fc.constantFrom('none', 'minor', 'major', 'critical') }, { weight: 1, arbitrary: fc.constant('severe') }),
    resolved: fc.boolean(),
    // Usually filed under the UTC day of its first update, as admins do.
    fileDay: mostlyValid ? fc.constant(undefined) : fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: day }),
  });
  const dailyUpdate = fc.record({ day: d, summary: text });
  const maintenance = fc.record({ day: d, start: t, hours: fc.integer({ min: mostlyValid ? 1 : -1, max: 30 }), title: text });
  return fc.record({
    incidents: fc.array(incident, { maxLength: 4 }),
    updates: fc.uniqueArray(dailyUpdate, { maxLength: 3, selector: (u) => u.day }),
    windows: fc.array(maintenance, { maxLength: 2 }),
  });
}

type Tree = ReturnType<typeof arbitraries> extends fc.Arbitrary<infer T> ? T : never;
/** Paths written by the last `writeTree`, relative to its root. */
let written = new Set<string>();

/** Writes a tree; returns its root. */
function writeTree(tree: Tree): string {
  const root = mkdtempSync(join(tmpdir(), 'check-build-'));
  roots.push(root);
  const files: Record<string, string> = { 'content/site.yaml': SITE_YAML };
  tree.incidents.forEach((i, n) => {
    // Oldest first by instant (offsets differ, so not by text).
    const stamps = i.times.map((t) => at(i.day, t)).sort((a, b) => Date.parse(a) - Date.parse(b) || a.localeCompare(b));
    const first = Date.parse(stamps[0]!);
    const fileDay =
      i.fileDay ?? (Number.isNaN(first) || first < -62167219200000 || first > 253402300799999 ? i.day : new Date(first).toISOString().slice(0, 10));
    const updates = stamps
      .map((s, k) => `  - at: ${s}\n    status: ${i.resolved && k === stamps.length - 1 ? 'resolved' : 'investigating'}\n    message: ${yamlString(i.title)}`)
      .join('\n');
    files[`incidents/${fileDay.slice(0, 4)}/${fileDay}-generated-${n}.md`] =
      `---\ntitle: ${yamlString(i.title)}\nimpact: ${i.impact}\naffected:\n  - id: c2s\n    status: major-outage\nupdates:\n${updates}\n---\nBody.\n`;
  });
  for (const u of tree.updates) files[`content/updates/${u.day}.md`] = `---\nauthor: Ops\nsummary: ${yamlString(u.summary)}\n---\nText.\n`;
  tree.windows.forEach((w, n) => {
    const start = at(w.day, w.start);
    const startMs = Date.parse(start);
    const end = Number.isNaN(startMs) || startMs + w.hours * 3_600_000 > 253402300799999 ? start : new Date(startMs + w.hours * 3_600_000).toISOString();
    files[`content/maintenance/${w.day}-window-${n}.md`] =
      `---\ntitle: ${yamlString(w.title)}\ncomponents: [s2s]\nupdates:\n  - at: ${start}\n    status: scheduled\n    start: ${start}\n    end: ${end}\n    message: Announced.\n---\nWork.\n`;
  });
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), body);
  }
  written = new Set(Object.keys(files));
  return root;
}

test('whenever the check fails, every problem names a file of the tree, and a field or line where one is to blame', () => {
  let failing = 0;
  fc.assert(
    fc.property(arbitraries(false), (tree) => {
      const root = writeTree(tree);
      const result = loadContent(root);
      if (result.ok) return;
      failing++;
      for (const p of result.problems) {
        expect(written.has(p.file), p.file).toBe(true);
        expect(p.message.length).toBeGreaterThan(10);
        // A problem inside a file's frontmatter points at its line.
        if (p.field) expect(p.line, `${p.file}: ${p.field}`).toBeGreaterThan(0);
      }
      rmSync(root, { recursive: true, force: true });
    }),
    { numRuns: 150 },
  );
  // The generator really produces broken trees (so this test can fail).
  expect(failing).toBeGreaterThan(20);
});

test('impossible days never pass the check', () => {
  fc.assert(
    fc.property(day, (d) => {
      const root = writeTree({ incidents: [], updates: [{ day: d, summary: 'x' }], windows: [] });
      const result = loadContent(root);
      expect(result.ok).toBe(isCalendarDate(d));
      rmSync(root, { recursive: true, force: true });
    }),
    { numRuns: 200 },
  );
});

test('whenever the check passes, the real build succeeds', () => {
  let built = 0;
  fc.assert(
    fc.property(arbitraries(true), (tree) => {
      const root = writeTree(tree);
      const result = loadContent(root);
      if (!result.ok) return;
      built++;
      const run = buildSite({ contentRoot: root });
      expect(run.code, `${JSON.stringify(tree)}\n${run.output}`).toBe(0);
      rmSync(run.outDir, { recursive: true, force: true });
    }),
    // Each passing tree is a real Astro build (~3 s on 2 cores).
    { numRuns: 8 },
  );
  // Most generated trees are valid, so most runs really build.
  expect(built).toBeGreaterThan(6);
}, 300_000);
