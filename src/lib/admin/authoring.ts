/**
 * The files admins would otherwise write by hand, as pure text in and text
 * out: a new incident, maintenance window or daily update, and a new
 * timeline entry appended to an existing incident or window. Frontmatter is
 * edited through the `yaml` document model, so the comments and layout an
 * admin wrote stay as they were. The commands (`admin/author-io.ts`)
 * validate every result with the real schemas before anything is written.
 */
import { isMap, isSeq, parseDocument, stringify } from 'yaml';

const YAML_OPTIONS = { lineWidth: 0 } as const;

/** Splits `---` frontmatter from the body; undefined when the file has none. */
export function splitFrontmatter(text: string): { yaml: string; body: string } | undefined {
  if (!text.startsWith('---\n')) return undefined;
  const end = text.indexOf('\n---', 3);
  if (end === -1) return undefined;
  const after = text.indexOf('\n', end + 4);
  return { yaml: text.slice(4, end + 1), body: after === -1 ? '' : text.slice(after + 1) };
}

const file = (data: Record<string, unknown>, body: string) => `---\n${stringify(data, YAML_OPTIONS)}---\n${body ? `\n${body.trim()}\n` : ''}`;

export interface NewIncident {
  title: string;
  /** e.g. `major` */
  impact: string;
  /** e.g. `[{ id: 'c2s', status: 'major-outage' }]` */
  affected: { id: string; status: string }[];
  /** e.g. `investigating` */
  status: string;
  message: string;
  /** The first update's time, e.g. `2026-11-21T12:00:00Z`. */
  at: string;
  /** A time or duration for the next update, e.g. `1h`. */
  next?: string;
}

/** A new incident file's text. */
export function incidentFile(i: NewIncident): string {
  return file(
    {
      title: i.title,
      impact: i.impact,
      affected: i.affected,
      updates: [{ at: i.at, status: i.status, message: i.message, ...(i.next ? { next: i.next } : {}) }],
    },
    '',
  );
}

export interface NewMaintenance {
  title: string;
  components: string[];
  /** When it is announced (the first update), e.g. `2026-11-20T10:00:00Z`. */
  at: string;
  start: string;
  end: string;
  message: string;
}

/** A new maintenance window's text (the description body starts as the announcement). */
export function maintenanceFile(m: NewMaintenance): string {
  return file(
    { title: m.title, components: m.components, updates: [{ at: m.at, status: 'scheduled', start: m.start, end: m.end, message: m.message }] },
    m.message,
  );
}

/**
 * Appends one entry to the `updates` list of a file's frontmatter, keeping
 * everything else (comments, order, the body) as written.
 * @returns the new text, or why it cannot be done
 */
export function appendUpdate(text: string, update: Record<string, unknown>): { text: string } | { error: string } {
  const parts = splitFrontmatter(text);
  if (!parts) return { error: 'has no frontmatter between two "---" lines' };
  const doc = parseDocument(parts.yaml);
  if (doc.errors.length) return { error: `its frontmatter does not parse (${doc.errors[0]!.message.split('\n')[0]}); fix it first (npm run check)` };
  if (!isMap(doc.contents)) return { error: 'its frontmatter is not a set of fields' };
  const updates = doc.get('updates', true);
  if (!isSeq(updates)) return { error: 'has no "updates" list to add to' };
  updates.add(doc.createNode(update));
  return { text: `---\n${doc.toString(YAML_OPTIONS)}---\n${parts.body}` };
}

/**
 * A daily update prefilled with the facts of the last 24 hours, for the
 * admin to edit before publishing.
 * @param facts e.g. `['Client connections: 100% uptime (measured)', 'Resolved: Login failures']`
 */
export function dailyUpdateFile(u: { author: string; summary: string; incidents: string[]; facts: string[] }): string {
  // Facts only: the admin adds what users noticed, what was done and what comes next.
  const body = ['In the last 24 hours:', '', ...u.facts.map((f) => `- ${f}`)].join('\n');
  return file({ author: u.author, summary: u.summary, ...(u.incidents.length ? { incidents: u.incidents } : {}) }, body);
}

/**
 * Whether `update` says exactly what the file's last update says (every
 * field but `at`): re-running the same `incident:update` used to append a
 * duplicate and send two notifications (issue 22).
 */
export function repeatsLastUpdate(text: string, update: Record<string, unknown>): boolean {
  const parts = splitFrontmatter(text);
  if (!parts) return false;
  const doc = parseDocument(parts.yaml);
  if (doc.errors.length || !isMap(doc.contents)) return false;
  const updates = doc.toJS({ maxAliasCount: 50 })?.updates as unknown;
  if (!Array.isArray(updates) || updates.length === 0) return false;
  const last = updates.at(-1) as Record<string, unknown>;
  const comparable = (u: Record<string, unknown>) => {
    const entries: [string, unknown][] = Object.entries(u)
      .filter(([k]) => k !== 'at')
      .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]);
    return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
  };
  return comparable(last) === comparable(update);
}
