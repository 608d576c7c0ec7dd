/**
 * The probe's checks, one function each, following
 * shared/research/xmpp-probing.md (C1–C9). Each takes a context and a target
 * and returns an outcome; a thrown ProbeError is a failed check with a reason.
 *
 * Split by concept (issue 24): the session (session-io.ts), C1 DNS
 * (dns-check-io.ts), the checks without an account (anonymous-checks-io.ts)
 * and those with one (logged-in-checks-io.ts); this index re-exports the
 * probe's public checks and types (the helpers they share stay among them).
 */
export { FALLBACK_PORTS, openClientSession, type ProbeContext, type CheckOutcome, type SrvService, type ClientSession } from './session-io.ts';
export { checkDns, targetsFor, type DnsPlans } from './dns-check-io.ts';
export { checkC2sStartTls, checkC2sDirectTls, checkS2sStartTls, checkRegister, checkWebsite } from './anonymous-checks-io.ts';
export {
  LoginRefused,
  login,
  refusedBindingWarning,
  checkAuthenticated,
  type Credentials,
  type LoginFacts,
  type AuthenticatedResult,
  type AuthenticatedOptions,
} from './logged-in-checks-io.ts';
