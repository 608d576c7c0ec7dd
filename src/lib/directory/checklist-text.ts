/**
 * The checklist as `npm run policy` prints it for an operator: each item
 * with PASS / FAIL / UNKNOWN, the reason, and how to fix a failure. Pure,
 * so the exact text is tested.
 */
import type { ItemResult } from './policy.ts';

const LABEL = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN' } as const;

/**
 * @param heading e.g. `Policy checklist for example.org (one-off test, 2026-11-21 12:00 UTC)`
 */
export function formatChecklist(heading: string, checklist: readonly ItemResult[]): string {
  const lines = [heading, ''];
  for (const r of checklist) {
    lines.push(`${String(r.number).padStart(2)}. ${LABEL[r.verdict].padEnd(8)}${r.title}${r.automated ? '' : ' (not automated)'}`);
    lines.push(`             ${r.reason}`);
    if (r.verdict === 'fail' && r.fix) lines.push(`             How to fix: ${r.fix}`);
  }
  const failing = checklist.filter((r) => r.verdict === 'fail');
  const unknown = checklist.filter((r) => r.verdict === 'unknown');
  lines.push('');
  lines.push(
    failing.length
      ? `${failing.length} item${failing.length === 1 ? '' : 's'} fail${failing.length === 1 ? 's' : ''} (${failing.map((r) => r.number).join(', ')}): fix ${failing.length === 1 ? 'it' : 'them'} before applying.`
      : `No item fails${unknown.length ? `; ${unknown.length} unknown (${unknown.map((r) => r.number).join(', ')}), see the reasons above` : ''}. See /services/apply/ on the status site to apply.`,
  );
  return lines.join('\n');
}
