import { describe, expect, test } from 'vitest';
import { ScramClient } from './scram.ts';

describe('SCRAM against published test vectors', () => {
  test('SCRAM-SHA-1 reproduces RFC 5802 §5', () => {
    const scram = new ScramClient({ hash: 'SHA-1', username: 'user', password: 'pencil', nonce: 'fyko+d2lbbFgONRv9qkxdawL' });
    expect(scram.clientFirst()).toBe('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    expect(scram.clientFinal('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096')).toBe(
      'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
    );
    expect(() => scram.verifyServerFinal('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=')).not.toThrow();
  });

  test('SCRAM-SHA-256 reproduces RFC 7677 §3', () => {
    const scram = new ScramClient({ hash: 'SHA-256', username: 'user', password: 'pencil', nonce: 'rOprNGfwEbeRWgbNEkqO' });
    expect(scram.clientFinal('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    expect(() => scram.verifyServerFinal('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).not.toThrow();
  });

  // No RFC has a SHA-512 vector; these values come from Python's hashlib and
  // hmac with the RFC 7677 inputs (the same script reproduces RFC 5802's).
  test('SCRAM-SHA-512 matches an independent implementation', () => {
    const scram = new ScramClient({ hash: 'SHA-512', username: 'user', password: 'pencil', nonce: 'rOprNGfwEbeRWgbNEkqO' });
    expect(scram.mechanism).toBe('SCRAM-SHA-512');
    expect(scram.clientFinal('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=gMGXRcevScNtxZ6/8lQYpGtnsNAc3mGcmNomv+xnoOMw+3R2xNJdMNnzMlTN8PPC6wdp6dybEmDYXYTxwnYPJQ==',
    );
    expect(() => scram.verifyServerFinal('v=ZQnYEgWQMFmmsM8aQMF0nDDCy/AgCzkwk8CmMZYcMg0vSVlKDanekLtifDSeVGT4+5ZxXnJq199RVG2rR7N7Zw==')).not.toThrow();
  });

  test('-PLUS puts the gs2 header and the binding data into c=, and signs them', () => {
    const scram = new ScramClient({
      hash: 'SHA-256',
      username: 'user',
      password: 'pencil',
      nonce: 'rOprNGfwEbeRWgbNEkqO',
      binding: { type: 'tls-exporter', data: Buffer.from([...Array(32).keys()]) },
    });
    expect(scram.mechanism).toBe('SCRAM-SHA-256-PLUS');
    expect(scram.clientFirst()).toBe('p=tls-exporter,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    expect(scram.clientFinal('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')).toBe(
      'c=cD10bHMtZXhwb3J0ZXIsLAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=QC6CS20quADQRb3mT99YUH+n3VJxUvzuK0K0E1Vrs2M=',
    );
    expect(() => scram.verifyServerFinal('v=2GiAgapEppLVlUXbxUDksL3VgYHzuqiK5tR4mhJGgvs=')).not.toThrow();
  });

  test('a client able to bind, talking to a server without -PLUS, says so with the gs2 flag "y"', () => {
    expect(new ScramClient({ hash: 'SHA-1', username: 'a,b=c', password: 'x', nonce: 'abc', couldBind: true }).clientFirst()).toBe('y,,n=a=2Cb=3Dc,r=abc');
  });
});

describe('a hostile or broken server', () => {
  const client = () => new ScramClient({ hash: 'SHA-256', username: 'user', password: 'pencil', nonce: 'rOprNGfwEbeRWgbNEkqO' });

  test.each([
    // server-first → error
    ['r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096', 'server nonce does not extend the client nonce'],
    ['r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4000000000', 'server asked for 4000000000 PBKDF2 iterations; more than 1000000 is refused'],
    ['r=rOprNGfwEbeRWgbNEkqOx,i=4096', 'malformed SCRAM challenge (missing r, s or i)'],
    ['m=ext,r=rOprNGfwEbeRWgbNEkqOx,s=AA==,i=1', 'server asked for a SCRAM extension this client does not know (m=)'],
  ])('refuses the challenge %j', (serverFirst, message) => {
    expect(() => client().clientFinal(serverFirst)).toThrow(message);
  });

  test('a wrong server signature is caught', () => {
    const scram = client();
    scram.clientFinal('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    expect(() => scram.verifyServerFinal('v=AAAA')).toThrow('the server did not prove it knows the password (SCRAM signature mismatch)');
    expect(() => scram.verifyServerFinal('e=channel-bindings-dont-match')).toThrow('server rejected the SCRAM proof (channel-bindings-dont-match)');
  });
});
