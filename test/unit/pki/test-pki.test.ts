import 'reflect-metadata';
import { verify } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import { X509Certificate as PeculiarCert, X509Crl } from '@peculiar/x509';
import { createCa, createChain, createLeaf, issueCrl, issueOcspResponse, requestedSerials, RevocationResponder, EKU, PKI_NOW } from '../../helpers/pki/index.js';

// The test PKI is itself test code the whole suite leans on: check that what it makes is what it claims.
describe('test PKI', () => {
  it('builds a chain whose links verify and whose profile is as described', () => {
    const chain = createChain({ keyType: 'ec-p256', leaf: { ocspUrls: ['http://ocsp.test'], crlUrls: ['http://crl.test/a.crl'] } });
    const [leaf, intermediate, root] = chain.certs;
    expect(leaf!.cert.verify(intermediate!.publicKey)).toBe(true);
    expect(intermediate!.cert.verify(root!.publicKey)).toBe(true);
    expect(root!.cert.verify(root!.publicKey)).toBe(true);
    expect(leaf!.cert.verify(leaf!.publicKey)).toBe(false);
    expect(leaf!.cert.checkIssued(intermediate!.cert)).toBe(true);
    expect(new Date(leaf!.cert.validFrom).getTime()).toBeLessThan(PKI_NOW.getTime());
    const parsed = new PeculiarCert(leaf!.der);
    expect(parsed.getExtension('2.5.29.15')?.critical).toBe(true);
    expect(leaf!.cert.keyUsage).toEqual([EKU.codeSigning]);
  });

  it.each([
    ['a corrupted signature', { corruptSignature: true }],
    ['a foreign signing key', { signWith: createCa({ name: 'CN=Other' }).privateKey }],
  ])('can break the issuer link with %s', (_label, override) => {
    const root = createCa({ name: 'CN=Break Root' });
    const leaf = createLeaf({ name: 'CN=Break Leaf', issuer: root, ...override });
    expect(leaf.cert.verify(root.publicKey)).toBe(false);
  });

  it('issues CRLs signed by the issuer', () => {
    const chain = createChain({ prefix: 'Crl' });
    const issuer = chain.intermediates[0]!;
    const der = issueCrl({ issuer, revoked: [{ serial: chain.leaf.serial, reason: 'keyCompromise' }] });
    const list = AsnConvert.parse(der, CertificateList);
    expect(verify('sha256', new Uint8Array(list.tbsCertListRaw!), issuer.publicKey, new Uint8Array(list.signature))).toBe(true);
    expect(new X509Crl(der).entries.map((e) => e.serialNumber.toLowerCase().replace(/^0+/, ''))).toEqual([chain.leaf.serial]);
  });

  it('answers OCSP over the route table and counts requests', async () => {
    const chain = createChain({ prefix: 'Ocsp' });
    const issuer = chain.intermediates[0]!;
    const responder = new RevocationResponder().serveOcsp('http://ocsp.test', { issuer, answer: () => 'revoked' });
    const response = await responder.fetch('http://ocsp.test', { method: 'POST', body: new Uint8Array(1) });
    expect(response.status).toBe(200);
    expect(responder.count('http://ocsp.test')).toBe(1);
    expect(issueOcspResponse({ issuer, cert: chain.leaf, status: 'good' }).length).toBeGreaterThan(100);
    expect(() => requestedSerials(new Uint8Array([1, 2, 3]))).toThrow();
  });

  it('fails requests on a faulted route', async () => {
    const responder = new RevocationResponder().serveCrl('http://crl.test/a.crl', new Uint8Array([0x30, 0]));
    responder.fault('http://crl.test/a.crl', 'down');
    await expect(responder.fetch('http://crl.test/a.crl')).rejects.toThrow(TypeError);
    responder.fault('http://crl.test/a.crl', 'http500');
    expect((await responder.fetch('http://crl.test/a.crl')).status).toBe(500);
  });
});
