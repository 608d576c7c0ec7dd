/**
 * C1: DNS. SRV lookups for the client, direct-TLS and server services, and
 * the targets each check connects to.
 */
import { resolveSrv } from 'node:dns/promises';
import type { ProbeProblem } from '../schemas.ts';
import { planSrvTargets, type ConnectTarget, type SrvPlan, type SrvRecord } from './srv.ts';
import { type CheckOutcome, FALLBACK_PORTS, type ProbeContext, type SrvService } from './session-io.ts';

// C1: DNS

export type DnsPlans = Record<SrvService | 'xmpps-server', SrvPlan>;

async function lookupSrv(name: string, ctx: ProbeContext): Promise<SrvRecord[] | { code: string }> {
  try {
    return ctx.resolver ? await ctx.resolver.resolveSrv(name) : await resolveSrv(name);
  } catch (err) {
    return { code: (err as NodeJS.ErrnoException).code ?? 'ESERVFAIL' };
  }
}

/** Looks up the four SRV names and plans where each kind of connection goes. */
export async function checkDns(ctx: ProbeContext): Promise<{ outcome: CheckOutcome; plans: DnsPlans }> {
  const names = ['xmpp-client', 'xmpps-client', 'xmpp-server', 'xmpps-server'] as const;
  const lookups = await Promise.all(names.map((s) => lookupSrv(`_${s}._tcp.${ctx.domain}`, ctx)));
  const plans = Object.fromEntries(
    names.map((s, i) => [s, planSrvTargets(ctx.domain, lookups[i]!, s === 'xmpps-server' ? 5270 : FALLBACK_PORTS[s], ctx.random)]),
  ) as DnsPlans;
  // Only a failed lookup fails DNS. A "." target is the domain saying the
  // service is decidedly not offered (RFC 2782, RFC 6120 §3.2.1): a fact the
  // policy judges, recorded in `notOffered` and by the checks that did not run.
  const problems: ProbeProblem[] = [];
  for (const s of ['xmpp-client', 'xmpp-server'] as const) {
    const plan = plans[s];
    if (plan.kind === 'dns-error') problems.push({ kind: 'dns-failed', text: `_${s}._tcp lookup failed (${plan.error})` });
  }
  const notOffered = names.filter((s) => plans[s].kind === 'not-offered');
  const describe = (service: (typeof names)[number], plan: SrvPlan) => {
    // Nothing connects to _xmpps-server without a record (no default port), so no fallback is listed.
    if (service === 'xmpps-server' && plan.kind === 'fallback') return { kind: 'no-records' };
    return plan.kind === 'srv' || plan.kind === 'fallback' ? { kind: plan.kind, targets: plan.targets.map((t) => `${t.host}:${t.port}`) } : plan;
  };
  return {
    outcome: {
      ok: problems.length === 0,
      ...(problems.length ? { problems } : {}),
      detail: { srv: Object.fromEntries(names.map((s) => [s, describe(s, plans[s])])), ...(notOffered.length ? { notOffered } : {}) },
    },
    plans,
  };
}

/** Where to connect for a kind of connection; direct TLS falls back to domain:5223 as the policy asks. */
export function targetsFor(plans: DnsPlans, service: SrvService): ConnectTarget[] {
  const plan = plans[service];
  return plan.kind === 'srv' || plan.kind === 'fallback' ? plan.targets : [];
}
