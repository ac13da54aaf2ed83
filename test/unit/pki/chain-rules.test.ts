import { describe, expect, it } from 'vitest';
import { parseCertificate, PkiError, signatureAlgorithmForKey, validateCodeSigningChain, validateTimestampingChain } from '../../../shared/pki/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { createCa, createChain, createLeaf, createTsa, EKU, type ChainOptions, type KeyType, type LeafOptions } from '../../helpers/pki/index.js';

const outcome = (work: () => unknown): string => {
  try {
    work();
    return 'ok';
  } catch (error) {
    if (!(error instanceof PkiError)) throw error;
    return `${error.code}${error.details?.rule ? `:${String(error.details.rule)}` : ''}`;
  }
};

// EC P-256 keys are generated in about a millisecond: the rules under test do not depend on the key type.
const codeSigning = (options: ChainOptions) => outcome(() => validateCodeSigningChain(createChain({ keyType: 'ec-p256', ...options }).ders));

describe('code-signing chain rules with generated certificates (spec §7.1–7.3)', () => {
  it.each<[string, ChainOptions, string]>([
    ['a valid 3-level chain', { prefix: 'R ok' }, 'ok'],
    ['a valid 4-level chain', { prefix: 'R four', intermediates: 2 }, 'ok'],
    ['a leaf with nonRepudiation too', { prefix: 'R nonrep', leaf: { keyUsage: { bits: ['digitalSignature', 'nonRepudiation'] } } }, 'ok'],
    ['a leaf without EKU', { prefix: 'R noeku', leaf: { eku: null } }, 'ok'],
    ['a leaf without basicConstraints', { prefix: 'R nobc', leaf: { basicConstraints: null } }, 'ok'],
    ['a leaf that is a CA', { prefix: 'R leafca', leaf: { basicConstraints: { ca: true } } }, 'ERR_CERT_PROFILE:leaf-is-ca'],
    ['a leaf without keyUsage', { prefix: 'R noku', leaf: { keyUsage: null } }, 'ERR_CERT_PROFILE:leaf-key-usage-missing'],
    ['a leaf keyUsage not critical', { prefix: 'R kunc', leaf: { keyUsage: { bits: ['digitalSignature'], critical: false } } }, 'ERR_CERT_PROFILE:leaf-key-usage-not-critical'],
    ['a leaf without digitalSignature', { prefix: 'R nods', leaf: { keyUsage: { bits: ['nonRepudiation'] } } }, 'ERR_CERT_PROFILE:leaf-key-usage-digital-signature'],
    ['a leaf with keyEncipherment', { prefix: 'R keyenc', leaf: { keyUsage: { bits: ['digitalSignature', 'keyEncipherment'] } } }, 'ERR_CERT_PROFILE:leaf-key-usage-forbidden'],
    ['a leaf with keyCertSign', { prefix: 'R certsign', leaf: { keyUsage: { bits: ['digitalSignature', 'keyCertSign'] } } }, 'ERR_CERT_PROFILE:leaf-key-usage-forbidden'],
    ...(['serverAuth', 'clientAuth', 'emailProtection', 'timeStamping', 'ocspSigning', 'any'] as const).map(
      (eku) => [`a leaf with EKU ${eku}`, { prefix: `R eku ${eku}`, leaf: { eku: { oids: [EKU.codeSigning, EKU[eku]] } } }, 'ERR_CERT_PROFILE:leaf-eku-forbidden'] as [string, ChainOptions, string],
    ),
    ['a CA without basicConstraints', { prefix: 'R cabc', intermediate: { basicConstraints: null } }, 'ERR_CERT_CHAIN_INVALID:not-issued-by-next'],
    ['a CA whose basicConstraints is not critical', { prefix: 'R cabcnc', intermediate: { basicConstraints: { ca: true, critical: false } } }, 'ERR_CERT_PROFILE:ca-basic-constraints'],
    ['a CA without keyUsage', { prefix: 'R caku', intermediate: { keyUsage: null } }, 'ERR_CERT_PROFILE:ca-key-usage-missing'],
    ['a CA keyUsage not critical', { prefix: 'R cakunc', intermediate: { keyUsage: { bits: ['keyCertSign'], critical: false } } }, 'ERR_CERT_PROFILE:ca-key-usage-not-critical'],
    ['a CA without keyCertSign', { prefix: 'R cacs', intermediate: { keyUsage: { bits: ['cRLSign'] } } }, 'ERR_CERT_CHAIN_INVALID:not-issued-by-next'],
    ['pathLen 0 on an intermediate above the leaf', { prefix: 'R pl0', intermediate: { pathLen: 0 } }, 'ok'],
    ['pathLen 0 on the root above an intermediate', { prefix: 'R pl root', root: { pathLen: 0 } }, 'ERR_CERT_PROFILE:path-length'],
    ['pathLen 1 on the root above two intermediates', { prefix: 'R pl two', intermediates: 2, root: { pathLen: 1 } }, 'ERR_CERT_PROFILE:path-length'],
    ['an RSA-1024 leaf', { prefix: 'R rsa1024', leaf: { keyType: 'rsa-1024' } }, 'ERR_KEY_UNSUPPORTED'],
    ['a P-224 leaf', { prefix: 'R p224', leaf: { keyType: 'ec-p224' } }, 'ERR_KEY_UNSUPPORTED'],
    ['an RSA-1024 intermediate', { prefix: 'R ca1024', intermediate: { keyType: 'rsa-1024' } }, 'ERR_KEY_UNSUPPORTED'],
    ['a SHA-1 signed leaf', { prefix: 'R sha1 leaf', leaf: { signatureHash: 'sha1' } }, 'ERR_CERT_SIGNATURE_ALGORITHM'],
    ['a SHA-1 self-signed root', { prefix: 'R sha1 root', root: { signatureHash: 'sha1' } }, 'ERR_CERT_SIGNATURE_ALGORITHM'],
    ['an unhandled critical extension', { prefix: 'R crit', leaf: { extraExtensions: [{ oid: '1.2.3.4.5', critical: true, value: new Uint8Array([5, 0]) }] } }, 'ERR_CERT_PROFILE:unhandled-critical-extension'],
    ['an unknown non-critical extension', { prefix: 'R noncrit', leaf: { extraExtensions: [{ oid: '1.2.3.4.5', critical: false, value: new Uint8Array([5, 0]) }] } }, 'ok'],
    ['a leaf whose issuer name differs from the CA subject', { prefix: 'R issuer', leaf: { issuerNameOverride: 'CN=Somebody Else' } }, 'ERR_CERT_CHAIN_INVALID:not-issued-by-next'],
    ['a leaf signed by a foreign key', { prefix: 'R foreign', leaf: { corruptSignature: true } }, 'ERR_CERT_CHAIN_INVALID:not-issued-by-next'],
    ['a root whose self-signature is broken', { prefix: 'R rootsig', root: { corruptSignature: true } }, 'ERR_CERT_CHAIN_INVALID:root-not-self-signed'],
  ])('%s → %s', (_name, options, expected) => {
    expect(codeSigning(options)).toBe(expected);
  });

  it('rejects chains out of order, with a self-signed leaf, a self-signed intermediate or no root', () => {
    const { certs, ders } = createChain({ prefix: 'R order', intermediates: 2, keyType: 'ec-p256' });
    const [leaf, i1, i2, root] = ders as [Buffer, Buffer, Buffer, Buffer];
    expect(outcome(() => validateCodeSigningChain([leaf, i2, i1, root]))).toBe('ERR_CERT_CHAIN_INVALID:not-issued-by-next');
    expect(outcome(() => validateCodeSigningChain([root, root]))).toBe('ERR_CERT_CHAIN_INVALID:self-signed-before-root');
    expect(outcome(() => validateCodeSigningChain([leaf, i1, i2, root, root]))).toBe('ERR_CERT_CHAIN_INVALID:self-signed-before-root');
    expect(outcome(() => validateCodeSigningChain([leaf, i1, i2]))).toBe('ERR_CERT_CHAIN_INVALID:root-not-self-signed');
    expect(outcome(() => validateCodeSigningChain([leaf]))).toBe('ERR_CERT_CHAIN_INVALID:single-not-self-signed');
    expect(certs).toHaveLength(4);
  });

  it('a chain that ends with an intermediate names it, and does not call it a root certificate', () => {
    const { ders } = createChain({ prefix: 'R missing', intermediates: 1, keyType: 'ec-p256' });
    const [leaf, intermediate] = ders as [Buffer, Buffer];
    let message = '';
    try {
      validateCodeSigningChain([leaf, intermediate]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('is the root missing?');
    expect(message).toContain(parseCertificate(intermediate).subject);
    expect(message).not.toContain('root certificate');
  });

  it.each<[string, Partial<LeafOptions>, string]>([
    ['a self-signed leaf alone', {}, 'ok'],
    ['a self-signed CA alone (must satisfy the leaf rules)', { basicConstraints: { ca: true }, keyUsage: { bits: ['keyCertSign'] } }, 'ERR_CERT_PROFILE:leaf-is-ca'],
    ['a SHA-1 self-signed leaf alone (the reference accepts it)', { signatureHash: 'sha1' }, 'ERR_CERT_SIGNATURE_ALGORITHM'],
  ])('single certificate: %s → %s', (name, options, expected) => {
    const single = createLeaf({ name: `CN=Single ${name}`, keyType: 'ec-p256', ...options });
    expect(outcome(() => validateCodeSigningChain([single.der]))).toBe(expected);
  });
});

describe('timestamping chain rules (spec §7.4)', () => {
  it.each<[string, Parameters<typeof createTsa>[0], string]>([
    ['a valid TSA', { prefix: 'T ok' }, 'ok'],
    ['a TSA CA whose keyUsage is not critical', { prefix: 'T cakunc', root: { keyUsage: { bits: ['keyCertSign'], critical: false } } }, 'ok'],
    ['a TSA leaf without EKU', { prefix: 'T noeku', leaf: { eku: null } }, 'ERR_CERT_PROFILE:tsa-eku-missing'],
    ['a TSA leaf EKU not critical', { prefix: 'T ekunc', leaf: { eku: { oids: [EKU.timeStamping], critical: false } } }, 'ERR_CERT_PROFILE:tsa-eku-not-critical'],
    ['a TSA leaf with an extra EKU', { prefix: 'T extra', leaf: { eku: { oids: [EKU.timeStamping, EKU.codeSigning], critical: true } } }, 'ERR_CERT_PROFILE:tsa-eku-values'],
    ['a TSA leaf with codeSigning EKU', { prefix: 'T cs', leaf: { eku: { oids: [EKU.codeSigning], critical: true } } }, 'ERR_CERT_PROFILE:tsa-eku-values'],
    ['a TSA leaf without keyUsage', { prefix: 'T noku', leaf: { keyUsage: null } }, 'ERR_CERT_PROFILE:leaf-key-usage-missing'],
    ['a TSA leaf that is a CA', { prefix: 'T ca', leaf: { basicConstraints: { ca: true } } }, 'ERR_CERT_PROFILE:leaf-is-ca'],
  ])('%s → %s', (_name, options, expected) => {
    const tsa = createTsa({ keyType: 'ec-p256', ...options });
    expect(outcome(() => validateTimestampingChain([tsa.leaf.der, tsa.root.der]))).toBe(expected);
  });

  it('uses a code-signing leaf as a TSA → refused, and a TSA leaf as a code signer → refused', () => {
    const tsa = createTsa({ prefix: 'T swap', keyType: 'ec-p256' });
    expect(outcome(() => validateCodeSigningChain([tsa.leaf.der, tsa.root.der]))).toBe('ERR_CERT_PROFILE:leaf-eku-forbidden');
    const chain = createChain({ prefix: 'T swap cs', keyType: 'ec-p256' });
    expect(outcome(() => validateTimestampingChain(chain.ders))).toBe('ERR_CERT_PROFILE:tsa-eku-not-critical');
  });
});

describe('signatureAlgorithmForKey (spec §7.2)', () => {
  it.each<[KeyType, string]>([
    ['rsa-2048', 'PS256'],
    ['rsa-3072', 'PS384'],
    ['rsa-4096', 'PS512'],
    ['ec-p256', 'ES256'],
    ['ec-p384', 'ES384'],
    ['ec-p521', 'ES512'],
  ])('%s → %s', (keyType, algorithm) => {
    const root = createCa({ name: `CN=Alg ${keyType}`, keyType });
    expect(signatureAlgorithmForKey(parseCertificate(root.der))).toBe(algorithm);
  });

  it.each<[KeyType]>([['rsa-1024'], ['ec-p224']])('%s is unsupported', async (keyType) => {
    const root = createCa({ name: `CN=Alg ${keyType}`, keyType });
    await expectAppError(() => signatureAlgorithmForKey(parseCertificate(root.der)), 'ERR_KEY_UNSUPPORTED', 'verification-failed');
  });
});
