import { Decoder } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { NotaryErrorCode, parseEnvelope } from '../../shared/notary/index.js';
import { assertStrictCbor } from '../../shared/notary/envelope/cbor-strict.js';
import { expectAppError } from '../helpers/expect-error.js';
import { corpusFile } from './corpus.js';

/**
 * notation-core-go's envelope encoding vectors (signature/jws|cose/testdata/conformance.json). Their keys are
 * random per upstream run and their payloads are not Notary payloads, so they test encoding, not trust.
 * Both carry a critical extended header `signedCritKey1`: the reference accepts it, trustgate rejects an
 * unknown critical header as the specification requires (deviation, see notary-spec digest §13.1).
 */
const jws = JSON.parse(corpusFile('notation-core-go/envelope-encoding/jws-conformance.json').toString()) as Record<string, string>;
const cose = JSON.parse(corpusFile('notation-core-go/envelope-encoding/cose-conformance.json').toString()) as {
  signingTime: number;
  expiry: number;
  protectedHeaders: { cborHex: string };
  expectedOutput: { cborHex: string };
};
const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });

describe('JWS encoding vector', () => {
  it('has the protected header the reference writes', () => {
    const header = JSON.parse(Buffer.from(jws.protected ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(header).toMatchObject({
      alg: 'ES256',
      cty: 'application/vnd.cncf.notary.payload.v1+json',
      crit: ['io.cncf.notary.signingScheme', 'signedCritKey1', 'io.cncf.notary.expiry'],
      'io.cncf.notary.signingScheme': 'notary.x509',
      'io.cncf.notary.signingTime': '2022-08-29T13:50:00Z',
      'io.cncf.notary.expiry': '2099-08-30T13:50:00Z',
    });
  });

  it('is rejected for its unknown critical header (deviation: spec MUST fail; reference accepts)', async () => {
    await expectAppError(() => parseEnvelope(corpusFile('notation-core-go/envelope-encoding/jws-conformance.json'), 'application/jose+json'), NotaryErrorCode.unknownCritical);
  });

  it('without signedCritKey1 in crit, parsing gets as far as the (non-Notary) payload', async () => {
    const header = JSON.parse(Buffer.from(jws.protected ?? '', 'base64url').toString()) as { crit: string[] };
    header.crit = header.crit.filter((name) => name !== 'signedCritKey1');
    const edited = Buffer.from(JSON.stringify({ ...jws, protected: Buffer.from(JSON.stringify(header)).toString('base64url') }));
    await expectAppError(() => parseEnvelope(edited, 'application/jose+json'), NotaryErrorCode.payload);
  });
});

describe('COSE encoding vector', () => {
  const message = Buffer.from(cose.expectedOutput.cborHex, 'hex');

  it('passes the strict CBOR gate (tag 18, definite lengths, tag-1 times)', () => {
    expect(() => assertStrictCbor(message, { rootTag: 18 })).not.toThrow();
  });

  it('carries the protected header bytes verbatim and tag-1 times', () => {
    const protectedHex = cose.protectedHeaders.cborHex.toLowerCase();
    expect(message.toString('hex')).toContain(protectedHex);
    const header = decoder.decode(Buffer.from(protectedHex, 'hex')) as Map<unknown, unknown>;
    expect(header.get(1)).toBe(-38);
    expect(header.get('io.cncf.notary.signingTime')).toEqual(new Date(cose.signingTime * 1000));
    expect(header.get('io.cncf.notary.expiry')).toEqual(new Date(cose.expiry * 1000));
  });

  it('is rejected for its unknown critical header (deviation: spec MUST fail; reference accepts)', async () => {
    await expectAppError(() => parseEnvelope(message, 'application/cose'), NotaryErrorCode.unknownCritical);
  });
});
