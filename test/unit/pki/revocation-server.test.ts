import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/core/index.js';
import { RevocationChecker } from '../../../shared/pki/index.js';
import { createChain, issueCrl, PKI_NOW, RevocationResponder, startRevocationServer, type RevocationServer } from '../../helpers/pki/index.js';

// The same responders behind a real loopback HTTP server, reached with the global fetch.
describe('RevocationChecker over loopback HTTP', () => {
  const responder = new RevocationResponder();
  let server: RevocationServer;
  beforeAll(async () => {
    server = await startRevocationServer(responder);
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers OCSP by GET, and by POST when the GET URL would reach 255 characters', async () => {
    const short = `${server.origin}/ocsp`;
    const long = `${server.origin}/${'o'.repeat(200)}`;
    const chainShort = createChain({ prefix: 'Loop Short', keyType: 'ec-p256', leaf: { ocspUrls: [short] } });
    const chainLong = createChain({ prefix: 'Loop Long', keyType: 'ec-p256', leaf: { ocspUrls: [long] } });
    responder.serveOcsp(short, { issuer: chainShort.intermediates[0]!, answer: () => 'revoked' });
    responder.serveOcsp(long, { issuer: chainLong.intermediates[0]! });
    const checker = new RevocationChecker({ fetch: (input, init) => fetch(input, init), clock: fixedClock(PKI_NOW) });
    expect((await checker.checkChain(chainShort.ders, { purpose: 'codeSigning', at: PKI_NOW })).status).toBe('revoked');
    expect((await checker.checkChain(chainLong.ders, { purpose: 'codeSigning', at: PKI_NOW })).status).toBe('ok');
    expect(responder.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
  });

  it('serves CRLs and reports a dead responder as unknown', async () => {
    const url = `${server.origin}/int.crl`;
    const chain = createChain({ prefix: 'Loop Crl', keyType: 'ec-p256', leaf: { crlUrls: [url] } });
    responder.serveCrl(url, issueCrl({ issuer: chain.intermediates[0]!, revoked: [{ serial: chain.leaf.serial }] }));
    const checker = new RevocationChecker({ fetch: (input, init) => fetch(input, init), clock: fixedClock(PKI_NOW), crlTimeoutMs: 200 });
    expect((await checker.checkChain(chain.ders, { purpose: 'codeSigning', at: PKI_NOW })).status).toBe('revoked');
    responder.fault(url, 'slow');
    const fresh = new RevocationChecker({ fetch: (input, init) => fetch(input, init), clock: fixedClock(PKI_NOW), crlTimeoutMs: 200 });
    expect((await fresh.checkChain(chain.ders, { purpose: 'codeSigning', at: PKI_NOW })).certs[0]).toMatchObject({ status: 'unknown', error: { code: 'ERR_REVOCATION_FETCH' } });
  });
});
