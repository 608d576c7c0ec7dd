/**
 * `/api/services.json`: each service's state and checklist, and the policy
 * they were judged by, for aggregators and client apps that suggest
 * servers. Field names in snake_case, as the site's Statuspage API. Pure.
 */
import { toIsoUtc } from '../shared/time.ts';
import type { DirectoryView } from './directory.ts';
import { POLICY_ITEMS } from './policy.ts';

const iso = (ms: number) => toIsoUtc(new Date(ms));

/**
 * @param pageUrl absolute URL of a service page, e.g. `(d) => 'https://status.jabber.org/services/' + d + '/'`
 */
export function servicesApi(view: DirectoryView | undefined, pageUrl: (domain: string) => string, now: Date) {
  return {
    generated_at: toIsoUtc(now),
    sample_data: view?.sample ?? false,
    policy: POLICY_ITEMS.map((i) => ({ id: i.id, number: i.number, title: i.title, text: i.text, automated: i.automated })),
    services: (view?.entries ?? []).map((e) => ({
      domain: e.service.domain,
      name: e.service.name,
      page: pageUrl(e.service.domain),
      website: e.service.website,
      registration: { method: e.service.registration.method, url: e.service.registration.url ?? null },
      location: { country: e.service.location.country, city: e.service.location.city },
      applied: e.service.applied,
      withdrawn: e.service.withdrawn ?? null,
      state: e.status.state,
      state_since: iso(e.status.since),
      testing_days_left: e.status.testingDaysLeft ?? null,
      failing: e.status.state === 'failing' ? e.status.failing.map((f) => ({ item: f.id, since: iso(f.since) })) : [],
      uptime_30d: e.monitoring?.uptime['30d'] ?? null,
      checklist: e.checklist.map((r) => ({
        item: r.id,
        number: r.number,
        automated: r.automated,
        verdict: r.verdict,
        reason: r.reason,
        evidence: r.evidence.map((ev) => ({ check: ev.check, location: ev.vantage, at: ev.at || null, target: ev.target, ok: ev.ok, seen: ev.seen })),
      })),
      changes: e.status.changes.map((c) => ({ at: iso(c.at), from: c.from, to: c.to, failing: c.failing.map((f) => f.id) })),
    })),
  };
}
