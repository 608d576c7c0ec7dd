/**
 * The probe's checks, one function each, following
 * shared/research/xmpp-probing.md (C1–C9). Each takes a context and a target
 * and returns an outcome; a thrown ProbeError is a failed check with a reason.
 *
 * Split by concept (issue 24): the session (session-io.ts), C1 DNS
 * (dns-check-io.ts), the checks without an account (anonymous-checks-io.ts)
 * and those with one (logged-in-checks-io.ts); this index re-exports them.
 */
export * from './session-io.ts';
export * from './dns-check-io.ts';
export * from './anonymous-checks-io.ts';
export * from './logged-in-checks-io.ts';
