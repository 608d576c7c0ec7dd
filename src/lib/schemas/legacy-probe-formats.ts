/**
 * Probe records and summaries before version 3 (issue 24): one `error`
 * sentence where version 3 has a list of typed problems. Probe hosts and the
 * build host are upgraded one at a time, so logs and summaries in the old
 * form keep arriving for a while; this module turns their sentence into
 * problems, here and nowhere else.
 *
 * The rule is the one the directory policy used to apply to the sentence:
 * split at `'; '`; a part that names a certificate (and does not start
 * `clients refuse`) is a certificate problem; the non-empty parts between
 * them are the connection's (a run of them is one problem). The register
 * check's "clients refuse this server's certificate…" stands alone, as the
 * old rule counted it as neither. So an old record gives the policy the
 * verdicts it gave before (tested against the old rule in
 * legacy-probe-formats.test.ts, and on whole checklists in
 * directory/probe-formats.test.ts). Within that rule the kind is read from
 * the form of each part; a part in no known form is `certificate-other` or
 * `other`. The problems' texts joined with `'; '` are the sentence, word
 * for word.
 */
import type { ProbeProblem, ProblemKind } from './probe-problem.ts';

/** Certificate sentences as cert-verdict.ts and connect-io.ts wrote them, by kind. */
const CERTIFICATE_FORMS: readonly [RegExp, ProblemKind][] = [
  [/^self-signed certificate\b|^certificate not issued by a recognized CA\b/, 'certificate-untrusted'],
  [/^certificate expired on\b/, 'certificate-expired'],
  [/^certificate not valid until\b/, 'certificate-not-yet-valid'],
  [/^certificate expires in less than a day\b/, 'certificate-expiring'],
  [/^certificate is not valid for\b/, 'certificate-name-mismatch'],
  [/^server presented no certificate\b/, 'certificate-missing'],
  [/^clients refuse this server's certificate\b|^not logging in over a bad certificate\b/, 'client-refuses-certificate'],
];

/** Other sentences the checks wrote, by the kind version 3 gives them; the first match wins. */
const OTHER_FORMS: readonly [RegExp, ProblemKind][] = [
  [/^not run: |^not offered: /, 'not-run'],
  [/^probe error: /, 'probe-error'],
  [/^ping to \S+ failed: /, 'ping-failed'],
  [/^login failed: |^resource binding failed: /, 'login-failed'],
  [/^in-band registration is closed\b/, 'registration-closed'],
  [/^(disco#items|disco#info to \S+|software version) (refused|failed): /, 'request-refused'],
  [/^server publishes no admin-addresses\b/, 'no-contact-addresses'],
  [/timed out after \d+ ms|^no answer within \d+ ms|^connection timed out\b/, 'timeout'],
  [/^connection refused\b/, 'connect-refused'],
  [/^connection (reset|closed|error)\b|^(host|network) unreachable\b|^server closed the connection\b/, 'connect-failed'],
  [/^TLS handshake failed: /, 'tls-failed'],
  [/does not resolve to an address\b|^no address for |^_\S+ lookup failed |^DNS lookup of |^DNS check failed$/, 'dns-failed'],
  [/^refused: /, 'address-refused'],
  [/^stream error: /, 'stream-error'],
  [/^server (does not offer|refused) STARTTLS\b/, 'starttls-failed'],
  [/^no SASL mechanisms offered\b|^server offered STARTTLS again\b|^server offers no way to authenticate\b/, 'features-missing'],
  [/^HTTP \d{3} at |^more than \d+ redirects\b/, 'http-failed'],
  [/^server |^expected <|^no target$/, 'protocol-error'],
];

const kindOf = (text: string, forms: readonly [RegExp, ProblemKind][], fallback: ProblemKind): ProblemKind =>
  forms.find(([form]) => form.test(text))?.[1] ?? fallback;

const CLIENTS_REFUSE = /^clients refuse this server's certificate\b/;

/** The old policy's test for a certificate part. */
const namesCertificate = (part: string) => /certificate/.test(part) && !part.startsWith('clients refuse');

/**
 * The problems a version-1 or version-2 `error` sentence stands for, in
 * order; their texts joined with `'; '` give the sentence back.
 * @param error e.g. `self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); no SASL mechanisms offered`
 * @param notRun set when the check did not run: the sentence is then one `not-run` problem
 * @example problemsFromLegacyError('certificate expired on 2026-11-01 (CERT_HAS_EXPIRED)') // [{ kind: 'certificate-expired', text: … }]
 */
export function problemsFromLegacyError(error: string | undefined, notRun?: string): ProbeProblem[] {
  if (!error) return [];
  if (notRun) return [{ kind: 'not-run', text: error }];
  const problems: ProbeProblem[] = [];
  // Consecutive parts that are not about the certificate are one problem (a
  // sentence such as "ping … failed: …; the error does not say … sent it").
  // Empty parts (a server's text with "; ; " in it) were no problem to the
  // old rule: they stay in the words, glued to the problem before them (or
  // after, at the start), never a problem of their own.
  let rest: string[] = [];
  let leading = '';
  const add = (problem: ProbeProblem) => {
    problems.push(leading ? { ...problem, text: leading + problem.text } : problem);
    leading = '';
  };
  const flush = () => {
    const first = rest.findIndex((part) => part !== '');
    if (first >= 0) add({ kind: kindOf(rest[first]!, OTHER_FORMS, 'other'), text: rest.join('; ') });
    else if (rest.length && problems.length) problems[problems.length - 1]!.text += '; '.repeat(rest.length);
    else if (rest.length) leading += '; '.repeat(rest.length);
    rest = [];
  };
  for (const part of error.split('; ')) {
    // A part the old rule counted as the certificate's, or the register check's refusal over it, stands alone.
    const alone = namesCertificate(part)
      ? kindOf(part, CERTIFICATE_FORMS, 'certificate-other')
      : CLIENTS_REFUSE.test(part)
        ? 'client-refuses-certificate'
        : undefined;
    if (alone) {
      flush();
      add({ kind: alone, text: part });
    } else rest.push(part);
  }
  flush();
  return problems;
}
