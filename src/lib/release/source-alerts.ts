/**
 * Alerts for a probe location that stopped reporting (found by a review of
 * the merged branches: one location's summary could go stale for days with
 * nobody told, as long as another location kept the page fresh). The page
 * already counts such a location as stale and decides with the others; the
 * admins hear of it once the silence outlasts a few missed runs, so one
 * failed fetch does not raise and clear an alert within a minute.
 */

/** What the publish loop knows of one probe source this run. */
export interface SourceHealth {
  /** e.g. `ams` */
  name: string;
  /** Bundled sample data: never alerted. */
  sample: boolean;
  /** When the newest summary read was written, e.g. `2026-11-21T11:58:00.000Z`; undefined when none was found at all. */
  generatedAt: string | undefined;
  /** What went wrong this run, for the admin, e.g. `could not fetch https://probe-ams.jabber.org/summary.json (HTTP 503)`. */
  problem: string | undefined;
}

/**
 * One alert per location whose newest summary is older than `max(10 min,
 * 5 intervals)` or missing.
 * @param intervalSeconds the probes' interval, e.g. `60`
 * @example staleSourceAlerts([{ name: 'ams', sample: false, generatedAt: '2026-11-21T11:40:00Z', problem: undefined }], new Date('2026-11-21T12:00:00Z'), 60)
 * // [{ key: 'probe-location-stale:ams', text: 'Probe location ams has sent no new summary for 20 min …' }]
 */
export function staleSourceAlerts(sources: readonly SourceHealth[], now: Date, intervalSeconds: number): { key: string; text: string }[] {
  const limitMs = Math.max(10 * 60_000, 5 * intervalSeconds * 1000);
  const fix =
    'Fix: on that probe host, systemctl status jabber-status-probe.service and journalctl -u jabber-status-probe -n 50; on this host, npm run doctor.';
  return sources.flatMap((s) => {
    if (s.sample) return [];
    const why = s.problem ? ` (${s.problem})` : '';
    if (s.generatedAt === undefined) {
      return [
        {
          key: `probe-location-stale:${s.name}`,
          text: `Probe location ${s.name} has no summary this host can read${why}; the page decides with the other locations. ${fix}`,
        },
      ];
    }
    const ageMs = now.getTime() - Date.parse(s.generatedAt);
    if (!(ageMs > limitMs)) return [];
    return [
      {
        key: `probe-location-stale:${s.name}`,
        text: `Probe location ${s.name} has sent no new summary for ${Math.round(ageMs / 60_000)} min${why}; the page counts it as stale and decides with the other locations. ${fix}`,
      },
    ];
  });
}
