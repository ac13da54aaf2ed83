import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/core/index.js';
import { RevocationChecker, type RevocationCheckerOptions } from '../../../shared/pki/index.js';
import {
  addDays, createChain, createLeaf, issueCrl, PKI_NOW, RevocationResponder, type ChainOptions, type CrlOptions, type OcspRoute, type TestChain,
} from '../../helpers/pki/index.js';

const OCSP = 'http://ocsp.test/intermediate';
const CRL = 'http://crl.test/intermediate.crl';

function pki(prefix: string, leaf: ChainOptions['leaf'] = { ocspUrls: [OCSP], crlUrls: [CRL] }): TestChain {
  return createChain({ prefix, leaf });
}

function checker(responder: RevocationResponder, options: Partial<RevocationCheckerOptions> = {}): RevocationChecker {
  return new RevocationChecker({ fetch: responder.fetch, clock: fixedClock(PKI_NOW), ...options });
}

const check = (c: RevocationChecker, chain: TestChain, authenticSigningTime?: Date) =>
  c.checkChain(chain.ders, { purpose: 'codeSigning', at: PKI_NOW, ...(authenticSigningTime ? { authenticSigningTime } : {}) });

describe('RevocationChecker: OCSP (spec §11.2)', () => {
  const chain = pki('Ocsp');
  const issuer = chain.intermediates[0]!;

  it.each([
    ['good', 'ok'],
    ['revoked', 'revoked'],
  ] as const)('OCSP %s → %s, by GET, root never checked', async (answer, expected) => {
    const responder = new RevocationResponder().serveOcsp(OCSP, { issuer, answer: () => answer });
    const result = await check(checker(responder), chain);
    expect(result.status).toBe(expected);
    expect(result.certs.map((c) => [c.method, c.status])).toEqual([['ocsp', expected], ['non-revokable', 'ok'], ['root', 'ok']]);
    expect(responder.requests).toEqual([{ method: 'GET', url: expect.stringMatching(`^${OCSP}/`) }]);
    if (expected === 'ok') expect(result.nextUpdate).toEqual(addDays(PKI_NOW, 1));
  });

  it('accepts a delegated responder (EKU OCSPSigning, issued by the CA)', async () => {
    const delegate = createLeaf({ name: 'CN=Ocsp Responder, O=Notary Test, C=US', issuer, profile: 'ocspSigning' });
    const responder = new RevocationResponder().serveOcsp(OCSP, { issuer, responder: delegate, answer: () => 'revoked' });
    expect((await check(checker(responder), chain)).status).toBe('revoked');
  });

  const ocspOnly = pki('Ocsp Only', { ocspUrls: [OCSP] });
  const onlyIssuer = ocspOnly.intermediates[0]!;
  const route = (extra: Partial<OcspRoute>): OcspRoute => ({ issuer: onlyIssuer, ...extra });
  it.each<[string, (r: RevocationResponder) => void, string]>([
    ['responder down', (r) => r.fault(OCSP, 'down'), 'ERR_REVOCATION_FETCH'],
    ['responder too slow', (r) => r.fault(OCSP, 'slow'), 'ERR_REVOCATION_FETCH'],
    ['a garbage body', (r) => r.fault(OCSP, 'garbage'), 'ERR_OCSP_PARSE'],
    ['HTTP 500', (r) => r.fault(OCSP, 'http500'), 'ERR_REVOCATION_FETCH'],
    ['an expired response', (r) => r.serveOcsp(OCSP, route({ answer: () => ({ nextUpdate: addDays(PKI_NOW, -1), thisUpdate: addDays(PKI_NOW, -2) }) })), 'ERR_OCSP_RESPONSE'],
    ['a response from the future', (r) => r.serveOcsp(OCSP, route({ answer: () => ({ thisUpdate: addDays(PKI_NOW, 1), nextUpdate: addDays(PKI_NOW, 2) }) })), 'ERR_OCSP_RESPONSE'],
    ['a response signed by another key', (r) => r.serveOcsp(OCSP, route({ answer: () => ({ signWith: ocspOnly.leaf.privateKey }) })), 'ERR_OCSP_RESPONSE'],
    ['a response for another issuer', (r) => r.serveOcsp(OCSP, { issuer }), 'ERR_OCSP_RESPONSE'],
    ['a delegated responder without OCSPSigning', (r) => r.serveOcsp(OCSP, route({ responder: createLeaf({ name: 'CN=Not A Responder, O=Notary Test, C=US', issuer: onlyIssuer }) })), 'ERR_OCSP_RESPONSE'],
    ['tryLater', (r) => r.serveOcsp(OCSP, route({ answer: () => ({ responseStatus: 'tryLater' }) })), 'ERR_OCSP_RESPONSE'],
    ['status unknown', (r) => r.serveOcsp(OCSP, route({ answer: () => 'unknown' })), 'ERR_OCSP_RESPONSE'],
  ])('%s → unknown (no CRL to fall back to)', async (_name, setup, code) => {
    const responder = new RevocationResponder().serveOcsp(OCSP, route({}));
    setup(responder);
    const result = await check(checker(responder, { ocspTimeoutMs: 50 }), ocspOnly);
    expect(result.status).toBe('unknown');
    expect(result.certs[0]).toMatchObject({ status: 'unknown', method: 'ocsp', error: { code } });
  });

  const crl = (options: Partial<CrlOptions> = {}) => issueCrl({ issuer, ...options });
  it.each<[string, (r: RevocationResponder) => void, string]>([
    ['OCSP down, CRL good', (r) => r.fault(OCSP, 'down').serveCrl(CRL, crl()), 'ok'],
    ['OCSP unknown, CRL revokes', (r) => r.serveOcsp(OCSP, { issuer, answer: () => 'unknown' }).serveCrl(CRL, crl({ revoked: [{ serial: chain.leaf.serial }] })), 'revoked'],
    ['OCSP garbage, CRL expired', (r) => r.fault(OCSP, 'garbage').serveCrl(CRL, crl({ nextUpdate: addDays(PKI_NOW, -1), thisUpdate: addDays(PKI_NOW, -8) })), 'unknown'],
  ])('falls back to the CRL: %s', async (_name, setup, expected) => {
    const responder = new RevocationResponder();
    setup(responder);
    const result = await check(checker(responder), chain);
    expect(result.status).toBe(expected);
    expect(result.certs[0]?.method).toBe('ocsp-fallback-crl');
  });

  it('fetches only http:// URLs', async () => {
    const responder = new RevocationResponder();
    const result = await check(checker(responder), pki('Ocsp Https', { ocspUrls: ['https://ocsp.test/x'] }));
    expect(result.certs[0]).toMatchObject({ status: 'unknown', error: { code: 'ERR_REVOCATION_URL' } });
    expect(responder.requests).toHaveLength(0);
  });

  it.each([
    ['before the invalidity date: still good', addDays(PKI_NOW, -20), 'ok'],
    ['after the invalidity date: revoked', addDays(PKI_NOW, -1), 'revoked'],
  ])('signingAuthority authentic signing time %s', async (_name, authenticSigningTime, expected) => {
    // The invalidity date goes into the OCSP single extensions via the CRL-style knob of the test responder.
    const responder = new RevocationResponder().serveOcsp(OCSP, { issuer, answer: () => ({ status: 'revoked', invalidityDate: addDays(PKI_NOW, -5) }) });
    expect((await check(checker(responder), chain, authenticSigningTime)).status).toBe(expected);
  });
});
