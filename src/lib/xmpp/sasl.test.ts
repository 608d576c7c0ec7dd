import { describe, expect, test } from 'vitest';
import { chooseMechanism, describeChoice, fallbackWithoutBinding } from './sasl.ts';

describe('chooseMechanism', () => {
  test.each([
    // offered, TLS version, XEP-0440 types → choice
    [['PLAIN', 'SCRAM-SHA-1'], 'TLSv1.3', undefined, { mechanism: 'SCRAM-SHA-1', hash: 'SHA-1', couldBind: true }],
    [['SCRAM-SHA-1', 'SCRAM-SHA-256', 'SCRAM-SHA-512'], 'TLSv1.3', undefined, { mechanism: 'SCRAM-SHA-512', hash: 'SHA-512', couldBind: true }],
    [
      ['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS'],
      'TLSv1.2',
      undefined,
      { mechanism: 'SCRAM-SHA-256-PLUS', hash: 'SHA-256', binding: 'tls-unique', couldBind: true },
    ],
    // Issue 21: no XEP-0440 list over TLS 1.3 means tls-unique, what ejabberd 23.01 accepts.
    [
      ['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS'],
      'TLSv1.3',
      undefined,
      { mechanism: 'SCRAM-SHA-256-PLUS', hash: 'SHA-256', binding: 'tls-unique', couldBind: true },
    ],
    // A listed tls-exporter is preferred over TLS 1.3.
    [
      ['SCRAM-SHA-256-PLUS'],
      'TLSv1.3',
      ['tls-unique', 'tls-exporter'],
      { mechanism: 'SCRAM-SHA-256-PLUS', hash: 'SHA-256', binding: 'tls-exporter', couldBind: true },
    ],
    // TLS 1.2 with a list that lacks tls-unique: no -PLUS.
    [['SCRAM-SHA-1-PLUS', 'SCRAM-SHA-1'], 'TLSv1.2', ['tls-exporter'], { mechanism: 'SCRAM-SHA-1', hash: 'SHA-1', couldBind: false }],
    // The server binds only to a type this connection cannot give: no -PLUS, and gs2 "n".
    [['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS'], 'TLSv1.3', ['tls-server-end-point'], { mechanism: 'SCRAM-SHA-256', hash: 'SHA-256', couldBind: false }],
    [
      ['SCRAM-SHA-512-PLUS', 'SCRAM-SHA-1-PLUS'],
      'TLSv1.3',
      ['tls-exporter'],
      { mechanism: 'SCRAM-SHA-512-PLUS', hash: 'SHA-512', binding: 'tls-exporter', couldBind: true },
    ],
    [['PLAIN'], 'TLSv1.3', undefined, { mechanism: 'PLAIN' }],
  ])('offered %j over %s (bindings %j) picks %j', (offered, tls, bindings, choice) => {
    expect(chooseMechanism(offered, tls, bindings)).toEqual(choice);
  });

  test('nothing supported gives undefined', () => {
    expect(chooseMechanism(['DIGEST-MD5', 'EXTERNAL'], 'TLSv1.3', undefined)).toBeUndefined();
  });
});

describe('fallbackWithoutBinding', () => {
  test.each([
    // offered, first choice → second login
    [['PLAIN', 'SCRAM-SHA-1-PLUS', 'SCRAM-SHA-1', 'X-OAUTH2'], 'SCRAM-SHA-1 (gs2 flag n)', { mechanism: 'SCRAM-SHA-1', hash: 'SHA-1', couldBind: false }],
    [['SCRAM-SHA-256-PLUS', 'PLAIN'], 'PLAIN over TLS', { mechanism: 'PLAIN' }],
    [['SCRAM-SHA-256-PLUS'], 'nothing', undefined],
  ])('after a refused binding, %j gives %s', (offered, _what, second) => {
    const first = chooseMechanism(offered, 'TLSv1.3', undefined)!;
    expect(describeChoice(first)).toMatch(/-PLUS with tls-unique$/);
    expect(fallbackWithoutBinding(offered, first)).toEqual(second);
  });

  test('a login that did not bind has no fallback', () => {
    expect(fallbackWithoutBinding(['SCRAM-SHA-1', 'PLAIN'], { mechanism: 'SCRAM-SHA-1', hash: 'SHA-1', couldBind: true })).toBeUndefined();
  });
});
