import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotaryError, parseEnvelope } from '../../../shared/notary/index.js';
import { createChain } from '../../helpers/pki/index.js';
import { signCose, signJws } from '../../helpers/signer/index.js';

const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'d'.repeat(64)}`, size: 42 };
const chain = createChain({ prefix: 'Fuzz', intermediates: 0 });
const valid = {
  'application/jose+json': signJws({ descriptor, chain: chain.ders, privateKey: chain.leaf.privateKey, expiry: new Date('2027-01-01T00:00:00Z') }),
  'application/cose': signCose({ descriptor, chain: chain.ders, privateKey: chain.leaf.privateKey, expiry: new Date('2027-01-01T00:00:00Z') }),
};
const mediaTypes = Object.keys(valid) as Array<keyof typeof valid>;

/** Parsing either succeeds or throws a NotaryError: never another exception, never a hang. */
function parsesOrNotaryError(bytes: Uint8Array, mediaType: string): 'parsed' | 'rejected' {
  try {
    parseEnvelope(bytes, mediaType);
    return 'parsed';
  } catch (error) {
    if (!(error instanceof NotaryError)) throw error;
    return 'rejected';
  }
}

/** One structural mutation of a byte string. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
);

type Mutation = { kind: string; at: number; bit?: number; bytes?: Uint8Array; length?: number };

function mutate(input: Buffer, change: Mutation): Buffer {
  const at = input.length === 0 ? 0 : change.at % input.length;
  switch (change.kind) {
    case 'flip': {
      const copy = Buffer.from(input);
      copy[at] = (copy[at] ?? 0) ^ (1 << (change.bit ?? 0));
      return copy;
    }
    case 'truncate':
      return input.subarray(0, at);
    case 'insert':
      return Buffer.concat([input.subarray(0, at), Buffer.from(change.bytes ?? []), input.subarray(at)]);
    default:
      return Buffer.concat([input.subarray(0, at), input.subarray(at + (change.length ?? 1))]);
  }
}

describe('envelope parsers under fuzzing', () => {
  it.each(mediaTypes)('random bytes as %s never crash the parser', (mediaType) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        expect(parsesOrNotaryError(bytes, mediaType)).toBe('rejected');
      }),
      { numRuns: 400, seed: 20260601 },
    );
  });

  it('random CBOR-ish bytes behind the COSE tag never crash the parser', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (tail) => {
        expect(parsesOrNotaryError(Buffer.concat([Buffer.from([0xd2, 0x84]), tail]), 'application/cose')).toBe('rejected');
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it.each(mediaTypes)('mutated valid %s envelopes either parse or fail with a NotaryError', (mediaType) => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (changes) => {
        const bytes = changes.reduce((acc, change) => mutate(acc, change), valid[mediaType]);
        parsesOrNotaryError(bytes, mediaType);
      }),
      { numRuns: 600, seed: 42 },
    );
  });

  it('random JSON values as a JWS envelope never crash the parser', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(parsesOrNotaryError(Buffer.from(JSON.stringify(value) ?? 'null'), 'application/jose+json')).toBe('rejected');
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('random protected headers in a well-formed JWS never crash the parser', () => {
    const jws = JSON.parse(valid['application/jose+json'].toString()) as Record<string, unknown>;
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.constantFrom('alg', 'crit', 'cty', 'io.cncf.notary.signingScheme', 'io.cncf.notary.signingTime', 'io.cncf.notary.expiry'), fc.string()), fc.jsonValue()), (header) => {
        const bytes = Buffer.from(JSON.stringify({ ...jws, protected: Buffer.from(JSON.stringify(header)).toString('base64url') }));
        parsesOrNotaryError(bytes, 'application/jose+json');
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
