import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixedClock } from '../../../shared/core/index.js';
import { parseCertificate, parseCertificates, parseTimestampToken, PkiError, RevocationChecker, verifyTimestampToken } from '../../../shared/pki/index.js';
import { createChain, createTsa, issueCrl, issueOcspResponse, issueTimestampToken, PKI_NOW, RevocationResponder } from '../../helpers/pki/index.js';

// Bad input must always become a PkiError with a code — never another exception, never a hang.
const signature = Buffer.from('fuzzed signature');
const tsa = createTsa({ prefix: 'Fuzz TSA', keyType: 'ec-p256' });
const validToken = issueTimestampToken({ tsa, data: signature });
const chain = createChain({ prefix: 'Fuzz', keyType: 'ec-p256', leaf: { ocspUrls: ['http://ocsp.test/f'], crlUrls: ['http://crl.test/f.crl'] } });
const issuer = chain.intermediates[0]!;

/** A valid DER blob with a few bytes overwritten, removed or inserted at random positions. */
function mutated(valid: Buffer): fc.Arbitrary<Buffer> {
  const edit = fc.record({ at: fc.nat({ max: valid.length - 1 }), byte: fc.integer({ min: 0, max: 255 }), kind: fc.constantFrom('set', 'delete', 'insert') });
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let bytes = Buffer.from(valid);
    for (const { at, byte, kind } of edits) {
      const i = Math.min(at, bytes.length - 1);
      if (kind === 'set') bytes[i] = byte;
      else if (kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
      else bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
    }
    return bytes;
  });
}

const inputs = (valid: Buffer) => fc.oneof(fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)), mutated(valid), fc.nat({ max: valid.length }).map((n) => valid.subarray(0, n)));

function onlyPkiErrors(work: () => unknown): void {
  try {
    work();
  } catch (error) {
    if (!(error instanceof PkiError)) throw error;
    expect(error.code).toMatch(/^ERR_/);
  }
}

describe('fuzzing the ASN.1 entry points', () => {
  it('verifyTimestampToken / parseTimestampToken throw only PkiError', () => {
    fc.assert(
      fc.property(inputs(validToken), (bytes) => {
        onlyPkiErrors(() => parseTimestampToken(bytes));
        onlyPkiErrors(() => verifyTimestampToken(bytes, { signature, tsaAnchors: [tsa.root.cert] }));
      }),
      { numRuns: 400 },
    );
  });

  it('parseCertificate / parseCertificates throw only PkiError', () => {
    fc.assert(
      fc.property(inputs(chain.leaf.der), (bytes) => {
        onlyPkiErrors(() => parseCertificate(bytes));
        onlyPkiErrors(() => parseCertificates(bytes));
        onlyPkiErrors(() => parseCertificates(bytes.toString('latin1')));
      }),
      { numRuns: 400 },
    );
  });

  it('a mutated CRL or OCSP response never makes checkChain throw or answer ok', async () => {
    const crl = issueCrl({ issuer, revoked: [{ serial: chain.leaf.serial }] });
    const ocsp = issueOcspResponse({ issuer, cert: chain.leaf, status: 'revoked' });
    await fc.assert(
      fc.asyncProperty(inputs(crl), inputs(ocsp), async (crlBytes, ocspBytes) => {
        const responder = new RevocationResponder().serveCrl('http://crl.test/f.crl', crlBytes);
        const fetch: typeof responder.fetch = async (input, init) =>
          String(input).startsWith('http://ocsp.test/f') ? new Response(ocspBytes, { status: 200 }) : responder.fetch(input, init);
        const result = await new RevocationChecker({ fetch, clock: fixedClock(PKI_NOW) }).checkChain(chain.ders, { purpose: 'codeSigning', at: PKI_NOW });
        expect(['revoked', 'unknown']).toContain(result.status);
      }),
      { numRuns: 150 },
    );
  });
});
