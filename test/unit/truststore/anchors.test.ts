import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificates, thumbprint, validateAnchors } from '../../../shared/truststore/index.js';
import type { TrustStoreType } from '../../../shared/truststore/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { KeyUsage, issuedBy, selfSigned } from './pki.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/truststore');
const read = (path: string) => readFileSync(join(FIXTURES, path));
const load = (path: string) => parseCertificates(read(path), path);

describe('parseCertificates (notation-core-go loader fixtures)', () => {
  it.each([
    ['notation-core-go/der.der', 1],
    ['notation-core-go/multi-der.der', 2],
    ['notation-core-go/multi-pem.crt', 2],
    ['notation-core-go/pem.crt', 1],
    ['e2e-certs/timestamp/CertChain.pem', 2],
    ['notation-go/x509/ca/valid-trust-store/GlobalSign.der', 1],
  ])('%s holds %i certificate(s)', (path, count) => {
    const certificates = load(path);
    expect(certificates).toHaveLength(count);
    expect(certificates.every((c) => c instanceof X509Certificate)).toBe(true);
  });

  it('DER and PEM of the same certificate give the same bytes', () => {
    expect(thumbprint(load('notation-core-go/der.der')[0]!)).toBe(thumbprint(load('notation-core-go/pem.crt')[0]!));
  });

  it.each([
    ['notation-core-go/invalid', read('notation-core-go/invalid')],
    ['e2e-certs/timestamp/invalid.crt', read('e2e-certs/timestamp/invalid.crt')],
    ['notation-go invalid', read('notation-go/x509/ca/trust-store-with-invalid-certs/invalid')],
    ['empty file', Buffer.alloc(0)],
    ['PEM with a private key block', Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')],
    ['PEM with a broken body', Buffer.from('-----BEGIN CERTIFICATE-----\n!!!notbase64\n-----END CERTIFICATE-----\n')],
    ['PEM without END', Buffer.from(`${read('notation-core-go/pem.crt').toString().split('-----END')[0]}`)],
    ['PEM with valid base64 that is not a certificate', Buffer.from('-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n')],
    ['truncated DER', read('notation-core-go/der.der').subarray(0, 100)],
    ['DER followed by junk', Buffer.concat([read('notation-core-go/der.der'), Buffer.from([1, 2, 3])])],
  ])('refuses %s with ERR_TRUST_STORE_CERT_INVALID', async (_name, bytes) => {
    await expectAppError(() => parseCertificates(bytes, 'test'), 'ERR_TRUST_STORE_CERT_INVALID', 'config');
  });
});

describe('validateAnchors (corpus outcomes)', () => {
  it.each<[string, TrustStoreType]>([
    ['e2e-certs/localkeys/e2e.crt', 'ca'],
    ['e2e-certs/localkeys/new_e2e.crt', 'ca'],
    ['notation-core-go/openssl-minimum-self-signed.pem', 'ca'],
    ['notation-go/x509/ca/valid-trust-store/wabbit-networks.io.crt', 'ca'],
    ['notation-go/x509/signingAuthority/valid-trust-store/NotationTestRoot.pem', 'signingAuthority'],
    ['e2e-certs/timestamp/DigiCertTSARootSHA384.cer', 'tsa'],
    ['e2e-certs/timestamp/globalsignTSARoot.cer', 'tsa'],
    ['notation-go/x509/tsa/test-timestamp/globalsignRoot.cer', 'tsa'],
    ['notation-go/x509/tsa/test-mismatch/DigiCertTSARootSHA384.cer', 'tsa'],
    ['e2e-certs/timestamp/intermediate.pem', 'ca'],
    ['derived/x509/ca/alpine-2123/leaf.crt', 'ca'],
  ])('%s is a valid %s anchor', (path, type) => {
    expect(() => validateAnchors(type, load(path), path)).not.toThrow();
  });

  it.each<[string, TrustStoreType, string]>([
    ['e2e-certs/timestamp/intermediate.pem', 'tsa', 'ERR_TRUST_STORE_TSA_NOT_ROOT'],
    ['e2e-certs/timestamp/notSelfIssued.crt', 'tsa', 'ERR_TRUST_STORE_TSA_NOT_ROOT'],
    ['notation-go/x509/tsa/test-nonSelfIssued/nonSelfIssued.crt', 'tsa', 'ERR_TRUST_STORE_TSA_NOT_ROOT'],
    ['notation-go/x509/tsa/test-nonCA/wabbit-networks.io.crt', 'tsa', 'ERR_TRUST_STORE_TSA_NOT_ROOT'],
    ['e2e-certs/timestamp/CertChain.pem', 'tsa', 'ERR_TRUST_STORE_TSA_NOT_ROOT'],
    ['e2e-certs/timestamp/CertChain.pem', 'ca', 'ERR_TRUST_STORE_CERT_NOT_CA'],
    ['notation-go/x509/ca/trust-store-with-leaf-certs/non-ca.crt', 'ca', 'ERR_TRUST_STORE_CERT_NOT_CA'],
    ['notation-go/x509/ca/trust-store-with-leaf-certs-in-single-file/RootAndLeafCerts.crt', 'ca', 'ERR_TRUST_STORE_CERT_NOT_CA'],
  ])('%s is refused as a %s anchor (%s)', async (path, type, code) => {
    await expectAppError(() => validateAnchors(type, load(path), path), code, 'config');
  });
});

describe('validateAnchors (generated certificates)', () => {
  const ALL: TrustStoreType[] = ['ca', 'signingAuthority', 'tsa'];

  it.each(ALL)('a self-signed root CA is valid in %s', async (type) => {
    const root = await selfSigned('CN=Root', { ca: true, keyUsage: KeyUsage.keyCertSign | KeyUsage.cRLSign });
    expect(() => validateAnchors(type, [new X509Certificate(root.pem)], 'root')).not.toThrow();
  });

  it('a CA issued by another CA is valid in ca and signingAuthority, not in tsa', async () => {
    const root = await selfSigned('CN=Root', { ca: true });
    const intermediate = new X509Certificate((await issuedBy(root, 'CN=Intermediate', { ca: true })).pem);
    expect(() => validateAnchors('ca', [intermediate], 'i')).not.toThrow();
    expect(() => validateAnchors('signingAuthority', [intermediate], 'i')).not.toThrow();
    await expectAppError(() => validateAnchors('tsa', [intermediate], 'i'), 'ERR_TRUST_STORE_TSA_NOT_ROOT');
  });

  it('a leaf issued by a CA is refused in every store type', async () => {
    const root = await selfSigned('CN=Root', { ca: true });
    const leaf = new X509Certificate((await issuedBy(root, 'CN=Leaf', { ca: false })).pem);
    await expectAppError(() => validateAnchors('ca', [leaf], 'leaf'), 'ERR_TRUST_STORE_CERT_NOT_CA');
    await expectAppError(() => validateAnchors('signingAuthority', [leaf], 'leaf'), 'ERR_TRUST_STORE_CERT_NOT_CA');
    await expectAppError(() => validateAnchors('tsa', [leaf], 'leaf'), 'ERR_TRUST_STORE_TSA_NOT_ROOT');
  });

  it('a self-signed leaf is a valid ca anchor (pinning) but not a tsa root', async () => {
    const leaf = new X509Certificate((await selfSigned('CN=Pinned,O=acme', { keyUsage: KeyUsage.digitalSignature })).pem);
    expect(() => validateAnchors('ca', [leaf], 'leaf')).not.toThrow();
    await expectAppError(() => validateAnchors('tsa', [leaf], 'leaf'), 'ERR_TRUST_STORE_TSA_NOT_ROOT');
  });

  it('DEVIATION: a SHA-1 self-signed non-CA certificate is refused (the reference accepts it)', async () => {
    const leaf = new X509Certificate((await selfSigned('CN=Old', { hash: 'SHA-1' })).pem);
    await expectAppError(() => validateAnchors('ca', [leaf], 'sha1'), 'ERR_TRUST_STORE_CERT_NOT_CA');
  });

  it('a SHA-1 self-signed root CA is refused as a tsa root (as Go CheckSignatureFrom does)', async () => {
    const root = new X509Certificate((await selfSigned('CN=Old Root', { ca: true, hash: 'SHA-1' })).pem);
    await expectAppError(() => validateAnchors('tsa', [root], 'sha1'), 'ERR_TRUST_STORE_TSA_NOT_ROOT');
    expect(() => validateAnchors('ca', [root], 'sha1')).not.toThrow();
  });

  it('a root CA whose keyUsage lacks keyCertSign is not a tsa root', async () => {
    const root = new X509Certificate((await selfSigned('CN=Root', { ca: true, keyUsage: KeyUsage.digitalSignature })).pem);
    await expectAppError(() => validateAnchors('tsa', [root], 'root'), 'ERR_TRUST_STORE_TSA_NOT_ROOT');
  });

  it('a self-signed root without basicConstraints is not a tsa root (stricter than Go for v1 certificates)', async () => {
    const root = new X509Certificate((await selfSigned('CN=Root')).pem);
    await expectAppError(() => validateAnchors('tsa', [root], 'root'), 'ERR_TRUST_STORE_TSA_NOT_ROOT');
  });

  it('signed by its own key but with another issuer name: not self-issued, so not a tsa root', async () => {
    const root = new X509Certificate((await selfSigned('CN=Root', { ca: true, issuerName: 'CN=Someone Else' })).pem);
    await expectAppError(() => validateAnchors('tsa', [root], 'root'), 'ERR_TRUST_STORE_TSA_NOT_ROOT');
  });
});
