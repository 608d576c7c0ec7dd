/**
 * The watcher behind `npm run publish:follow` (issue 28): polls every
 * monitoring source of content/site.yaml every few seconds and runs the
 * publish command as soon as one has a new summary, instead of waiting for
 * the fixed second of the minute the timer used.
 *
 * - URL sources are fetched exactly as the build fetches them
 *   (`fetchSummary` in monitoring/probe-sources-io.ts: same redirect rule,
 *   size cap, timeout and retry), as conditional requests with the ETag and
 *   Last-Modified the server sent last: nginx answers 304 without a body
 *   while the file is unchanged, so a poll every 3 s costs a few hundred
 *   bytes.
 * - `path` sources (a summary file, or a folder of raw logs) are compared by
 *   modification time and size, without reading them.
 * - The publish command runs as a child, never two at once; changes during
 *   a run cause exactly one more (follow-plan.ts). It also runs every
 *   `everyMs` whatever happened, as the timer did, because pages change with
 *   the clock too (a maintenance window starting, "ongoing for 12 min"); a
 *   run with nothing changed ends in about a second without building.
 * - After each run, the `after` commands run in order (notify, alert), as
 *   the publish service's ExecStopPost lines do.
 *
 * Every failure is a sentence in the log: a source that does not answer
 * (follow-plan.ts says when and how often), a content/site.yaml that does
 * not parse, a publish that failed.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatProblems } from '../content/problems.ts';
import { loadSiteConfig } from '../content/load-content-io.ts';
import { MAX_SUMMARY_BYTES } from '../monitoring/limits.ts';
import { fetchSummary } from '../monitoring/probe-sources-io.ts';
import type { ProbeSource } from '../schemas.ts';
import { redactUrl, redactUrlsIn } from '../shared/redact-url.ts';
import { digestOf, EMPTY_MEMORY, IDLE, judgePoll, publishEnded, wantPublish, type PollResult, type RunnerState, type SourceMemory } from './follow-plan.ts';

export interface FollowOptions {
  /** The folder whose content/site.yaml lists the sources, e.g. `/srv/jabber-status/app`; `path` sources are relative to it. */
  contentRoot: string;
  /** Time between polls of every source, e.g. 3000. */
  pollMs: number;
  /** The longest time between two publish runs, e.g. 60_000 (the clock's changes). */
  everyMs: number;
  /** Pause before retrying a failed publish once, e.g. 5000. */
  retryMs: number;
  /** How often a source that still does not answer is said again, e.g. 300_000. */
  repeatMs: number;
  /** Timeout of one poll, e.g. 5000. */
  timeoutMs: number;
  /** The publish command, e.g. `['npm', 'run', '--silent', 'publish', '--', '--to', '/srv/jabber-status/site']`. */
  publish: readonly string[];
  /** Commands run after each publish, in order, e.g. `[['npm', 'run', '--silent', 'alert', '--', '--site', '/srv/jabber-status/site']]`. */
  after: readonly (readonly string[])[];
  /** Working folder and environment of the commands. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** One line of the log (stdout, so the journal keeps it). */
  log: (line: string) => void;
  /** Aborting stops polling; the call returns once a running publish has ended. */
  signal: AbortSignal;
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
}

/** How a source is named in the log, e.g. `ams (https://probe-ams.jabber.org/summary.json)`, credentials removed. */
function whereOf(source: ProbeSource): string {
  return `${source.name} (${'url' in source ? redactUrl(source.url) : source.path})`;
}

/** A `path` source's modification time and size (the newest log file's, for a folder of raw logs), as a digest. */
function pollPath(root: string, source: Extract<ProbeSource, { path: string }>): PollResult {
  try {
    const path = resolve(root, source.path);
    const stat = statSync(path);
    let mark = `${stat.mtimeMs}-${stat.size}`;
    if (stat.isDirectory()) {
      const folder = join(path, source.name);
      mark = readdirSync(folder)
        .map((f) => statSync(join(folder, f)))
        .map((s) => `${s.mtimeMs}-${s.size}`)
        .sort()
        .join(',');
    }
    return { kind: 'body', digest: mark, validators: {} };
  } catch (err) {
    return { kind: 'unreachable', problem: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (err as Error).message };
  }
}

/** One conditional GET of a URL source, as the build would fetch it. */
export async function pollUrl(
  source: Extract<ProbeSource, { url: string }>,
  memory: SourceMemory,
  limits: { timeoutMs: number; fetch: typeof globalThis.fetch },
): Promise<PollResult> {
  try {
    // The validators of the last body seen make the request conditional (If-None-Match, If-Modified-Since).
    const fetched = await fetchSummary(
      source.url,
      { timeoutMs: limits.timeoutMs, maxBytes: MAX_SUMMARY_BYTES, allowCrossOriginRedirects: source.allowCrossOriginRedirects, fetch: limits.fetch },
      memory.validators,
    );
    const validators = { ...(fetched.etag ? { etag: fetched.etag } : {}), ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}) };
    return fetched.notModified ? { kind: 'not-modified', validators } : { kind: 'body', digest: digestOf(fetched.text), validators };
  } catch (err) {
    return { kind: 'unreachable', problem: redactUrlsIn((err as Error).message) };
  }
}

/** Runs a command to its end with the watcher's output; resolves with its exit code (127 when it could not start). */
function runCommand(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<number> {
  return new Promise((done) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', (err) => {
      log(`Could not start ${argv.join(' ')}: ${err.message}. Check that the command exists for this user and the working folder ${cwd}.`);
      done(127);
    });
    child.once('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((done) => {
    if (signal.aborted) return done();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
  });

/** Follows the sources until `signal` aborts. */
export async function follow(options: FollowOptions): Promise<void> {
  const now = options.now ?? (() => new Date());
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const { log, signal } = options;
  const memories = new Map<string, SourceMemory>();
  let runner: RunnerState = IDLE;
  let running: Promise<void> = Promise.resolve();

  let lastRun = Date.now();
  const start = (reasons: readonly string[], delayMs: number) => {
    running = (async () => {
      if (delayMs > 0) await sleep(delayMs, signal);
      if (signal.aborted) {
        runner = IDLE;
        return;
      }
      const began = Date.now();
      lastRun = began;
      log(`Publishing: ${options.publish.join(' ')} (${reasons.join('; ')})`);
      const code = await runCommand(options.publish, options.cwd, options.env, log);
      const seconds = ((Date.now() - began) / 1000).toFixed(1);
      if (code === 0) log(`Publish finished in ${seconds} s (exit 0).`);
      else if (code === 75) log(`Publish did not run: another publish (the timer's or a push's) was running (exit 75).`);
      else log(`Publish failed in ${seconds} s (exit ${code}); its own lines above say why.`);
      for (const step of options.after) {
        const stepCode = await runCommand(step, options.cwd, options.env, log);
        if (stepCode !== 0) log(`${step.join(' ')} exited ${stepCode} after the publish; its own lines above say why.`);
      }
      // Reasons that came in during the publish or its follow-up commands: one more run.
      const next = publishEnded(runner, code === 0, reasons, options.retryMs);
      runner = next.state;
      if (!next.start || signal.aborted) {
        if (code !== 0) log('The next new summary or the next scheduled run tries again.');
        runner = IDLE;
        return;
      }
      if (next.start.delayMs > 0) log(`Trying once more in ${Math.round(next.start.delayMs / 1000)} s.`);
      else log(`Changes arrived during the publish (${next.start.reasons.join('; ')}); publishing once more.`);
      start(next.start.reasons, next.start.delayMs);
    })();
  };
  const want = (reason: string) => {
    if (signal.aborted) return;
    const step = wantPublish(runner, reason);
    runner = step.state;
    if (step.start) start(step.start.reasons, step.start.delayMs);
  };

  // content/site.yaml is read again when it changes (a push adds a location).
  let sources: ProbeSource[] = [];
  let siteMark = '';
  let siteProblemSaid = '';
  const siteFile = join(options.contentRoot, 'content', 'site.yaml');
  const reloadSources = () => {
    let mark: string;
    try {
      const s = statSync(siteFile);
      mark = `${s.mtimeMs}-${s.size}`;
    } catch {
      mark = 'missing';
    }
    if (mark === siteMark) return;
    siteMark = mark;
    const loaded = loadSiteConfig(options.contentRoot);
    if (!loaded.ok) {
      const said = formatProblems(loaded.problems);
      if (said !== siteProblemSaid)
        log(
          `Cannot read the monitoring sources from ${siteFile}; ${sources.length ? 'still following the ones read before' : 'following none until it is fixed'} (the timer still publishes):\n${said}`,
        );
      siteProblemSaid = said;
      return;
    }
    siteProblemSaid = '';
    sources = loaded.site.probes.sources.slice();
    for (const name of memories.keys()) if (!sources.some((s) => s.name === name)) memories.delete(name);
    log(
      `Following ${sources.length} monitoring source${sources.length === 1 ? '' : 's'} every ${options.pollMs / 1000} s: ${sources.map(whereOf).join(', ') || 'none'}.`,
    );
  };

  while (!signal.aborted) {
    const cycle = Date.now();
    reloadSources();
    await Promise.all(
      sources.map(async (source) => {
        const memory = memories.get(source.name) ?? EMPTY_MEMORY;
        const result =
          'url' in source ? await pollUrl(source, memory, { timeoutMs: options.timeoutMs, fetch: fetchImpl }) : pollPath(options.contentRoot, source);
        const judged = judgePoll(whereOf(source), memory, result, now(), options.repeatMs);
        memories.set(source.name, judged.memory);
        if (judged.say) log(judged.say);
        if (judged.changed && !signal.aborted) {
          log(memory.digest === undefined ? `First look at ${whereOf(source)}.` : `Noticed a new summary from ${whereOf(source)}.`);
          want(memory.digest === undefined ? `first look at ${source.name}` : `new summary from ${source.name}`);
        }
      }),
    );
    if (Date.now() - lastRun >= options.everyMs) {
      want(`${Math.round(options.everyMs / 1000)} s since the last run`);
      lastRun = Date.now();
    }
    await sleep(cycle + options.pollMs - Date.now(), signal);
  }
  // Let a running publish (and its follow-up commands) end: a release half
  // built is thrown away by the publish itself, but the log should say how it ended.
  for (let prev: Promise<void> | undefined; prev !== running;) {
    prev = running;
    await running;
  }
}
