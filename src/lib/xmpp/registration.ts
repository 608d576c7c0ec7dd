/**
 * Whether a server's in-band registration (XEP-0077) is open, from what it
 * shows before login, without ever submitting the form. Pure.
 *
 * - An error to the query (stanza or stream level, e.g. not-authorized per
 *   RFC 6120 §4.9.3.12) means closed.
 * - A form with only `<instructions/>` and a URL (XEP-0077 §5, redirection)
 *   means registration happens on that web page.
 * - No `<register/>` stream feature means closed even when the query is
 *   answered with a form: XEP-0077 §8 has servers that offer registration
 *   advertise the feature, and servers seen in the field keep answering
 *   the query after switching registration off, then refuse the submission.
 * - Otherwise a form with fields (plain or XEP-0004 data form, §6) is open.
 * An invitation feature (XEP-0401) cannot show whether an invitation is
 * required, so it is recorded with a warning, not judged.
 */

export interface RegistrationFacts {
  /** The `<register xmlns='http://jabber.org/features/iq-register'/>` stream feature was offered. */
  feature: boolean;
  /** Invitation features offered, e.g. `['urn:xmpp:ibr-token:0']`. */
  invite: readonly string[];
  answer:
    | {
        kind: 'form';
        /** Plain XEP-0077 fields, e.g. `['username', 'password']`. */
        fields: readonly string[];
        /** `var`s of the data form's fields to fill in (not hidden or fixed). */
        formFields: readonly string[];
        /** A redirection URL (jabber:x:oob), e.g. `https://example.org/register`. */
        url?: string;
      }
    | { kind: 'refused'; condition: string };
}

export interface RegistrationVerdict {
  verdict: 'open' | 'closed' | 'redirect';
  /** Why it is not open, e.g. `in-band registration is closed (the server answered not-authorized)`. */
  reason?: string;
  warning?: string;
}

export function judgeRegistration(facts: RegistrationFacts): RegistrationVerdict {
  const { answer } = facts;
  if (answer.kind === 'refused') return { verdict: 'closed', reason: `in-band registration is closed (the server answered ${answer.condition})` };
  const inputs = answer.fields.filter((f) => f !== 'instructions' && f !== 'x' && f !== 'registered').length + answer.formFields.length;
  if (inputs === 0 && answer.url) return { verdict: 'redirect', reason: `in-band registration is closed: the server sends users to ${answer.url}` };
  if (!facts.feature) {
    return {
      verdict: 'closed',
      reason: `in-band registration is closed: the server does not advertise it (no <register/> stream feature)${inputs > 0 ? ', though it answers the query with a form' : ''}`,
    };
  }
  if (inputs === 0) return { verdict: 'closed', reason: 'in-band registration is closed: the server answered the registration query with an empty form' };
  if (facts.invite.length > 0) {
    return {
      verdict: 'open',
      warning: `the server also offers registration by invitation (${facts.invite.join(', ')}); whether it requires one cannot be seen without submitting the form`,
    };
  }
  return { verdict: 'open' };
}
