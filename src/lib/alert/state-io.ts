/** The alerts still open on this host, kept between runs in a JSON file (written by rename, so a crash never leaves half). */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write-io.ts';
import type { OpenAlert } from './alerts.ts';

export function readOpenAlerts(file: string): OpenAlert[] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { open?: unknown };
    return Array.isArray(parsed.open)
      ? parsed.open.filter((a): a is OpenAlert => !!a && typeof a.key === 'string' && typeof a.text === 'string' && typeof a.since === 'string')
      : [];
  } catch {
    return [];
  }
}

export function writeOpenAlerts(file: string, open: readonly OpenAlert[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify({ open }, null, 2)}\n`);
}
