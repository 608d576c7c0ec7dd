/**
 * Runs every check for a list of domains and turns outcomes into records.
 * Domains run concurrently (bounded); a domain's checks run in parallel
 * once DNS has said where to connect. A failed *connection* is tried once
 * more after a pause, and the record says so (`attempts: 2`).
 */
import pLimit from 'p-limit';
import { PROBE_RECORD_VERSION, problemText, type ProbeCheck, type ProbeNotRun, type ProbeProblem, type ProbeRecord, type ProbeTarget } from '../schemas.ts';
import { accountFor, LOGGED_IN_CHECKS, type AccountSettings } from './account.ts';
import type { ConnectTarget } from './srv.ts';
import {
  checkAuthenticated,
  checkC2sDirectTls,
  checkC2sStartTls,
  checkDns,
  checkRegister,
  checkS2sStartTls,
  checkWebsite,
  targetsFor,
  type CheckOutcome,
  type DnsPlans,
  LoginRefused,
  type ProbeContext,
} from './checks-io.ts';
import { judgeLoginFailure } from './login-failure.ts';
import { ProbeError } from './stream-io.ts';
import { boundRecord } from './record-bounds.ts';

export interface RunOptions {
  vantage: string;
  /** Per-domain settings; the context minus `domain`. */
  context: Omit<ProbeContext, 'domain'>;
  /** Pause before the one retry, in ms. */
  retryDelayMs: number;
  /** Domains probed at once. */
  concurrency: number;
  /** PROBE_JID / PROBE_PASSWORD for the logged-in checks; used only on the account's own domain. */
  account?: AccountSettings;
  remoteDomain?: string;
  /** Remote servers the `federation` check pings, one record each (issue 17), e.g. `['xmpp.org']`. */
  federation?: readonly string[];
  /** Federation pings in flight at once within one login, default 10. */
  federationConcurrency?: number;
  /** Called when the probe itself needs its operator, e.g. the server refused the probe account (login-failure.ts). */
  onAlert?: (domain: string, alert: string) => void;
  /** Called with each domain's records as soon as it is done. */
  onDomain?: (domain: string, records: ProbeRecord[]) => void;
}

interface Timed {
  outcome: CheckOutcome & { notRun?: ProbeNotRun };
  at: Date;
  ms: number;
  attempts: number;
}

/** A bug in the probe, as a problem, e.g. `probe error: Cannot read properties of undefined`. */
const probeBug = (err: unknown): ProbeProblem => ({ kind: 'probe-error', text: `probe error: ${(err as Error).message}`.slice(0, 300) });

async function once(fn: () => Promise<CheckOutcome>): Promise<CheckOutcome & { retryable?: boolean }> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProbeError) return { ok: false, problems: [err.problem], detail: {}, retryable: err.retryable };
    // A bug in a check must not take the other checks down; say what it was.
    return { ok: false, problems: [probeBug(err)], detail: {} };
  }
}

async function timed(fn: () => Promise<CheckOutcome>, clock: () => Date, retryDelayMs: number): Promise<Timed> {
  // `at` and `ms` cover both attempts and the pause: what a user would have waited.
  const at = clock();
  const started = performance.now();
  let result = await once(fn);
  let attempts = 1;
  if (!result.ok && result.retryable) {
    const firstError = problemText(result.problems);
    await new Promise((r) => setTimeout(r, retryDelayMs));
    result = await once(fn);
    attempts = 2;
    result.detail = { ...result.detail, firstAttemptError: firstError };
  }
  const { retryable: _r, ...outcome } = result;
  return { outcome, at, ms: Math.round((performance.now() - started) * 10) / 10, attempts };
}

function toRecord(vantage: string, domain: string, check: ProbeCheck, target: string, t: Timed): ProbeRecord {
  // Parsing through the shared schema (in boundRecord) guarantees every written
  // line is one the build can read; trimming first means it cannot throw (issue 22).
  return boundRecord({
    v: PROBE_RECORD_VERSION,
    at: t.at.toISOString(),
    vantage,
    domain,
    check,
    target,
    // Version 2: a check that did not run neither passed nor failed.
    ok: t.outcome.notRun ? null : t.outcome.ok,
    ms: t.ms,
    attempts: t.attempts,
    ...(t.outcome.problems?.length ? { problems: t.outcome.problems } : {}),
    detail: t.outcome.detail,
    ...(t.outcome.notRun ? { notRun: t.outcome.notRun } : {}),
  });
}

const hostPort = (t: ConnectTarget) => `${t.host}:${t.port}`;

/** Why a kind of connection has no target: the DNS check failed, the domain says it is not offered, or its lookup failed. */
function unreachable(
  plans: DnsPlans | undefined,
  service: 'xmpp-client' | 'xmpps-client' | 'xmpp-server',
): { error: string; kind: ProbeProblem['kind']; notRun?: ProbeNotRun } {
  if (!plans) return { error: 'DNS check failed', kind: 'dns-failed' };
  const plan = plans[service];
  if (plan.kind === 'not-offered') return { error: `not offered: _${service}._tcp points to "."`, kind: 'not-run', notRun: 'not-offered' };
  if (plan.kind === 'dns-error') return { error: `DNS lookup of _${service}._tcp failed (${plan.error})`, kind: 'dns-failed' };
  return { error: 'no target', kind: 'dns-failed' };
}

/** A check that did not get to run: `not-run` with its reason, or failed with `kind` (the DNS check failed before it). */
const notRunTimed = (at: Date, error: string, notRun?: ProbeNotRun, kind: ProbeProblem['kind'] = 'not-run'): Timed => ({
  outcome: { ok: false, problems: [{ kind: notRun ? 'not-run' : kind, text: error }], detail: {}, ...(notRun ? { notRun } : {}) },
  at,
  ms: 0,
  attempts: 1,
});

/** Every check for one domain. */
export async function probeDomain(target: ProbeTarget, options: RunOptions): Promise<ProbeRecord[]> {
  const ctx: ProbeContext = { ...options.context, domain: target.domain };
  const run = (fn: () => Promise<CheckOutcome>) => timed(fn, ctx.now, options.retryDelayMs);
  const records: ProbeRecord[] = [];
  const add = (check: ProbeCheck, where: string, t: Timed) => records.push(toRecord(options.vantage, target.domain, check, where, t));

  let plans: DnsPlans | undefined;
  add(
    'dns',
    target.domain,
    await run(async () => {
      const dns = await checkDns(ctx);
      plans = dns.plans;
      return dns.outcome;
    }),
  );
  const jobs: Promise<void>[] = [];
  const perTarget = (check: ProbeCheck, service: 'xmpp-client' | 'xmpps-client' | 'xmpp-server', fn: (t: ConnectTarget) => Promise<CheckOutcome>) => {
    const targets = plans ? targetsFor(plans, service) : [];
    if (targets.length === 0) {
      const why = unreachable(plans, service);
      add(check, target.domain, notRunTimed(ctx.now(), why.error, why.notRun, why.kind));
      return;
    }
    for (const t of targets) jobs.push(run(() => fn(t)).then((r) => void add(check, hostPort(t), r)));
  };
  perTarget('c2s-starttls', 'xmpp-client', (t) => checkC2sStartTls(t, ctx));
  perTarget('c2s-directtls', 'xmpps-client', (t) => checkC2sDirectTls(t, ctx));
  perTarget('s2s-starttls', 'xmpp-server', (t) => checkS2sStartTls(t, ctx));

  const first = plans ? targetsFor(plans, 'xmpp-client')[0] : undefined;
  if (first) jobs.push(run(() => checkRegister(first, ctx, target.registrationUrl)).then((r) => void add('register', hostPort(first), r)));
  for (const url of target.websites ?? [`https://${target.domain}/`, `http://${target.domain}/`]) {
    jobs.push(run(() => checkWebsite(url, ctx)).then((r) => void add('website', url, r)));
  }

  // The logged-in checks run only with the account's own domain and a client
  // target; otherwise each is recorded as not run, with the reason.
  const use = accountFor(target.domain, options.account ?? {});
  const pings = [target.domain, ...(options.remoteDomain ? [options.remoteDomain] : [])];
  // Federation records are keyed by the remote server in summaries, so only
  // the account's own domain (or, without any account, every domain probed
  // with a federation list) writes them: another domain's "not run" would
  // hide the real result (issue 17).
  const remotes =
    'notRun' in use && use.notRun === 'account-elsewhere'
      ? []
      : [...new Set((options.federation ?? []).map((d) => d.toLowerCase()))].filter((d) => d !== target.domain.toLowerCase());
  // Where each logged-in check goes: ping to the domain and remoteDomain, federation to each remote server.
  const targetsOf = (check: (typeof LOGGED_IN_CHECKS)[number]) =>
    check === 'ping' ? pings : check === 'federation' ? remotes : check === 'login' && first ? [hostPort(first)] : [target.domain];
  const notRunAll = (error: string, notRun?: ProbeNotRun, ms = 0, at = ctx.now()) => {
    for (const check of LOGGED_IN_CHECKS) {
      for (const where of targetsOf(check)) add(check, where, { ...notRunTimed(at, error, notRun), ms });
    }
  };
  if ('notRun' in use) notRunAll(use.error, use.notRun);
  else if (!first) {
    const why = unreachable(plans, 'xmpp-client');
    notRunAll(`not run: no client connection to log in over (${why.error})`, 'no-client-target');
  } else {
    jobs.push(
      (async () => {
        const at = ctx.now();
        const started = performance.now();
        try {
          const results = await checkAuthenticated(
            first,
            { username: use.username, password: use.password },
            { remoteDomain: options.remoteDomain, federation: remotes, federationConcurrency: options.federationConcurrency },
            ctx,
          );
          for (const r of results) add(r.check, r.target, { outcome: r.outcome, at: r.at, ms: r.ms, attempts: 1 });
        } catch (err) {
          // Login failed: one `login` record says why, the checks that need
          // the session did not run; what it means is login-failure.ts's rule.
          const problem = err instanceof ProbeError ? err.problem : probeBug(err);
          const message = err instanceof ProbeError ? err.message : `probe error: ${(err as Error).message}`;
          const verdict = judgeLoginFailure({ message, ...(err instanceof LoginRefused ? { saslCondition: err.condition } : {}) }, options.account?.jid ?? '');
          const ms = Math.round(performance.now() - started);
          // The login record keeps the failure's own kind (a timeout, a refused login, a bad certificate); a refused probe account did not run.
          add('login', hostPort(first), { ...notRunTimed(at, verdict.login.error, verdict.login.notRun, problem.kind), ms });
          for (const check of LOGGED_IN_CHECKS) {
            if (check === 'login') continue;
            for (const where of targetsOf(check)) add(check, where, notRunTimed(at, verdict.dependents.error, verdict.dependents.notRun));
          }
          if (verdict.alert) options.onAlert?.(target.domain, verdict.alert);
        }
      })(),
    );
  }
  await Promise.all(jobs);
  return records;
}

/** Probes every target, at most `concurrency` domains at a time. */
export async function runProbe(targets: readonly ProbeTarget[], options: RunOptions): Promise<ProbeRecord[]> {
  const limit = pLimit(Math.max(1, options.concurrency));
  const all = await Promise.all(
    targets.map((t) =>
      limit(async () => {
        let records: ProbeRecord[];
        try {
          records = await probeDomain(t, options);
        } catch (err) {
          // A bug or a bad entry for one service is one failed record, never a crashed run (issue 22).
          const at = options.context.now();
          records = [
            toRecord(options.vantage, t.domain, 'dns', t.domain, {
              outcome: { ok: false, problems: [{ kind: 'probe-error', text: `probe error: ${(err as Error).message}` }], detail: {} },
              at,
              ms: 0,
              attempts: 1,
            }),
          ];
        }
        options.onDomain?.(t.domain, records);
        return records;
      }),
    ),
  );
  return all.flat();
}
