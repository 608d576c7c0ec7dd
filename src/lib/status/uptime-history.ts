/**
 * Uptime for every year and month ever measured (issue 29), per component
 * and per directory service, from the history store. The rules are the
 * 90-day figures' own: the same quorum, and for components the same
 * maintenance windows cut out when `excludeMaintenance` is on.
 */
import type { SiteContent } from '../content/content.ts';
import { historyFigures, type HistoryFigures, type HistoryStore } from '../monitoring/history-store.ts';
import type { ProbeCheck } from '../schemas.ts';

/** Figures per mapped component id; components without probes are absent. */
export function componentUptimeHistory(store: HistoryStore, content: SiteContent, now: Date): Map<string, HistoryFigures> {
  const { site } = content;
  const out = new Map<string, HistoryFigures>();
  for (const c of site.components) {
    const wanted = site.probes.components[c.id];
    if (!wanted) continue;
    const maintenance = site.probes.excludeMaintenance ? content.maintenance.filter((m) => m.status !== 'cancelled' && m.components.includes(c.id)) : [];
    out.set(
      c.id,
      historyFigures(store, wanted, { now, intervalSeconds: site.probes.intervalSeconds, quorum: site.probes.quorum, slaTarget: site.slaTarget, maintenance }),
    );
  }
  return out;
}

/**
 * Figures per directory service, for the months it was testing or listed:
 * from the month it applied to the month it was withdrawn.
 * @param check the check that stands for a service's uptime, e.g. `c2s-starttls`
 */
export function serviceUptimeHistory(
  store: HistoryStore,
  services: readonly { domain: string; applied: string; withdrawn?: string }[],
  options: { now: Date; check: ProbeCheck; intervalSeconds: number; quorum: number; slaTarget: number },
): Map<string, HistoryFigures> {
  const out = new Map<string, HistoryFigures>();
  for (const s of services) {
    const figures = historyFigures(store, [{ domain: s.domain, check: options.check }], { ...options, maintenance: [] });
    const from = s.applied.slice(0, 7);
    const to = s.withdrawn?.slice(0, 7) ?? '9999-12';
    const years = figures.years.map((y) => ({ ...y, months: y.months.filter((m) => m.month >= from && m.month <= to) })).filter((y) => y.months.length > 0);
    out.set(s.domain, { firstDate: figures.firstDate, years });
  }
  return out;
}
