import { expect, test } from 'vitest';
import { matchTlsa, tlsaData } from './dane.ts';

test('end-entity records are compared with the server certificate, trust-anchor records with its issuers', () => {
  const leaf = { der: Buffer.from('leaf-der'), spki: Buffer.from('leaf-spki') };
  const ca = { der: Buffer.from('ca-der'), spki: Buffer.from('ca-spki') };
  const records = [
    { usage: 3, selector: 1, mtype: 1, data: tlsaData(leaf, 1, 1)! },
    { usage: 2, selector: 0, mtype: 2, data: tlsaData(ca, 0, 2)! },
    // An end-entity record holding the CA's key does not match.
    { usage: 3, selector: 1, mtype: 1, data: tlsaData(ca, 1, 1)! },
  ];
  expect(matchTlsa(records, [leaf, ca]).map((r) => r.matches)).toEqual([true, true, false]);
});
