/**
 * The probe's human output: one row per record, failures explained, and a
 * closing count. Pure, so the exact text is tested.
 */
import { problemText, type ProbeRecord } from '../schemas.ts';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** e.g. `jabber.org  c2s-starttls  hermes.jabber.org:5222  ok    182 ms` */
export function formatProbeTable(records: readonly ProbeRecord[]): string {
  const rows = records.map((r) => {
    const warning = typeof r.detail.warning === 'string' ? r.detail.warning : undefined;
    const note = r.ok ? (warning ? `warning: ${warning}` : '') : (problemText(r.problems) ?? 'failed');
    // Three outcomes, never two: a check that did not run (ok: null) is neither passed nor failed.
    return [
      r.domain,
      r.check,
      r.target,
      r.ok === true ? 'ok' : r.ok === null ? 'not run' : 'FAIL',
      `${Math.round(r.ms)} ms${r.attempts > 1 ? ' (retried)' : ''}`,
      note,
    ];
  });
  const header = ['domain', 'check', 'target', 'result', 'time', 'note'];
  const widths = header.map((h, i) =>
    Math.min(
      48,
      rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length),
    ),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  const notRun = records.filter((r) => r.ok === null).length;
  const failed = records.filter((r) => r.ok === false).length;
  const domains = new Set(records.map((r) => r.domain)).size;
  const passed = records.length - failed - notRun;
  return [
    line(header),
    ...rows.map(line),
    '',
    `${passed} passed, ${failed} failed, ${notRun} not run (${records.length} checks on ${domains} domain${domains === 1 ? '' : 's'})`,
  ].join('\n');
}
