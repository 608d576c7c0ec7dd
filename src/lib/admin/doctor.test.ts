import { describe, expect, test } from 'vitest';
import { ago, doctorExitCode, isFresh, judgePublishLoop, renderChecks } from './doctor.ts';

const now = new Date('2026-11-21T21:30:00Z');

describe('npm run doctor lines', () => {
  test('one line per check, the fix on failing ones, exit 1 when any fails', () => {
    const checks = [
      { name: 'content', result: 'ok' as const, detail: 'valid: 7 components, 0 incidents.' },
      {
        name: 'hold',
        result: 'fail' as const,
        detail: 'in place since 2026-11-21T21:19:00.000Z (rolled back from a to b).',
        fix: 'npm run publish -- --to DIR --repo APP --force',
      },
    ];
    expect(renderChecks(checks)).toBe(
      'ok    content  valid: 7 components, 0 incidents.\nFAIL  hold     in place since 2026-11-21T21:19:00.000Z (rolled back from a to b). Fix: npm run publish -- --to DIR --repo APP --force',
    );
    expect(doctorExitCode(checks)).toBe(1);
    expect(doctorExitCode(checks.slice(0, 1))).toBe(0);
  });

  test('data is fresh for twice the probe interval', () => {
    expect(isFresh('2026-11-21T21:28:00Z', now, 60)).toBe(true);
    expect(isFresh('2026-11-21T21:27:59Z', now, 60)).toBe(false);
    expect(ago('2026-11-21T21:23:00Z', now)).toBe('7 min ago');
  });

  test('the publish loop fails the check when its last success is over 5 minutes old, or it never ran', () => {
    expect(judgePublishLoop({ ranAt: '2026-11-21T21:29:20Z', result: 'unchanged', lastSuccessAt: '2026-11-21T21:29:20Z' }, now).result).toBe('ok');
    const failed = judgePublishLoop({ ranAt: '2026-11-21T21:29:20Z', result: 'failed', lastSuccessAt: '2026-11-21T21:20:00Z' }, now);
    expect(failed).toMatchObject({ result: 'fail', detail: 'last run 40 s ago: failed; last success 10 min ago.' });
    expect(judgePublishLoop(undefined, now).result).toBe('fail');
  });
});
