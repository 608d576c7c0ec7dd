/**
 * `npm run doctor` (issue 25): a deployment checked from the machine it runs
 * on, one line per check, each failing line with its fix. Pure: the command
 * gathers the facts; these judge them and write the lines.
 */

/** One check's verdict. */
export interface DoctorCheck {
  /** What was checked, e.g. `content`, `probe ams`, `publish loop`. */
  name: string;
  /** `ok`, `fail` (exit 1), or `skip` (not on this host, e.g. no --site). */
  result: 'ok' | 'fail' | 'skip';
  /** What was found, e.g. `valid: 7 components, 2 incidents`. */
  detail: string;
  /** What to do, on failing lines, e.g. `Run npm run check and fix the lines it prints.` */
  fix?: string;
}

/** The lines printed, e.g. `FAIL  hold: in place since … → Fix: …`. */
export function renderChecks(checks: readonly DoctorCheck[]): string {
  const width = Math.max(...checks.map((c) => c.name.length)); // bounded: one name per doctor check, about a dozen
  return checks
    .map(
      (c) =>
        `${c.result === 'ok' ? 'ok  ' : c.result === 'fail' ? 'FAIL' : 'skip'}  ${c.name.padEnd(width)}  ${c.detail}${c.result === 'fail' && c.fix ? ` Fix: ${c.fix}` : ''}`,
    )
    .join('\n');
}

/** Exit code: 1 when any check failed. */
export function doctorExitCode(checks: readonly DoctorCheck[]): number {
  return checks.some((c) => c.result === 'fail') ? 1 : 0;
}

/** How old data may be before it no longer counts: twice the probe interval, as on the page. */
export function isFresh(generatedAt: string, now: Date, intervalSeconds: number): boolean {
  const at = Date.parse(generatedAt);
  return !Number.isNaN(at) && now.getTime() - at <= 2 * intervalSeconds * 1000;
}

/** Minutes since `iso`, in words, e.g. `7 min ago`. */
export function ago(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso);
  if (Number.isNaN(ms)) return 'at an unknown time';
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s ago`;
  if (ms < 3 * 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  return `${Math.round(ms / 3_600_000)} h ago`;
}

/** The publish loop's last run, judged: failing when it last ran over 5 minutes ago or did not succeed. */
export function judgePublishLoop(status: { ranAt: string; result: string; lastSuccessAt: string | null } | undefined, now: Date): DoctorCheck {
  if (!status)
    return {
      name: 'publish loop',
      result: 'fail',
      detail: 'has never run here (no publish-status.json).',
      fix: 'systemctl enable --now jabber-status-publish.timer jabber-status-publish.path; journalctl -u jabber-status-publish says why it fails.',
    };
  const okResult = status.result === 'published' || status.result === 'unchanged' || status.result === 'held';
  const recent = now.getTime() - Date.parse(status.lastSuccessAt ?? '') <= 5 * 60_000;
  const detail = `last run ${ago(status.ranAt, now)}: ${status.result}; last success ${status.lastSuccessAt ? ago(status.lastSuccessAt, now) : 'never'}.`;
  if (okResult && recent) return { name: 'publish loop', result: 'ok', detail };
  return {
    name: 'publish loop',
    result: 'fail',
    detail,
    fix: 'journalctl -u jabber-status-publish -n 50 shows the sentence that says why; systemctl list-timers jabber-status-publish.timer shows whether it runs.',
  };
}
