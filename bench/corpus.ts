/**
 * `npm run bench:corpus -- --incidents N --updates D [--maintenance-share F] [--out DIR] [--seed S]`
 *
 * Writes a realistic content tree (the real site.yaml, N incidents over ten
 * years with 3–6 timeline updates each, D consecutive daily updates, and
 * maintenance windows making up a share F of all posts) for build
 * benchmarks. Every file's frontmatter is parsed by the real schemas before
 * it is written, and the whole tree is validated at the end, so the benchmark
 * builds content an admin could have written. Deterministic for a given seed.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { COMPONENT_IMPACTS, createDailyUpdateSchema, createIncidentSchema, createMaintenanceSchema, IMPACTS } from '../src/lib/schemas.ts';
import { loadContent } from '../src/lib/content/load-content-io.ts';
import { formatProblems } from '../src/lib/content/problems.ts';
import { seededRandom } from '../src/lib/shared/random.ts';

/**
 * Share of all posts (incidents, daily updates and windows) that are
 * maintenance windows when none is given: 5 %, about two windows a month next
 * to 500 incidents and ten years of daily updates. Issue 16 also benchmarks a
 * quarter, since a generator with 40 fixed windows hid two unbounded outputs.
 */
export const DEFAULT_MAINTENANCE_SHARE = 0.05;

export interface CorpusOptions {
  /** Fraction of all posts that are maintenance windows, 0 ≤ share < 1, e.g. `0.25`. */
  maintenanceShare?: number;
}

/** How many windows make `share` of all posts next to `others` incidents and updates. */
export function maintenanceCount(others: number, share: number): number {
  if (!(share >= 0 && share < 1)) throw new RangeError(`maintenance share must be at least 0 and below 1, not ${share}`);
  return Math.round((others * share) / (1 - share));
}

/** Mulberry32: small, fast, deterministic. */
const rng = seededRandom;

/** A corpus of the benchmarks: `500+3650` or `50000+10000@0.25` (incidents + daily updates @ maintenance share). */
export interface Corpus {
  incidents: number;
  days: number;
  share: number;
  label: string;
}

/** `500+3650` or `50000+10000@0.25`. */
export function parseCorpus(spec: string): Corpus {
  const m = /^(\d+)\+(\d+)(?:@([\d.]+))?$/.exec(spec.trim());
  if (!m) throw new Error(`corpus "${spec}" is not written like 500+3650 or 50000+10000@0.25`);
  const [incidents, days, share] = [Number(m[1]), Number(m[2]), m[3] === undefined ? DEFAULT_MAINTENANCE_SHARE : Number(m[3])];
  return { incidents, days, share, label: `${incidents} + ${days}${m[3] === undefined ? '' : ` @ ${share * 100} % maint.`}` };
}

/** The instant every benchmark corpus ends at. */
export const END = new Date('2026-11-21T12:00:00Z');

/** Writes the corpus unless the folder already holds this exact one. */
export function ensureCorpus(c: Corpus): string {
  const dir = resolve(`bench/out/corpus-${c.incidents}-${c.days}-${c.share}`);
  const stamp = join(dir, '.corpus.json');
  const key = JSON.stringify({ ...c, seed: 1, end: END.toISOString(), generator: createHash('sha256').update(readFileSync('bench/corpus.ts')).digest('hex') });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === key) return dir;
  const started = performance.now();
  writeCorpus(dir, c.incidents, c.days, 1, END, { maintenanceShare: c.share });
  writeFileSync(stamp, key);
  console.error(
    `wrote corpus ${c.label} (${maintenanceCount(c.incidents + c.days, c.share)} windows) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return dir;
}

export function writeCorpus(out: string, incidents: number, days: number, seed: number, end: Date, options: CorpusOptions = {}): void {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'content/updates'), { recursive: true });
  mkdirSync(join(out, 'content/maintenance'), { recursive: true });
  mkdirSync(join(out, 'incidents'), { recursive: true });
  cpSync('content/site.yaml', join(out, 'content/site.yaml'));
  // The sample monitoring data the config points at, so the check (which
  // refuses sources that do not exist) passes and pages carry monitoring.
  cpSync('content/probe-sample', join(out, 'content/probe-sample'), { recursive: true });
  const components = ['c2s', 'c2s-directtls', 's2s', 'registration', 'muc', 'proxy', 'website'];
  const incidentSchema = createIncidentSchema(components);
  const subjects = [
    'Login failures',
    'Random disconnections',
    'Messages to other servers delayed',
    'Chat rooms unavailable',
    'File transfers fail',
    'Registration closed',
    'Website unreachable',
    'Certificate problem',
    'Slow presence updates',
  ];
  const sentences = [
    'We are looking into reports from users.',
    'The cause is a crash in the connection manager after a configuration change.',
    'A fix has been deployed and we are watching the service.',
    'Messages sent meanwhile are queued, not lost.',
    'Some apps back off for a while after repeated failures; restart yours if it does not reconnect.',
    'Federation with a few large servers is affected; others are fine.',
  ];
  const span = 10 * 365 * 86_400_000;
  const endMs = end.getTime();
  const slugs: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < incidents; i++) {
    // Spread over ten years, minute precision.
    const start = new Date(Math.floor((endMs - span + random() * (span - 86_400_000)) / 60_000) * 60_000);
    const date = start.toISOString().slice(0, 10);
    const subject = pick(subjects);
    let slug = `${date}-${subject.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    for (let n = 2; seen.has(slug); n++) slug = `${date}-incident-${n}-${i}`;
    seen.add(slug);
    const steps = 3 + Math.floor(random() * 4);
    const statuses = ['investigating', 'identified', 'monitoring', 'resolved'];
    let at = start.getTime();
    const updates = Array.from({ length: steps }, (_, k) => {
      if (k > 0) at += (5 + Math.floor(random() * 180)) * 60_000;
      const status = k === steps - 1 ? 'resolved' : statuses[Math.min(k, 2)]!;
      return { at: new Date(at).toISOString().replace('.000Z', 'Z'), status, message: `${pick(sentences)} ${pick(sentences)}` };
    });
    const affected = [...new Set([pick(components), ...(random() < 0.3 ? [pick(components)] : [])])].map((id) => ({ id, status: pick(COMPONENT_IMPACTS) }));
    const frontmatter = { title: subject, impact: pick(IMPACTS), affected, updates };
    incidentSchema.parse(frontmatter); // written only if the real schema accepts it
    const dir = join(out, 'incidents', date.slice(0, 4));
    mkdirSync(dir, { recursive: true });
    const body =
      random() < 0.2 ? `\n## What happened\n\n${pick(sentences)} ${pick(sentences)}\n\n## What we changed\n\n- ${pick(sentences)}\n- ${pick(sentences)}\n` : '';
    writeFileSync(join(dir, `${slug}.md`), `---\n${stringify(frontmatter)}---\n${body}`);
    slugs.push(slug);
  }
  const updateSchema = createDailyUpdateSchema(new Set(slugs));
  // Slugs by day, in writing order, so each daily update finds its incidents without scanning them all.
  const byDay = new Map<string, string[]>();
  for (const slug of slugs) {
    const list = byDay.get(slug.slice(0, 10));
    if (list) list.push(slug);
    else byDay.set(slug.slice(0, 10), [slug]);
  }
  for (let d = 0; d < days; d++) {
    const date = new Date(endMs - d * 86_400_000).toISOString().slice(0, 10);
    const related = (byDay.get(date) ?? []).slice(0, 2);
    const frontmatter = {
      author: pick(['Peter Saint-Andre', 'The jabber.org team']),
      summary: related.length ? 'An incident today; details below.' : 'All services normal.',
      incidents: related,
    };
    updateSchema.parse(frontmatter);
    writeFileSync(join(out, 'content/updates', `${date}.md`), `---\n${stringify(frontmatter)}---\n\n${pick(sentences)} ${pick(sentences)}\n`);
  }
  const maintenanceSchema = createMaintenanceSchema(components);
  const windows = maintenanceCount(incidents + days, options.maintenanceShare ?? DEFAULT_MAINTENANCE_SHARE);
  const works = [
    'Server upgrade',
    'Database maintenance',
    'Certificate renewal',
    'Network maintenance at the data centre',
    'Operating system updates',
    'Storage migration',
  ];
  const stamp = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const startHours = new Set<number>();
  for (let m = 0; m < windows; m++) {
    // Most windows are history; about 2 % lie in the next 90 days, and the
    // first one is in progress at `end`, so calendars and the API have
    // upcoming and active windows to show.
    const when = m === 0 ? endMs - 3_600_000 : random() < 0.02 ? endMs + random() * 90 * 86_400_000 : endMs - span + random() * (span - 86_400_000);
    // One window starts per hour at most, as one team schedules them; two
    // with the same title and start would also share a page title.
    let start = Math.floor(when / 3_600_000) * 3_600_000;
    while (startHours.has(start)) start += 3_600_000;
    startHours.add(start);
    const hours = 1 + Math.floor(random() * 4);
    const announced = Math.min(start - 7 * 86_400_000, endMs - 86_400_000);
    const end = start + hours * 3_600_000;
    // A timeline as admins write it: the announcement, then (for past
    // windows) the start and the completion, or a cancellation.
    const updates: Record<string, string>[] = [{ at: stamp(announced), status: 'scheduled', start: stamp(start), end: stamp(end), message: 'Announced.' }];
    if (m > 0 && random() < 0.05) updates.push({ at: stamp(announced + 3_600_000), status: 'cancelled', message: 'Cancelled.' });
    else if (end < endMs)
      updates.push({ at: stamp(start), status: 'in-progress', message: 'Started.' }, { at: stamp(end), status: 'completed', message: 'Done.' });
    const frontmatter = {
      title: pick(works),
      components: [...new Set([pick(components), ...(random() < 0.3 ? [pick(components)] : [])])],
      updates,
    };
    maintenanceSchema.parse(frontmatter);
    const body = `${pick(['Short restarts expected.', 'Connections will drop once; apps reconnect by themselves.', 'No interruption is expected, but logins may be slow.'])}\n`;
    writeFileSync(join(out, 'content/maintenance', `${stamp(start).slice(0, 10)}-window-${m}.md`), `---\n${stringify(frontmatter)}---\n\n${body}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      incidents: { type: 'string', default: '500' },
      updates: { type: 'string', default: '3650' },
      out: { type: 'string', default: 'bench/out/corpus' },
      seed: { type: 'string', default: '1' },
      end: { type: 'string', default: '2026-11-21' },
      'maintenance-share': { type: 'string' },
    },
  });
  const out = resolve(values.out);
  const started = performance.now();
  writeCorpus(
    out,
    Number(values.incidents),
    Number(values.updates),
    Number(values.seed),
    new Date(`${values.end}T12:00:00Z`),
    values['maintenance-share'] === undefined ? {} : { maintenanceShare: Number(values['maintenance-share']) },
  );
  const result = loadContent(out);
  if (!result.ok) {
    console.error(formatProblems(result.problems));
    process.exit(1);
  }
  console.log(
    `Wrote ${result.content.incidents.length} incidents, ${result.content.updates.length} daily updates and ${result.content.maintenance.length} maintenance windows to ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s; all valid.`,
  );
}
