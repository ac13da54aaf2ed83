import { describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { chainValidAt, parseCertificate, parseCertificates, validAt } from '../../../shared/pki/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { addDays, createCa, createChain, createLeaf, EKU, PKI_NOW } from '../../helpers/pki/index.js';
import { fixture } from './fixtures.js';

describe('parseCertificate', () => {
  const chain = createChain({ prefix: 'Parse', keyType: 'ec-p384', leaf: { ocspUrls: ['http://ocsp.test/a'], crlUrls: ['http://crl.test/a.crl'], freshestCrlUrls: ['http://crl.test/delta.crl'] } });

  it('exposes the facts node does not: extensions with criticality, key, names, pointers', () => {
    const leaf = parseCertificate(chain.leaf.der);
    expect(leaf.thumbprint).toBe(chain.leaf.cert.fingerprint256.replaceAll(':', '').toLowerCase());
    expect(leaf.subject).toBe('C=US,ST=WA,L=Seattle,O=Notary Test,CN=Parse Leaf');
    expect(leaf.issuer).toBe('C=US,ST=WA,O=Notary Test,CN=Parse Intermediate 1');
    expect(leaf.serialNumber).toBe(chain.leaf.serial);
    expect(leaf.basicConstraints).toEqual({ critical: true, ca: false });
    expect(leaf.isCA).toBe(false);
    expect(leaf.keyUsage).toEqual({ critical: true, bits: new Set(['digitalSignature']) });
    expect(leaf.eku).toEqual({ critical: false, oids: [EKU.codeSigning] });
    expect(leaf.key).toEqual({ type: 'ec', curve: 'P-384', bits: 384 });
    expect(leaf.ocspUrls).toEqual(['http://ocsp.test/a']);
    expect(leaf.crlUrls).toEqual(['http://crl.test/a.crl']);
    expect(leaf.freshestCrlUrls).toEqual(['http://crl.test/delta.crl']);
    expect(leaf.selfIssued).toBe(false);
    expect(leaf.notBefore).toEqual(new Date(chain.leaf.cert.validFrom));
    expect(parseCertificate(chain.root.der)).toMatchObject({ selfIssued: true, isCA: true, basicConstraints: { critical: true, ca: true } });
  });

  it('parses once: the same bytes, PEM or X509Certificate give the same cached object', () => {
    const first = parseCertificate(chain.leaf.der);
    expect(parseCertificate(Buffer.from(chain.leaf.der))).toBe(first);
    expect(parseCertificate(chain.leaf.pem)).toBe(first);
    expect(parseCertificate(new X509Certificate(chain.leaf.der))).toBe(first);
    expect(parseCertificate(first)).toBe(first);
  });

  it('lists subject attributes in order with Go short names; unnamed and repeated types stay detectable', () => {
    const cert = parseCertificate(createLeaf({ name: 'CN=x, OU=a, OU=b, 1.2.840.113549.1.9.1=me@example.com, 2.5.4.5=42, C=US', issuer: chain.intermediates[0] }).der);
    expect(cert.subjectAttributes.map((a) => [a.name ?? a.oid, a.value, a.rdnIndex])).toEqual([
      ['CN', 'x', 0], ['OU', 'a', 1], ['OU', 'b', 2], ['1.2.840.113549.1.9.1', 'me@example.com', 3], ['SERIALNUMBER', '42', 4], ['C', 'US', 5],
    ]);
  });

  it('marks multi-valued RDNs by a shared rdnIndex and escapes RFC 4514 specials', () => {
    const cert = parseCertificate(createLeaf({ name: 'CN=a\\, b+O=acme, C=US', issuer: chain.intermediates[0] }).der);
    expect(cert.subjectAttributes.map((a) => a.rdnIndex)).toEqual([0, 0, 1]);
    expect(cert.subject).toBe('C=US,CN=a\\, b+O=acme');
  });

  it.each([
    ['garbage bytes', Buffer.from('definitely not a certificate')],
    ['truncated DER', chain.leaf.der.subarray(0, 100)],
    ['a PEM bundle with two certificates', chain.leaf.pem + chain.root.pem],
    ['PEM with broken base64', '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'],
    ['an empty input', new Uint8Array(0)],
  ])('rejects %s with ERR_CERT_PARSE', async (_name, input) => {
    await expectAppError(() => parseCertificate(input), 'ERR_CERT_PARSE', 'invalid-input');
  });

  it('rejects a certificate with a duplicated extension', async () => {
    const dup = createLeaf({ name: 'CN=Dup', issuer: chain.intermediates[0], extraExtensions: [{ oid: '2.5.29.15', critical: true, value: new Uint8Array([3, 2, 7, 0x80]) }] });
    await expectAppError(() => parseCertificate(dup.der), 'ERR_CERT_PARSE');
  });
});

describe('parseCertificates (notation-core-go loader fixtures)', () => {
  it.each([
    ['notation-core-go/x509/der.der', 1],
    ['notation-core-go/x509/multi-der.der', 2],
    ['notation-core-go/x509/pem.crt', 1],
    ['notation-core-go/x509/multi-pem.crt', 2],
    ['e2e/revocation/crl/certchain_with_crl.pem', 3],
  ])('%s holds %i certificate(s)', (path, count) => {
    expect(parseCertificates(fixture(path))).toHaveLength(count);
  });

  it.each([['notation-core-go/x509/invalid'], ['empty', ]])('rejects %s', async (path) => {
    await expectAppError(() => parseCertificates(path === 'empty' ? '' : fixture(path)), 'ERR_CERT_PARSE');
  });
});

describe('CRL pointers of the notation-core-go crl-parsing fixtures', () => {
  it.each([
    ['certificateWithDeltaCRL.cer', 1, 1],
    ['certificateWithZeroDeltaCRLURL.cer', 1, 0],
    ['certificateWithNonURIDeltaCRL.cer', 0, 0],
    // Upstream: a parse error. Here the empty extension parses to "no delta URL" (and no CDP URL either).
    ['certificateWithIncompleteFreshestCRL2.cer', 0, 0],
  ])('%s: %i CDP URL(s), %i delta URL(s)', (file, crl, delta) => {
    const cert = parseCertificate(fixture(`notation-core-go/crl-parsing/${file}`));
    expect([cert.crlUrls.length, cert.freshestCrlUrls.length]).toEqual([crl, delta]);
  });

  it('rejects a truncated Freshest CRL extension', async () => {
    await expectAppError(() => parseCertificate(fixture('notation-core-go/crl-parsing/certificateWithIncompleteFreshestCRL.cer')), 'ERR_CERT_PARSE');
  });
});

describe('validAt / chainValidAt (spec §10)', () => {
  const root = createCa({ name: 'CN=Validity Root', notBefore: addDays(PKI_NOW, -100), notAfter: addDays(PKI_NOW, 100) });
  const leaf = createLeaf({ name: 'CN=Validity Leaf', issuer: root, notBefore: addDays(PKI_NOW, -1), notAfter: addDays(PKI_NOW, 1) });
  const chain = [parseCertificate(leaf.der), parseCertificate(root.der)];
  it.each([
    ['at notBefore (inclusive)', addDays(PKI_NOW, -1), true],
    ['at notAfter (inclusive)', addDays(PKI_NOW, 1), true],
    ['a millisecond before notBefore', new Date(addDays(PKI_NOW, -1).getTime() - 1000), false],
    ['a second after notAfter', new Date(addDays(PKI_NOW, 1).getTime() + 1000), false],
  ])('validAt %s', (_name, at, expected) => {
    expect(validAt(chain[0]!, at)).toBe(expected);
  });

  it.each([
    ['inside every validity', PKI_NOW, { ok: true }],
    ['after the leaf expired', addDays(PKI_NOW, 2), { ok: false, index: 0, reason: 'expired' }],
    ['before the leaf was valid', addDays(PKI_NOW, -2), { ok: false, index: 0, reason: 'not-yet-valid' }],
    ['after the root expired', addDays(PKI_NOW, 101), { ok: false, index: 0, reason: 'expired' }],
  ])('chainValidAt %s', (_name, at, expected) => {
    expect(chainValidAt(chain, at)).toMatchObject(expected);
  });
});
