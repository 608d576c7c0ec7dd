import { expect, test } from 'vitest';
import { judgeRegistration, type RegistrationFacts } from './registration.ts';

const form = (over: Partial<Extract<RegistrationFacts['answer'], { kind: 'form' }>> = {}) => ({
  kind: 'form' as const,
  fields: ['instructions', 'username', 'password', 'x'],
  formFields: [],
  ...over,
});

test.each([
  // facts → verdict
  [{ feature: true, invite: [], answer: form() }, { verdict: 'open' }],
  [{ feature: true, invite: [], answer: form({ fields: ['x'], formFields: ['username', 'password'] }) }, { verdict: 'open' }],
  [
    { feature: false, invite: [], answer: form() },
    {
      verdict: 'closed',
      reason: 'in-band registration is closed: the server does not advertise it (no <register/> stream feature), though it answers the query with a form',
    },
  ],
  [
    { feature: true, invite: [], answer: { kind: 'refused', condition: 'not-allowed' } },
    { verdict: 'closed', reason: 'in-band registration is closed (the server answered not-allowed)' },
  ],
  [
    { feature: false, invite: [], answer: form({ fields: ['instructions', 'x'], url: 'https://example.org/signup' }) },
    { verdict: 'redirect', reason: 'in-band registration is closed: the server sends users to https://example.org/signup' },
  ],
  [
    { feature: true, invite: [], answer: form({ fields: ['instructions'] }) },
    { verdict: 'closed', reason: 'in-band registration is closed: the server answered the registration query with an empty form' },
  ],
  [
    { feature: true, invite: ['urn:xmpp:ibr-token:0'], answer: form() },
    {
      verdict: 'open',
      warning: 'the server also offers registration by invitation (urn:xmpp:ibr-token:0); whether it requires one cannot be seen without submitting the form',
    },
  ],
] as const)('%j is %j', (facts, verdict) => {
  expect(judgeRegistration(facts as RegistrationFacts)).toEqual(verdict);
});
