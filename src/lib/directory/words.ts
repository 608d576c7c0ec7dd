/**
 * Words the directory's pages use for states, verdicts and registration,
 * in one place so the list, the service page and the API agree. Pure.
 */
import type { PolicyVerdict, ServiceState } from '../schemas.ts';
import { toIsoUtc } from '../shared/time.ts';
import type { ServiceEntry } from './directory.ts';
import { POLICY_ITEMS } from './policy.ts';

export const STATE_WORDS: Record<ServiceState, string> = { testing: 'In testing', listed: 'Listed', failing: 'Failing the policy', withdrawn: 'Withdrawn' };
/** A symbol next to the words (never colour or symbol alone). */
export const VERDICT_WORDS: Record<PolicyVerdict, { symbol: string; label: string }> = {
  pass: { symbol: '✓', label: 'Pass' },
  fail: { symbol: '✕', label: 'Fail' },
  unknown: { symbol: '?', label: 'Unknown' },
};

const day = (ms: number) => toIsoUtc(new Date(ms)).slice(0, 10);
const minute = (ms: number) => `${toIsoUtc(new Date(ms)).slice(0, 16).replace('T', ' ')} UTC`;

/** One line about where a service stands, e.g. `Failing since 2026-11-17: item 1 (TLS …) since 2026-11-10 08:00 UTC`. */
export function stateLine(e: ServiceEntry): string {
  const s = e.status;
  switch (s.state) {
    case 'testing':
      return `In its testing period: ${s.testingDaysLeft} day${s.testingDaysLeft === 1 ? '' : 's'} of monitoring data still needed`;
    case 'listed':
      return `Listed since ${day(s.since)}`;
    case 'withdrawn':
      return `Withdrawn on ${e.service.withdrawn}`;
    case 'failing':
      return `Failing since ${minute(s.since)}: ${failingWords(e)}`;
  }
}

/** e.g. `item 1 (TLS with a trusted certificate) since 2026-11-10 08:00 UTC` */
export function failingWords(e: ServiceEntry): string {
  return e.status.failing
    .map((f) => {
      const item = POLICY_ITEMS.find((i) => i.id === f.id)!;
      return `item ${item.number} (${item.title}) since ${minute(f.since)}`;
    })
    .join('; ');
}

/** e.g. `in your XMPP app` or `on the website` */
export const registrationWords = (e: ServiceEntry) => (e.service.registration.method === 'in-band' ? 'in your XMPP app' : 'on the website');
