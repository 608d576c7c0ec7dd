/**
 * The authoring commands, one per task (see the README, "Publishing as an admin"):
 *   npm run new:incident -- --title "…" --component c2s --impact major
 *   npm run incident:update -- <slug> --status identified --message "…"
 *   npm run new:maintenance -- --title "…" --start … --end … --component c2s
 *   npm run maintenance:update -- <slug> --status in-progress --message "…"
 *   npm run new:update
 * Each one builds the file with src/lib/admin, validates it with the same
 * schemas as the build, refuses to overwrite, and prints the path and the
 * git commands that publish it. `--help` on each says everything.
 */
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readdirSync } from 'node:fs';
import { appendUpdate, dailyUpdateFile, incidentFile, maintenanceFile, repeatsLastUpdate } from '../src/lib/admin/authoring.ts';
import { slugNotFound, type SlugCandidate } from '../src/lib/admin/slug-suggestions.ts';
import { forgottenDashDash } from '../src/lib/shared/usage-io.ts';
import { dailyFacts } from '../src/lib/admin/daily-facts.ts';
import { readContentFile, writeValidated, type WriteResult } from '../src/lib/admin/author-io.ts';
import { parseList, parsePairs, parseTimeInput, slugify } from '../src/lib/admin/inputs.ts';
import { loadContent, loadSiteConfig } from '../src/lib/content/load-content-io.ts';
import { formatProblems } from '../src/lib/content/problems.ts';
import { loadProbeSources } from '../src/lib/monitoring/probe-sources-io.ts';
import { COMPONENT_IMPACTS, DECLARED_STATES, IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES } from '../src/lib/schemas.ts';
import { siteView } from '../src/lib/site/site-view.ts';
import { resolveBuildTime, toUtcDate } from '../src/lib/shared/time.ts';

const root = process.env.STATUS_CONTENT_ROOT || process.cwd();
const now = resolveBuildTime(process.env);
const [command, ...argv] = process.argv.slice(2);

const TIME_HELP = 'Times: now, a duration from now (2h, 30m; in the past as --at=-15m), or a time with an offset (2026-11-25T04:00:00Z).';
const HELP: Record<string, string> = {
  'new-incident': `Usage: npm run new:incident -- --title "…" --component ID[,ID] --impact LEVEL [options]

Creates incidents/YYYY/YYYY-MM-DD-<title>.md with its first update.

  --title TEXT         headline readers see (required)
  --component ID[=STATE][,…]
                       affected components (required); STATE is one of
                       ${COMPONENT_IMPACTS.join(', ')} (default from --impact)
  --impact LEVEL       ${IMPACTS.join(', ')} (required)
  --status STATUS      ${INCIDENT_STATUSES.join(', ')} (default investigating)
  --message TEXT       what readers should know (Markdown; default "We are investigating.")
  --next TIME          when the next update is due, e.g. 1h
  --at TIME            when this update is posted (default now)
${TIME_HELP}`,
  'incident-update': `Usage: npm run incident:update -- <slug> --status STATUS --message "…" [options]

Adds an update to incidents/YYYY/<slug>.md. "resolved" closes the incident.

  --status STATUS      ${INCIDENT_STATUSES.join(', ')} (required)
  --message TEXT       what readers should know now (Markdown, required)
  --component ID=STATE component state from this update on, e.g. c2s=operational;
                       STATE is one of ${DECLARED_STATES.join(', ')}; repeatable
  --next TIME          when the next update is due, e.g. 2h
  --at TIME            when this update is posted (default now)
  --force              post it even if it says exactly what the last update says
${TIME_HELP}`,
  'new-maintenance': `Usage: npm run new:maintenance -- --title "…" --start TIME --end TIME --component ID[,ID] [options]

Creates content/maintenance/YYYY-MM-DD-<title>.md, announced now.

  --title TEXT         headline readers see (required)
  --start TIME         when the work starts (required)
  --end TIME           when it is expected to end (required)
  --component ID[,ID]  components under maintenance (required)
  --message TEXT       what users will notice (Markdown; default "Planned maintenance.")
  --at TIME            when it is announced (default now)
${TIME_HELP}`,
  'maintenance-update': `Usage: npm run maintenance:update -- <slug> --status STATUS --message "…" [options]

Adds an update to content/maintenance/<slug>.md: reschedule (status
scheduled with --start/--end), start, verify, complete or cancel.

  --status STATUS      ${MAINTENANCE_STATUSES.join(', ')} (required)
  --message TEXT       what readers should know now (Markdown, required)
  --start TIME         a new start (reschedule)
  --end TIME           a new end (reschedule, or the work takes longer)
  --at TIME            when this update is posted (default now)
  --force              post it even if it says exactly what the last update says
${TIME_HELP}`,
  'new-update': `Usage: npm run new:update [-- --author NAME --summary TEXT --date YYYY-MM-DD]

Creates content/updates/<today>.md, prefilled with the last 24 hours' facts
(uptime per component, incidents opened, updated and resolved, maintenance,
certificates expiring) for you to edit before you commit.

  --author NAME        who writes it (default "The jabber.org team")
  --summary TEXT       the one line shown in lists (default from the facts)
  --date YYYY-MM-DD    the day (default today, UTC)`,
};

function fail(message: string, code = 2): never {
  // A usage error after `npm run x --status …` (no "--"): say what npm did with the options.
  const hint = code === 2 ? forgottenDashDash(HELP[command ?? ''] ?? Object.values(HELP).join('\n'), process.env) : undefined;
  console.error(hint ? `${hint}\n\n${message}` : message);
  process.exit(code);
}

/** Existing incidents or maintenance windows, and which are open, for "did you mean". */
function candidates(kind: 'incident' | 'maintenance'): SlugCandidate[] {
  const loaded = loadContent(root);
  if (loaded.ok) {
    return kind === 'incident'
      ? loaded.content.incidents.map((i) => ({ slug: i.slug, open: i.resolvedAt === null }))
      : loaded.content.maintenance.map((m) => ({
          slug: m.slug,
          open: m.status !== 'cancelled' && m.updates.at(-1)?.status !== 'completed' && m.end.getTime() > now.getTime(),
        }));
  }
  // Content with problems: the names on disk still help.
  const names = (dir: string) => {
    try {
      return readdirSync(join(root, dir))
        .filter((n) => /^\d{4}-\d{2}-\d{2}-.+\.md$/.test(n))
        .map((n) => n.slice(0, -3));
    } catch {
      return [];
    }
  };
  const slugs = kind === 'incident' ? readdirSafe(join(root, 'incidents')).flatMap((year) => names(`incidents/${year}`)) : names('content/maintenance');
  return slugs.map((slug) => ({ slug, open: false }));
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => /^\d{4}$/.test(n));
  } catch {
    return [];
  }
}

/** Refuses to post what the last update already says, unless --force (issue 22: two notifications went out). */
function refuseRepeat(text: string, update: Record<string, unknown>, slug: string, force: boolean | undefined): void {
  if (!force && repeatsLastUpdate(text, update)) {
    fail(
      `The last update of ${slug} already says exactly this (status ${String(update.status)}, same message); nothing was written, so no second notification goes out. If you mean to post it again, run the command again with --force.`,
      1,
    );
  }
}

function args<T extends ParseArgsConfig['options']>(name: string, options: T, positionals = 0) {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } }, allowPositionals: positionals > 0 });
    if ((parsed.values as { help?: boolean }).help) {
      console.log(HELP[name]);
      process.exit(0);
    }
    if (parsed.positionals.length !== positionals) fail(`${positionals ? `Give exactly ${positionals} name.` : 'Unexpected argument.'}\n\n${HELP[name]}`);
    return parsed;
  } catch (err) {
    fail(`${(err as Error).message}\n\n${HELP[name]}`);
  }
}

function time(option: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = parseTimeInput(value, now);
  if ('error' in t) fail(`--${option}: ${t.error}`);
  return t.iso;
}

function required<T>(value: T | undefined, option: string, name: string): T {
  if (value === undefined || value === '') fail(`--${option} is required.\n\n${HELP[name]}`);
  return value;
}

function done(result: WriteResult, commit: string): void {
  if (!result.ok) fail(result.message, 1);
  console.log(`Wrote ${result.path}; it is valid.`);
  if (result.othersBroken)
    console.warn(`Note: ${result.othersBroken} other file(s) have problems, so the site will not build until they are fixed (npm run check).`);
  console.log(`\nTo publish it:\n  git add ${result.path}\n  git commit -m ${JSON.stringify(commit)}\n  git push`);
}

/** Where an incident or window lives, from its slug. */
const incidentPath = (slug: string) => `incidents/${slug.slice(0, 4)}/${slug}.md`;
const maintenancePath = (slug: string) => `content/maintenance/${slug}.md`;

const IMPACT_STATE: Record<string, string> = { critical: 'major-outage', major: 'partial-outage', minor: 'degraded', none: 'degraded' };

switch (command) {
  case 'new-incident': {
    const { values } = args('new-incident', {
      title: { type: 'string' },
      component: { type: 'string', multiple: true },
      impact: { type: 'string' },
      status: { type: 'string' },
      message: { type: 'string' },
      next: { type: 'string' },
      at: { type: 'string' },
    });
    const title = required(values.title, 'title', 'new-incident');
    const impact = required(values.impact, 'impact', 'new-incident');
    const at = time('at', values.at) ?? time('at', 'now')!;
    const affected = parseList(required(values.component, 'component', 'new-incident').join(',')).map((part) => {
      const [id, status] = part.split('=');
      return { id: id!, status: status ?? IMPACT_STATE[impact] ?? 'degraded' };
    });
    const path = incidentPath(`${at.slice(0, 10)}-${slugify(title)}`);
    const text = incidentFile({
      title,
      impact,
      affected,
      status: values.status ?? 'investigating',
      message: values.message ?? 'We are investigating.',
      at,
      ...(values.next ? { next: values.next } : {}),
    });
    done(writeValidated(root, path, text, 'create'), `Incident: ${title}`);
    break;
  }
  case 'incident-update': {
    const { values, positionals } = args(
      'incident-update',
      {
        status: { type: 'string' },
        message: { type: 'string' },
        component: { type: 'string', multiple: true },
        next: { type: 'string' },
        at: { type: 'string' },
        force: { type: 'boolean' },
      },
      1,
    );
    const slug = positionals[0]!.replace(/\.md$/, '').replace(/^.*\//, '');
    const path = incidentPath(slug);
    const text = readContentFile(root, path) ?? fail(slugNotFound('incident', slug, path, candidates('incident')), 1);
    const pairs = parsePairs(values.component ?? []);
    if ('error' in pairs) fail(`--component: ${pairs.error}`);
    const update = {
      at: time('at', values.at) ?? time('at', 'now')!,
      status: required(values.status, 'status', 'incident-update'),
      message: required(values.message, 'message', 'incident-update'),
      ...(Object.keys(pairs).length ? { components: pairs } : {}),
      ...(values.next ? { next: values.next } : {}),
    };
    refuseRepeat(text, update, slug, values.force);
    const next = appendUpdate(text, update);
    if ('error' in next) fail(`${path} ${next.error}`, 1);
    done(writeValidated(root, path, next.text, 'replace', text), `Incident ${update.status}: ${slug}`);
    break;
  }
  case 'new-maintenance': {
    const { values } = args('new-maintenance', {
      title: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      component: { type: 'string', multiple: true },
      message: { type: 'string' },
      at: { type: 'string' },
    });
    const title = required(values.title, 'title', 'new-maintenance');
    const start = time('start', required(values.start, 'start', 'new-maintenance'))!;
    const end = time('end', required(values.end, 'end', 'new-maintenance'))!;
    const components = parseList(required(values.component, 'component', 'new-maintenance').join(','));
    const path = maintenancePath(`${start.slice(0, 10)}-${slugify(title)}`);
    const text = maintenanceFile({
      title,
      components,
      at: time('at', values.at) ?? time('at', 'now')!,
      start,
      end,
      message: values.message ?? 'Planned maintenance.',
    });
    done(writeValidated(root, path, text, 'create'), `Maintenance: ${title}`);
    break;
  }
  case 'maintenance-update': {
    const { values, positionals } = args(
      'maintenance-update',
      {
        status: { type: 'string' },
        message: { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        at: { type: 'string' },
        force: { type: 'boolean' },
      },
      1,
    );
    const slug = positionals[0]!.replace(/\.md$/, '').replace(/^.*\//, '');
    const path = maintenancePath(slug);
    const text = readContentFile(root, path) ?? fail(slugNotFound('maintenance window', slug, path, candidates('maintenance')), 1);
    const start = time('start', values.start);
    const end = time('end', values.end);
    const update = {
      at: time('at', values.at) ?? time('at', 'now')!,
      status: required(values.status, 'status', 'maintenance-update'),
      ...(start ? { start } : {}),
      ...(end ? { end } : {}),
      message: required(values.message, 'message', 'maintenance-update'),
    };
    refuseRepeat(text, update, slug, values.force);
    const next = appendUpdate(text, update);
    if ('error' in next) fail(`${path} ${next.error}`, 1);
    done(writeValidated(root, path, next.text, 'replace', text), `Maintenance ${update.status}: ${slug}`);
    break;
  }
  case 'new-update': {
    const { values } = args('new-update', { author: { type: 'string' }, summary: { type: 'string' }, date: { type: 'string' } });
    const date = values.date ?? toUtcDate(now);
    const loaded = loadContent(root);
    if (!loaded.ok) {
      const config = loadSiteConfig(root);
      fail(`The content has problems, so the facts cannot be gathered. Fix them first:\n\n${formatProblems(config.ok ? loaded.problems : config.problems)}`, 1);
    }
    const sources = await loadProbeSources(loaded.content.site.probes.sources, { root, cacheDir: join(root, '.cache', 'probe-sources'), now });
    const state = siteView(loaded.content, { summaries: sources.flatMap((s) => (s.summary ? [s.summary] : [])) }, now);
    // A source that could not be read is said out loud, and its figures are left as TODO (issue 22).
    const unread = sources.filter((s) => !s.summary).map((s) => `${s.name}: ${s.problem ?? 'no data'}`);
    if (unread.length)
      console.warn(
        `Could not read the monitoring data of ${unread.length} probe source(s):\n${unread.map((u) => `  ${u}`).join('\n')}\nThe update says TODO where the figures are missing: fill them in before you commit.`,
      );
    const { facts, incidents } = dailyFacts(state, unread);
    const summary =
      values.summary ??
      (incidents.length ? `${incidents.length} incident${incidents.length === 1 ? '' : 's'} in the last 24 hours; details below.` : 'All services normal.');
    const text = dailyUpdateFile({ author: values.author ?? 'The jabber.org team', summary, incidents, facts });
    done(writeValidated(root, `content/updates/${date}.md`, text, 'create'), `Daily update ${date}`);
    break;
  }
  default:
    fail(`Unknown command "${command ?? ''}". Use one of: ${Object.keys(HELP).join(', ')}.`);
}
