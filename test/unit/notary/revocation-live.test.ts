import { describe, expect, it } from 'vitest';
import { silentLogger, fixedClock } from '../../../shared/core/index.js';
import { verifySignature } from '../../../shared/notary/index.js';
import { RevocationChecker } from '../../../shared/pki/index.js';
import { addDays, createChain, issueCrl, PKI_NOW, RevocationResponder } from '../../helpers/pki/index.js';
import { signJws } from '../../helpers/signer/index.js';
import { memoryTrustStore, statement } from './support.js';

/**
 * The verifier with the real RevocationChecker behind a FetchLike responder: OCSP for the leaf (CRL as fallback),
 * CRL for the intermediate — the path production takes, not a stub.
 */
const OCSP = 'http://ocsp.test';
const LEAF_CRL = 'http://crl.test/leaf.crl';
const INTERMEDIATE_CRL = 'http://crl.test/intermediate.crl';

const chain = createChain({ keyType: 'ec-p256', prefix: 'Revocation', leaf: { ocspUrls: [OCSP], crlUrls: [LEAF_CRL] }, intermediate: { crlUrls: [INTERMEDIATE_CRL] } });
const intermediate = chain.intermediates[0] ?? chain.root;
const descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 42 };
const envelope = signJws({ descriptor, chain: chain.ders, privateKey: chain.leaf.privateKey });
const store = memoryTrustStore({ 'ca:acme': [chain.root.der] });

function responder(options: { leaf?: 'good' | 'revoked'; ocspDown?: boolean; leafCrl?: 'good' | 'revoked' | 'expired' | 'down' } = {}) {
  const r = new RevocationResponder();
  r.serveOcsp(OCSP, { issuer: intermediate, answer: () => options.leaf ?? 'good' });
  if (options.ocspDown) r.fault(OCSP, 'down');
  const revoked = options.leafCrl === 'revoked' ? [{ serial: chain.leaf.serial }] : [];
  const nextUpdate = options.leafCrl === 'expired' ? addDays(PKI_NOW, -1) : addDays(PKI_NOW, 7);
  r.serveCrl(LEAF_CRL, issueCrl({ issuer: intermediate, revoked, thisUpdate: addDays(PKI_NOW, -2), nextUpdate }));
  if (options.leafCrl === 'down') r.fault(LEAF_CRL, 'down');
  r.serveCrl(INTERMEDIATE_CRL, issueCrl({ issuer: chain.root }));
  return r;
}

async function verify(level: 'strict' | 'permissive', r: RevocationResponder) {
  const revocation = new RevocationChecker({ fetch: r.fetch, clock: fixedClock(PKI_NOW), logger: silentLogger });
  return verifySignature({
    envelope,
    envelopeMediaType: 'application/jose+json',
    subject: descriptor,
    statement: statement({ trustStores: ['ca:acme'], signatureVerification: { level } }),
    trustStore: store,
    revocation,
    at: PKI_NOW,
  });
}

const revocationCheck = (outcome: Awaited<ReturnType<typeof verify>>) => outcome.checks.find((c) => c.check === 'revocation');

describe('revocation through the real checker', () => {
  it('passes with good OCSP and CRL answers, and the outcome expires no later than the revocation data', async () => {
    const r = responder();
    const outcome = await verify('strict', r);
    expect(outcome.ok).toBe(true);
    expect([r.count(OCSP), r.count(LEAF_CRL), r.count(INTERMEDIATE_CRL)]).toEqual([1, 0, 1]); // OCSP answered for the leaf
    expect(revocationCheck(outcome)).toMatchObject({ action: 'enforce', ok: true });
    expect(Date.parse(outcome.expiresAt ?? '')).toBeLessThanOrEqual(addDays(PKI_NOW, 7).getTime());
  });

  it('fails strict and is logged under permissive when OCSP says revoked', async () => {
    const strict = await verify('strict', responder({ leaf: 'revoked' }));
    expect(strict.ok).toBe(false);
    expect(strict.error?.code).toBe('ERR_NOTARY_REVOKED');
    const permissive = await verify('permissive', responder({ leaf: 'revoked' }));
    expect(permissive.ok).toBe(true);
    expect(revocationCheck(permissive)).toMatchObject({ action: 'log', ok: false });
  });

  it('falls back to the CRL when the OCSP responder is down', async () => {
    expect((await verify('strict', responder({ ocspDown: true }))).ok).toBe(true);
    const revoked = await verify('strict', responder({ ocspDown: true, leafCrl: 'revoked' }));
    expect([revoked.ok, revoked.error?.code]).toEqual([false, 'ERR_NOTARY_REVOKED']);
  });

  it.each(['down', 'expired'] as const)('is unknown — a strict failure — when OCSP is down and the CRL is %s', async (leafCrl) => {
    const strict = await verify('strict', responder({ ocspDown: true, leafCrl }));
    expect([strict.ok, strict.error?.code]).toEqual([false, 'ERR_NOTARY_REVOCATION_UNKNOWN']);
    const permissive = await verify('permissive', responder({ ocspDown: true, leafCrl }));
    expect(permissive.ok).toBe(true);
  });
});
