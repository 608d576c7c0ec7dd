import { describe, expect, test } from 'vitest';
import { judgeLoginFailure } from './login-failure.ts';

describe('judgeLoginFailure', () => {
  test.each([
    // SASL condition → who is to blame
    ['not-authorized', 'probe-account'],
    ['account-disabled', 'probe-account'],
    ['credentials-expired', 'probe-account'],
    ['temporary-auth-failure', 'service'],
    ['aborted', 'service'],
    [undefined, 'service'],
  ])('a login that ended in %s blames the %s', (saslCondition, blame) => {
    expect(judgeLoginFailure({ message: 'login failed: …', ...(saslCondition ? { saslCondition } : {}) }, 'probe@xmpp.test').blame).toBe(blame);
  });

  test('a refused probe account is a "not run" login record and an alert, never an outage', () => {
    expect(
      judgeLoginFailure({ message: 'login failed: not-authorized (Invalid username or password)', saslCondition: 'not-authorized' }, 'status-probe@jabber.org'),
    ).toMatchInlineSnapshot(`
      {
        "alert": "the server refused the probe account status-probe@jabber.org (login failed: not-authorized (Invalid username or password)), so disco, contact, version, ping and federation did not run. Check PROBE_JID and PROBE_PASSWORD (and that the account exists).",
        "blame": "probe-account",
        "dependents": {
          "error": "not run: the probe could not log in (login failed: not-authorized (Invalid username or password))",
          "notRun": "login-failed",
        },
        "login": {
          "error": "not run: the server refused the probe account status-probe@jabber.org (login failed: not-authorized (Invalid username or password)); this is a problem with the probe, not an outage: check PROBE_JID and PROBE_PASSWORD",
          "notRun": "probe-account-refused",
        },
      }
    `);
  });

  test('any other failure means logging in is down: a failed login record, the dependent checks not run', () => {
    expect(judgeLoginFailure({ message: 'timed out after 10000 ms waiting for the SASL result' }, 'status-probe@jabber.org')).toMatchInlineSnapshot(`
      {
        "blame": "service",
        "dependents": {
          "error": "not run: the probe could not log in (timed out after 10000 ms waiting for the SASL result)",
          "notRun": "login-failed",
        },
        "login": {
          "error": "timed out after 10000 ms waiting for the SASL result",
        },
      }
    `);
  });
});
