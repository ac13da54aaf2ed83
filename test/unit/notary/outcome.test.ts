import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotaryErrorCode, verifySignature } from '../../../shared/notary/index.js';
import type { VerifySignatureInput } from '../../../shared/notary/index.js';
import { addDays, createChain, createTsa, issueTimestampToken, PKI_NOW } from '../../helpers/pki/index.js';
import { signCose, signJws } from '../../helpers/signer/index.js';
import { memoryTrustStore, statement, stubRevocation } from './support.js';

const subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'e'.repeat(64)}`, size: 99 };
const chain = createChain({ prefix: 'Outcome', leaf: { notAfter: addDays(PKI_NOW, 200) } });
const tsa = createTsa({ prefix: 'Outcome TSA' });
const stores = memoryTrustStore({ 'ca:test': [chain.root.der], 'tsa:tsa': [tsa.root.der] });
const sign = { descriptor: subject, chain: chain.ders, privateKey: chain.leaf.privateKey };

function input(overrides: Partial<VerifySignatureInput> = {}): VerifySignatureInput {
  return {
    envelope: signJws(sign),
    envelopeMediaType: 'application/jose+json',
    subject,
    statement: statement({ trustStores: ['ca:test'] }),
    trustStore: stores,
    at: PKI_NOW,
    ...overrides,
  };
}

describe('outcome facts', () => {
  it('reports the signer, signing time and the leaf expiry as expiresAt', async () => {
    const outcome = await verifySignature(input());
    expect(outcome).toMatchObject({
      ok: true,
      level: 'strict',
      signingScheme: 'notary.x509',
      signingTime: '2026-05-31T00:00:00.000Z',
      expiresAt: addDays(PKI_NOW, 200).toISOString(),
      signer: { thumbprints: chain.certs.map((c) => c.cert.fingerprint256.replaceAll(':', '').toLowerCase()) },
    });
    expect(outcome.signer?.subject).toContain('CN=Outcome Leaf');
  });

  it('takes the earliest of signature expiry and revocation nextUpdate', async () => {
    const expiry = addDays(PKI_NOW, 30);
    const nextUpdate = addDays(PKI_NOW, 2);
    const first = await verifySignature(input({ envelope: signJws({ ...sign, expiry }) }));
    expect(first.expiresAt).toBe(expiry.toISOString());
    const second = await verifySignature(input({ envelope: signJws({ ...sign, expiry }), revocation: stubRevocation({ codeSigning: { status: 'ok', nextUpdate } }) }));
    expect(second.expiresAt).toBe(nextUpdate.toISOString());
  });

  it('reports the timestamp time and stops counting the leaf expiry once a timestamp is verified', async () => {
    const genTime = addDays(PKI_NOW, -2);
    const envelope = signCose({ ...sign, timestamp: (signature) => issueTimestampToken({ tsa, data: signature, genTime }) });
    const outcome = await verifySignature(input({ envelope, envelopeMediaType: 'application/cose', statement: statement({ trustStores: ['ca:test', 'tsa:tsa'] }) }));
    expect(outcome).toMatchObject({ ok: true, timestampTime: genTime.toISOString() });
    expect(outcome.expiresAt).toBe(new Date(tsa.leaf.cert.validTo).toISOString());
  });

  it('fails revocation closed when no checker is configured and the chain has OCSP pointers', async () => {
    const revokable = createChain({ prefix: 'Outcome OCSP', leaf: { ocspUrls: ['http://127.0.0.1:9/ocsp'] } });
    const outcome = await verifySignature(input({
      envelope: signJws({ descriptor: subject, chain: revokable.ders, privateKey: revokable.leaf.privateKey }),
      trustStore: memoryTrustStore({ 'ca:test': [revokable.root.der] }),
    }));
    expect(outcome).toMatchObject({ ok: false, error: { code: NotaryErrorCode.revocationUnknown } });
  });

  it('returns a skipped outcome for level skip without parsing anything', async () => {
    const outcome = await verifySignature(input({ envelope: Buffer.from('garbage'), statement: { ...statement({ trustStores: [] }), signatureVerification: { level: 'skip' }, trustedIdentities: [] } }));
    expect(outcome.ok).toBe(true);
    expect(outcome.checks.every((c) => c.action === 'skip')).toBe(true);
  });

  it('reports a trust store that cannot be read as an authenticity failure', async () => {
    const outcome = await verifySignature(input({ statement: statement({ trustStores: ['ca:missing'] }) }));
    expect(outcome).toMatchObject({ ok: false, error: { code: NotaryErrorCode.noTrustStore } });
  });

  it('checks required user metadata against the payload annotations', async () => {
    const annotated = signJws({ ...sign, descriptor: { ...subject, annotations: { build: '7' } } });
    expect((await verifySignature(input({ envelope: annotated, userMetadata: { build: '7' } }))).ok).toBe(true);
    expect(await verifySignature(input({ envelope: annotated, userMetadata: { build: '8' } }))).toMatchObject({ ok: false, error: { code: NotaryErrorCode.userMetadata } });
  });
});

describe('verifySignature under fuzzing', () => {
  const valid = signJws(sign);
  it('never reports ok for a mutated envelope', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, xor) => {
        const bytes = Buffer.from(valid);
        bytes[at] = (bytes[at] ?? 0) ^ xor;
        const outcome = await verifySignature(input({ envelope: bytes }));
        // A flip inside the unsigned, unused signing-agent member may still verify; anything else may not.
        const member = '"io.cncf.notary.signingAgent":"trustgate-test-signer/1"';
        const start = valid.indexOf(member);
        if (at < start || at >= start + member.length) expect(outcome.ok).toBe(false);
        expect(outcome.checks.length).toBeGreaterThan(0);
      }),
      { numRuns: 300, seed: 99 },
    );
  });
});
