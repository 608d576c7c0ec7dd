import { describe, expect, test } from 'vitest';
import { chooseMechanism } from './sasl.ts';

describe('chooseMechanism', () => {
  test.each([
    // offered, TLS version, XEP-0440 types → choice
    [['PLAIN', 'SCRAM-SHA-1'], 'TLSv1.3', undefined, { mechanism: 'SCRAM-SHA-1', hash: 'SHA-1', couldBind: true }],
    [['SCRAM-SHA-1', 'SCRAM-SHA-256', 'SCRAM-SHA-512'], 'TLSv1.3', undefined, { mechanism: 'SCRAM-SHA-512', hash: 'SHA-512', couldBind: true }],
    [['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS'], 'TLSv1.2', undefined, { mechanism: 'SCRAM-SHA-256-PLUS', hash: 'SHA-256', binding: 'tls-unique', couldBind: true }],
    [['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS'], 'TLSv1.3', undefined, { mechanism: 'SCRAM-SHA-256-PLUS', hash: 'SHA-256', binding: 'tls-exporter', couldBind: true }],
    // The server binds only to a type this connection cannot give: no -PLUS, and gs2 "n".
    [['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS'], 'TLSv1.3', ['tls-server-end-point'], { mechanism: 'SCRAM-SHA-256', hash: 'SHA-256', couldBind: false }],
    [['SCRAM-SHA-512-PLUS', 'SCRAM-SHA-1-PLUS'], 'TLSv1.3', ['tls-exporter'], { mechanism: 'SCRAM-SHA-512-PLUS', hash: 'SHA-512', binding: 'tls-exporter', couldBind: true }],
    [['PLAIN'], 'TLSv1.3', undefined, { mechanism: 'PLAIN' }],
  ])('offered %j over %s (bindings %j) picks %j', (offered, tls, bindings, choice) => {
    expect(chooseMechanism(offered, tls, bindings)).toEqual(choice);
  });

  test('nothing supported gives undefined', () => {
    expect(chooseMechanism(['DIGEST-MD5', 'EXTERNAL'], 'TLSv1.3', undefined)).toBeUndefined();
  });
});
