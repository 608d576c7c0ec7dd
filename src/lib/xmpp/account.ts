/**
 * Which probed domains the account (PROBE_JID / PROBE_PASSWORD) can log in
 * to, and why the logged-in checks do not run elsewhere. Pure.
 */
import type { ProbeNotRun } from '../schemas.ts';

export interface AccountSettings {
  /** PROBE_JID, e.g. `status-probe@jabber.org`. */
  jid?: string;
  /** PROBE_PASSWORD; never written anywhere. */
  password?: string;
}

export type AccountUse = { username: string; password: string } | { notRun: ProbeNotRun; error: string };

/** The logged-in checks, in the order they run: `login` first, then the ones that need its session. */
export const LOGGED_IN_CHECKS = ['login', 'disco', 'contact', 'version', 'ping', 'federation'] as const;

/** Credentials for `domain`, or why the logged-in checks do not run there. */
export function accountFor(domain: string, account: AccountSettings): AccountUse {
  if (!account.jid && !account.password) return { notRun: 'no-account', error: 'not run: no probe account (PROBE_JID and PROBE_PASSWORD are not set)' };
  if (!account.jid) return { notRun: 'no-account', error: 'not run: PROBE_JID is not set' };
  if (!account.password) return { notRun: 'no-password', error: 'not run: PROBE_PASSWORD is not set' };
  const at = account.jid.lastIndexOf('@');
  if (account.jid.slice(at + 1).toLowerCase() !== domain.toLowerCase()) {
    return { notRun: 'account-elsewhere', error: `not run: the probe account ${account.jid} is not on ${domain}` };
  }
  return { username: account.jid.slice(0, at), password: account.password };
}

/**
 * Warnings for the operator when an account is half-configured or fits no
 * probed domain. Running without any account is a choice, not a mistake.
 */
export function accountWarnings(account: AccountSettings, domains: readonly string[]): string[] {
  const checks = 'disco, contact, version, ping and federation';
  if (account.jid && !account.password) return [`PROBE_JID is set but PROBE_PASSWORD is not, so ${checks} do not run.`];
  if (!account.jid && account.password) return [`PROBE_PASSWORD is set but PROBE_JID is not, so ${checks} do not run.`];
  if (account.jid && !domains.some((d) => 'username' in accountFor(d, account))) {
    return [`PROBE_JID ${account.jid} is not on a probed domain (${domains.join(', ')}), so ${checks} do not run there.`];
  }
  return [];
}
