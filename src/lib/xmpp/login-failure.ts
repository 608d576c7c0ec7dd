/**
 * What a failed login of the probe account means (issue 21), decided here
 * and nowhere else. Pure.
 *
 * A failed login is one fact, recorded once: the `login` record says the
 * probe could not log in and why, and every check that needs the session
 * (disco, contact, version, ping, federation) is recorded as not run
 * (`login-failed`), never as failed, so one failed login never turns into
 * five failed services.
 *
 * Who is to blame decides what the `login` record is:
 * - the server refused the probe's own credentials (SASL `not-authorized`,
 *   `account-disabled` or `credentials-expired`, RFC 6120 §6.5): a problem
 *   with the probe (its password changed, its account was removed), not an
 *   outage. The record is "not run" (`probe-account-refused`), so no
 *   summary counts it as a sample, and the probe alerts its operator;
 * - anything else (the connection, TLS, a bad certificate, no usable
 *   mechanism, a SASL `temporary-auth-failure`, resource binding, a
 *   timeout): logging in is down, and the record is a failure.
 */
import type { ProbeNotRun } from '../schemas.ts';

/** SASL conditions (RFC 6120 §6.5) that say the server refused this account's credentials. */
export const PROBE_ACCOUNT_CONDITIONS = ['not-authorized', 'account-disabled', 'credentials-expired'] as const;

/** Why a login failed, as the login code saw it. */
export interface LoginFailure {
  /** The sentence for readers, e.g. `login failed: not-authorized (Invalid username or password)`. */
  message: string;
  /** The SASL `<failure/>` condition when the server refused the login, e.g. `not-authorized`; absent for any other failure. */
  saslCondition?: string;
}

/** The records a failed login turns into, and what the operator is told. */
export interface LoginFailureVerdict {
  /** `probe-account`: the probe's own account was refused; `service`: logging in is down. */
  blame: 'probe-account' | 'service';
  /** The `login` record: always `ok: false`; not run when the probe is to blame. */
  login: { error: string; notRun?: ProbeNotRun };
  /** Each dependent check's record. */
  dependents: { error: string; notRun: ProbeNotRun };
  /** A line for the operator's log (stderr); only when the probe is to blame. */
  alert?: string;
}

/**
 * @param failure what the login saw
 * @param jid the probe account, e.g. `status-probe@jabber.org`
 * @example judgeLoginFailure({ message: 'login failed: not-authorized', saslCondition: 'not-authorized' }, 'probe@xmpp.test').blame // 'probe-account'
 */
export function judgeLoginFailure(failure: LoginFailure, jid: string): LoginFailureVerdict {
  const dependents = { error: `not run: the probe could not log in (${failure.message})`, notRun: 'login-failed' as const };
  if (failure.saslCondition && (PROBE_ACCOUNT_CONDITIONS as readonly string[]).includes(failure.saslCondition)) {
    const error = `not run: the server refused the probe account ${jid} (${failure.message}); this is a problem with the probe, not an outage: check PROBE_JID and PROBE_PASSWORD`;
    return {
      blame: 'probe-account',
      login: { error, notRun: 'probe-account-refused' },
      dependents,
      alert: `the server refused the probe account ${jid} (${failure.message}), so disco, contact, version, ping and federation did not run. Check PROBE_JID and PROBE_PASSWORD (and that the account exists).`,
    };
  }
  return { blame: 'service', login: { error: failure.message }, dependents };
}
