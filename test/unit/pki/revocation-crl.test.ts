import { describe, expect, it } from 'vitest';
import { fixedClock, ManualClock } from '../../../shared/core/index.js';
import { parseCertificates, RevocationChecker } from '../../../shared/pki/index.js';
import { addDays, createChain, issueCrl, PKI_NOW, RevocationResponder, type CrlOptions, type RevokedEntry, type TestChain } from '../../helpers/pki/index.js';
import { fixture } from './fixtures.js';

const CRL = 'http://crl.test/intermediate.crl';
const DELTA = 'http://crl.test/intermediate-delta.crl';
const ROOT_CRL = 'http://crl.test/root.crl';
const OCSP = 'http://ocsp.test/intermediate';

const chain = createChain({ prefix: 'Crl', leaf: { crlUrls: [CRL] } });
const issuer = chain.intermediates[0]!;
const crl = (options: Partial<CrlOptions> = {}) => issueCrl({ issuer, ...options });
const revoked = (entry: Partial<RevokedEntry> = {}): RevokedEntry => ({ serial: chain.leaf.serial, ...entry });
const check = (responder: RevocationResponder, target: TestChain = chain, authenticSigningTime?: Date) =>
  new RevocationChecker({ fetch: responder.fetch, clock: fixedClock(PKI_NOW) }).checkChain(target.ders, {
    purpose: 'codeSigning', at: PKI_NOW, ...(authenticSigningTime ? { authenticSigningTime } : {}),
  });

describe('RevocationChecker: CRL (spec §11.3)', () => {
  it.each<[string, Uint8Array, string, string?]>([
    ['an empty CRL', crl(), 'ok'],
    ['a CRL listing another serial', crl({ revoked: [{ serial: 'abcdef' }] }), 'ok'],
    ['a CRL listing the leaf', crl({ revoked: [revoked()] }), 'revoked'],
    ['reason keyCompromise', crl({ revoked: [revoked({ reason: 'keyCompromise' })] }), 'revoked'],
    ['reason certificateHold', crl({ revoked: [revoked({ reason: 'certificateHold' })] }), 'revoked'],
    ['reason removeFromCRL', crl({ revoked: [revoked({ reason: 'removeFromCRL' })] }), 'ok'],
    ['an expired CRL', crl({ thisUpdate: addDays(PKI_NOW, -10), nextUpdate: addDays(PKI_NOW, -1) }), 'unknown', 'ERR_CRL_INVALID'],
    ['a CRL without nextUpdate', crl({ nextUpdate: null }), 'unknown', 'ERR_CRL_INVALID'],
    ['a CRL from the future', crl({ thisUpdate: addDays(PKI_NOW, 1) }), 'unknown', 'ERR_CRL_INVALID'],
    ['a CRL signed by another key', crl({ signWith: chain.leaf.privateKey }), 'unknown', 'ERR_CRL_INVALID'],
    ['a CRL with a SHA-1 signature', crl({ signatureHash: 'sha1' }), 'unknown', 'ERR_CRL_INVALID'],
    ['a CRL by another issuer', issueCrl({ issuer: chain.root }), 'unknown', 'ERR_CRL_INVALID'],
    ['an unknown critical CRL extension', crl({ extensions: [{ oid: '1.2.3.4', critical: true, value: new Uint8Array([5, 0]) }] }), 'unknown', 'ERR_CRL_INVALID'],
    ['an unknown critical entry extension', crl({ revoked: [revoked({ extensions: [{ oid: '1.2.3.4', critical: true, value: new Uint8Array([5, 0]) }] })] }), 'unknown', 'ERR_CRL_INVALID'],
    ['a delta CRL served as the base', crl({ deltaOf: 1, crlNumber: 2 }), 'unknown', 'ERR_CRL_INVALID'],
    ['garbage', Buffer.from('not a crl'), 'unknown', 'ERR_CRL_PARSE'],
  ])('%s', async (_name, body, expected, code) => {
    const result = await check(new RevocationResponder().serveCrl(CRL, body));
    expect(result.status).toBe(expected);
    expect(result.certs[0]?.method).toBe('crl');
    if (code) expect(result.certs[0]?.error?.code).toBe(code);
  });

  it.each([
    ['revocation effective after the authentic signing time', addDays(PKI_NOW, -20), 'ok'],
    ['revocation effective before the authentic signing time', addDays(PKI_NOW, -1), 'revoked'],
  ])('invalidity date: %s', async (_name, authenticSigningTime, expected) => {
    const body = crl({ revoked: [revoked({ invalidityDate: addDays(PKI_NOW, -5) })] });
    expect((await check(new RevocationResponder().serveCrl(CRL, body), chain, authenticSigningTime)).status).toBe(expected);
  });

  it('responder down → unknown', async () => {
    const result = await check(new RevocationResponder().serveCrl(CRL, crl()).fault(CRL, 'down'));
    expect(result.certs[0]).toMatchObject({ status: 'unknown', error: { code: 'ERR_REVOCATION_FETCH' } });
  });

  it('refuses a CRL over the size limit', async () => {
    const responder = new RevocationResponder().serveCrl(CRL, crl({ revoked: Array.from({ length: 50 }, (_, i) => ({ serial: (i + 1).toString(16) })) }));
    const result = await new RevocationChecker({ fetch: responder.fetch, clock: fixedClock(PKI_NOW), crlMaxBytes: 512 }).checkChain(chain.ders, { purpose: 'codeSigning', at: PKI_NOW });
    expect(result.certs[0]?.error?.code).toBe('ERR_REVOCATION_FETCH');
  });

  describe('delta CRLs', () => {
    const deltaChain = createChain({ prefix: 'Delta', leaf: { crlUrls: [CRL], freshestCrlUrls: [DELTA] } });
    const deltaIssuer = deltaChain.intermediates[0]!;
    const base = (extra: Partial<CrlOptions> = {}) => issueCrl({ issuer: deltaIssuer, crlNumber: 10, freshestCrlUrls: [DELTA], ...extra });
    const delta = (extra: Partial<CrlOptions> = {}) => issueCrl({ issuer: deltaIssuer, crlNumber: 11, deltaOf: 10, ...extra });
    const leafEntry = (reason?: RevokedEntry['reason']): RevokedEntry => ({ serial: deltaChain.leaf.serial, ...(reason ? { reason } : {}) });
    it.each<[string, Uint8Array, Uint8Array | undefined, string]>([
      ['base and delta empty', base(), delta(), 'ok'],
      ['delta revokes', base(), delta({ revoked: [leafEntry('keyCompromise')] }), 'revoked'],
      ['base holds, delta removes', base({ revoked: [leafEntry('certificateHold')] }), delta({ revoked: [leafEntry('removeFromCRL')] }), 'ok'],
      ['delta missing', base(), undefined, 'unknown'],
      ['delta number not newer than base', base(), delta({ crlNumber: 10 }), 'unknown'],
      ['delta for a newer base', base(), delta({ deltaOf: 12, crlNumber: 13 }), 'unknown'],
      ['"delta" without the indicator', base(), issueCrl({ issuer: deltaIssuer, crlNumber: 11 }), 'unknown'],
      ['base names no delta URL', base({ freshestCrlUrls: [] }), delta(), 'unknown'],
    ])('%s', async (_name, baseCrl, deltaCrl, expected) => {
      const responder = new RevocationResponder().serveCrl(CRL, baseCrl);
      if (deltaCrl) responder.serveCrl(DELTA, deltaCrl);
      expect((await check(responder, deltaChain)).status).toBe(expected);
    });
  });

  it('never checks the root and treats certificates without pointers as non-revokable', async () => {
    const rooted = createChain({ prefix: 'Rooted', root: { crlUrls: [ROOT_CRL] } });
    const responder = new RevocationResponder();
    const result = await check(responder, rooted);
    expect(result.status).toBe('ok');
    expect(result.certs.map((c) => c.method)).toEqual(['non-revokable', 'non-revokable', 'root']);
    expect(responder.requests).toHaveLength(0);
  });

  it('checks intermediates too: a revoked intermediate revokes the chain', async () => {
    const deep = createChain({ prefix: 'Deep', intermediate: { crlUrls: [ROOT_CRL] } });
    const responder = new RevocationResponder().serveCrl(ROOT_CRL, issueCrl({ issuer: deep.root, revoked: [{ serial: deep.intermediates[0]!.serial }] }));
    const result = await check(responder, deep);
    expect(result.status).toBe('revoked');
    expect(result.certs[1]).toMatchObject({ status: 'revoked', method: 'crl' });
  });
});

describe('RevocationChecker: caching, prefetch, singleflight', () => {
  const cached = createChain({ prefix: 'Cached', leaf: { ocspUrls: [OCSP], crlUrls: [CRL] } });
  const cachedIssuer = cached.intermediates[0]!;

  it('keeps answers until nextUpdate, then fetches again', async () => {
    const responder = new RevocationResponder().serveOcsp(OCSP, { issuer: cachedIssuer, answer: () => ({ nextUpdate: addDays(PKI_NOW, 1) }) });
    const clock = new ManualClock(PKI_NOW);
    const revocation = new RevocationChecker({ fetch: responder.fetch, clock });
    const run = () => revocation.checkChain(cached.ders, { purpose: 'codeSigning', at: clock.now() });
    expect((await run()).status).toBe('ok');
    expect((await run()).status).toBe('ok');
    expect(responder.count(OCSP)).toBe(1);
    clock.advance(86_400_000 + 1);
    responder.serveOcsp(OCSP, { issuer: cachedIssuer, answer: () => ({ thisUpdate: clock.now(), nextUpdate: addDays(clock.now(), 1) }) });
    expect((await run()).status).toBe('ok');
    expect(responder.count(OCSP)).toBe(2);
  });

  it('fetches again shortly before nextUpdate, so a re-check gets fresh data rather than an answer about to lapse', async () => {
    const responder = new RevocationResponder().serveOcsp(OCSP, { issuer: cachedIssuer, answer: () => ({ thisUpdate: addDays(PKI_NOW, -1), nextUpdate: addDays(PKI_NOW, 1) }) });
    const clock = new ManualClock(PKI_NOW);
    const revocation = new RevocationChecker({ fetch: responder.fetch, clock, refreshBeforeMs: 3_600_000 });
    const run = () => revocation.checkChain(cached.ders, { purpose: 'codeSigning', at: clock.now() });
    await run();
    clock.advance(86_400_000 - 3_600_001); // just over an hour before nextUpdate: still cached
    await run();
    expect(responder.count(OCSP)).toBe(1);
    clock.advance(2); // within the hour: fetched again although the old answer would still be valid
    await run();
    expect(responder.count(OCSP)).toBe(2);
  });

  it('caches CRLs by URL until their nextUpdate', async () => {
    const crlOnly = createChain({ prefix: 'Cached Crl', leaf: { crlUrls: [CRL] } });
    const responder = new RevocationResponder().serveCrl(CRL, issueCrl({ issuer: crlOnly.intermediates[0]! }));
    const revocation = new RevocationChecker({ fetch: responder.fetch, clock: fixedClock(PKI_NOW) });
    for (let i = 0; i < 3; i++) expect((await revocation.checkChain(crlOnly.ders, { purpose: 'codeSigning', at: PKI_NOW })).status).toBe('ok');
    expect(responder.count(CRL)).toBe(1);
  });

  it('does not cache failures', async () => {
    const responder = new RevocationResponder().serveOcsp(OCSP, { issuer: cachedIssuer }).fault(OCSP, 'http500').fault(CRL, 'down');
    const revocation = new RevocationChecker({ fetch: responder.fetch, clock: fixedClock(PKI_NOW) });
    expect((await revocation.checkChain(cached.ders, { purpose: 'codeSigning', at: PKI_NOW })).status).toBe('unknown');
    responder.fault(OCSP, undefined);
    expect((await revocation.checkChain(cached.ders, { purpose: 'codeSigning', at: PKI_NOW })).status).toBe('ok');
  });

  it('prefetch warms the cache so the check makes no request', async () => {
    const responder = new RevocationResponder().serveOcsp(OCSP, { issuer: cachedIssuer });
    const revocation = new RevocationChecker({ fetch: responder.fetch, clock: fixedClock(PKI_NOW) });
    await revocation.prefetch(cached.ders);
    expect(responder.requests).toHaveLength(1);
    expect((await revocation.checkChain(cached.ders, { purpose: 'codeSigning', at: PKI_NOW })).status).toBe('ok');
    expect(responder.requests).toHaveLength(1);
  });

  it('prefetch never throws', async () => {
    const responder = new RevocationResponder().fault(OCSP, 'down').fault(CRL, 'down');
    await expect(new RevocationChecker({ fetch: responder.fetch, clock: fixedClock(PKI_NOW) }).prefetch([Buffer.from('junk')])).resolves.toBeUndefined();
  });

  it('concurrent checks of one chain share one request per URL', async () => {
    const responder = new RevocationResponder().serveOcsp(OCSP, { issuer: cachedIssuer });
    const revocation = new RevocationChecker({ fetch: responder.fetch, clock: fixedClock(PKI_NOW) });
    const results = await Promise.all(Array.from({ length: 5 }, () => revocation.checkChain(cached.ders, { purpose: 'codeSigning', at: PKI_NOW })));
    expect(results.every((r) => r.status === 'ok')).toBe(true);
    expect(responder.requests).toHaveLength(1);
  });
});

describe('RevocationChecker with the notation e2e CRL chain (served at the URLs the certificates name)', () => {
  const e2eChain = parseCertificates(fixture('e2e/revocation/crl/certchain_with_crl.pem'));
  const LEAF = 'http://localhost:10086/leaf.crl';
  const INTERMEDIATE = 'http://localhost:10086/intermediate.crl';
  it.each([
    ['leaf.crl + intermediate.crl', 'leaf.crl', 'intermediate.crl', 'ok'],
    ['leaf_revoked.crl', 'leaf_revoked.crl', 'intermediate.crl', 'revoked'],
    ['intermediate_revoked.crl', 'leaf.crl', 'intermediate_revoked.crl', 'revoked'],
    ['leaf_expired.crl', 'leaf_expired.crl', 'intermediate.crl', 'unknown'],
  ])('%s → %s', async (_name, leafCrl, intermediateCrl, expected) => {
    const responder = new RevocationResponder()
      .serveCrl(LEAF, fixture(`e2e/revocation/crl/${leafCrl}`))
      .serveCrl(INTERMEDIATE, fixture(`e2e/revocation/crl/${intermediateCrl}`));
    const result = await new RevocationChecker({ fetch: responder.fetch, clock: fixedClock(PKI_NOW) }).checkChain(e2eChain, { purpose: 'codeSigning', at: PKI_NOW });
    expect(result.status).toBe(expected);
    // The intermediate's OCSP URL (http://localhost.test/ocsp) has no responder: it falls back to its CRL.
    expect(result.certs[1]?.method).toBe('ocsp-fallback-crl');
  });
});
