import fc from 'fast-check';
import { expect, test } from 'vitest';
import { problemsFromLegacyError } from './legacy-probe-formats.ts';
import { isCertificateProblem, problemText, type ProbeProblem } from './probe-problem.ts';

test.each([
  // a sentence of version 2 → the kinds version 3 gives it
  ['self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)', ['certificate-untrusted']],
  ['certificate not issued by a recognized CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE)', ['certificate-untrusted']],
  ['certificate expired on 2020-02-01 (CERT_HAS_EXPIRED)', ['certificate-expired']],
  ['certificate not valid until 2027-01-01 (CERT_NOT_YET_VALID)', ['certificate-not-yet-valid']],
  ['certificate expires in less than a day (2026-11-22T06:00:00Z)', ['certificate-expiring']],
  ['server presented no certificate', ['certificate-missing']],
  // outcome() joined the certificate's problems and the check's own with "; "
  [
    'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT); certificate is not valid for example.org (it names DNS:x.test); no SASL mechanisms offered',
    ['certificate-untrusted', 'certificate-name-mismatch', 'features-missing'],
  ],
  // the old policy counted any part naming a certificate as the certificate's, a TLS alert too
  ['TLS handshake failed: sslv3 alert bad certificate', ['certificate-other']],
  ["clients refuse this server's certificate, so they cannot register: certificate expired on 2020-02-01 (CERT_HAS_EXPIRED)", ['client-refuses-certificate']],
  ['not logging in over a bad certificate: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)', ['client-refuses-certificate']],
  ['connection refused (xmpp.example.org:5222)', ['connect-refused']],
  ['connection reset by the server (xmpp.example.org:5222)', ['connect-failed']],
  ['connection timed out after 10000 ms (xmpp.example.org:5222)', ['timeout']],
  ['no answer within 10000 ms (https://example.org/)', ['timeout']],
  ['TLS handshake failed: wrong version number', ['tls-failed']],
  ['xmpp.example.org does not resolve to an address (ENOTFOUND)', ['dns-failed']],
  ['refused: trap.example.org resolves to 127.0.0.1, a loopback address; the probe connects only to public addresses', ['address-refused']],
  ['stream error: host-unknown (nope)', ['stream-error']],
  ['server does not offer STARTTLS', ['starttls-failed']],
  ['server offers no way to authenticate (neither dialback nor SASL EXTERNAL)', ['features-missing']],
  ['server sent more than 256 KiB on one stream; gave up', ['protocol-error']],
  ['HTTP 404 at https://example.org/', ['http-failed']],
  // consecutive parts that are not the certificate's are one problem
  ['in-band registration is closed (the server answered not-allowed); registration page https://example.org/join answered HTTP 503', ['registration-closed']],
  ['login failed: not-authorized (Invalid username or password)', ['login-failed']],
  ['disco#items refused: forbidden', ['request-refused']],
  ['server publishes no admin-addresses (XEP-0157)', ['no-contact-addresses']],
  ['ping to remote.test failed: forbidden (Access denied by service policy); the error does not say remote.test sent it', ['ping-failed']],
  ['probe error: the result did not fit a record (over 4096 bytes)', ['probe-error']],
  ['something no check ever wrote', ['other']],
] as const)('"%s" becomes %j', (sentence, kinds) => {
  const problems = problemsFromLegacyError(sentence);
  expect(problems.map((p) => p.kind)).toEqual(kinds);
  expect(problemText(problems)).toBe(sentence);
});

test('a check that did not run is one "not-run" problem, whatever its sentence', () => {
  expect(problemsFromLegacyError('not offered: _xmpps-client._tcp points to "."', 'not-offered')).toEqual([
    { kind: 'not-run', text: 'not offered: _xmpps-client._tcp points to "."' },
  ]);
});

test('no sentence, no problems', () => {
  expect(problemsFromLegacyError(undefined)).toEqual([]);
  expect(problemsFromLegacyError('')).toEqual([]);
});

/** Parts of sentences: what checks wrote, and anything a server could put in its text. */
const sentences = fc
  .array(
    fc.oneof(
      fc.string(),
      fc.constantFrom(
        'certificate expired on 2020-02-01',
        'self-signed certificate (X)',
        "clients refuse this server's certificate, so …",
        'TLS handshake failed: bad certificate',
        'connection refused',
        '',
        ';',
      ),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join('; '));

test('the problems always give the sentence back, word for word', () => {
  fc.assert(
    fc.property(sentences, (sentence) => {
      // A sentence of separators alone says nothing: no problems (the one case whose words are not kept).
      if (!sentence.split('; ').some(Boolean)) expect(problemsFromLegacyError(sentence)).toEqual([]);
      else expect(problemText(problemsFromLegacyError(sentence))).toBe(sentence);
    }),
  );
});

// The rule the directory policy applied to the sentence before version 3 (main at f2f5021, policy.ts), kept here as the oracle.
const oldCertificateParts = (error: string) => error.split('; ').filter((part) => /certificate/.test(part) && !part.startsWith('clients refuse'));
const oldConnectionParts = (error: string) => error.split('; ').filter((part) => part && !/certificate/.test(part));

test('the kinds split a sentence where the old policy split it: a certificate problem exactly when it saw one, a connection problem exactly when it saw one', () => {
  fc.assert(
    fc.property(sentences, (sentence) => {
      const problems = problemsFromLegacyError(sentence);
      // The register and login checks' refusals over a certificate are neither to the policy's items 1–3 (which never read those checks);
      // the old rule counted "not logging in over a bad certificate" as the certificate's and "clients refuse…" as neither.
      const refusal = (p: ProbeProblem) => p.kind === 'client-refuses-certificate';
      expect(problems.some((p) => isCertificateProblem(p) || (refusal(p) && p.text.startsWith('not logging')))).toBe(oldCertificateParts(sentence).length > 0);
      expect(problems.some((p) => !isCertificateProblem(p) && !refusal(p))).toBe(oldConnectionParts(sentence).length > 0);
      // The certificate's words are the ones the old policy quoted for item 1 (up to empty parts, which stay in the words).
      expect((problemText(problems.filter(isCertificateProblem)) ?? '').split('; ').filter(Boolean)).toEqual(oldCertificateParts(sentence));
    }),
    { numRuns: 500 },
  );
});
