import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/core/index.js';
import { chainSignatureChecks, RevocationChecker, validateCodeSigningChain } from '../../../shared/pki/index.js';
import { createChain } from '../../helpers/pki/index.js';

/**
 * RSA operations per signature: the chain (leaf ← intermediate ← root, root self-signature) used to be validated
 * by the integrity check and again by the revocation check — 6 certificate signature checks plus the envelope's
 * own = 7 per signature. Chain results are now reused by thumbprints: 3 + 1 for a chain's first signature, 1 after.
 */
describe('chain validation is reused between checks and signatures', () => {
  it('integrity then revocation of one RSA chain: 3 certificate signature checks, then none for the next signature', async () => {
    const chain = createChain({ prefix: 'Reuse RSA', keyType: 'rsa-2048' });
    const revocation = new RevocationChecker({ fetch: async () => { throw new Error('no network in this test'); }, clock: fixedClock(new Date()) });

    const before = chainSignatureChecks();
    const integrity = validateCodeSigningChain(chain.ders); // integrity check
    await revocation.checkChain(chain.ders, { purpose: 'codeSigning', at: new Date() }); // revocation check re-validates
    expect(chainSignatureChecks() - before).toBe(3);

    const again = chainSignatureChecks();
    const second = validateCodeSigningChain(chain.ders);
    await revocation.checkChain(chain.ders, { purpose: 'codeSigning', at: new Date() });
    expect(chainSignatureChecks() - again).toBe(0);
    expect(second.map((c) => c.thumbprint)).toEqual(integrity.map((c) => c.thumbprint));
    second.pop(); // callers get their own array: the remembered chain is not changed through it
    expect(validateCodeSigningChain(chain.ders)).toHaveLength(3);
  });

  it('failures are never remembered', () => {
    const chain = createChain({ prefix: 'Reuse bad', keyType: 'ec-p256', leaf: { basicConstraints: { ca: true } } });
    expect(() => validateCodeSigningChain(chain.ders)).toThrow();
    const before = chainSignatureChecks();
    expect(() => validateCodeSigningChain(chain.ders)).toThrow();
    expect(chainSignatureChecks()).toBeGreaterThan(before);
  });
});
