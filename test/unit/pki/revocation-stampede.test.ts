import { describe, expect, it } from 'vitest';
import { ManualClock, type FetchLike } from '../../../shared/core/index.js';
import { RevocationChecker } from '../../../shared/pki/index.js';
import { addDays, createChain, issueCrl, PKI_NOW, RevocationResponder } from '../../helpers/pki/index.js';

const OCSP = 'http://ocsp.test/stampede';
const CRL = 'http://crl.test/stampede.crl';
const HOUR = 3_600_000;
const CONCURRENT = 200;

/** Holds every request while closed, so concurrent checks really overlap one fetch (or finish without waiting for it). */
function gated(inner: FetchLike): { fetch: FetchLike; open: () => void; close: () => void } {
  let open = (): void => undefined;
  let gate = Promise.resolve();
  return {
    fetch: async (input, init) => (await gate, inner(input, init)),
    open: () => open(),
    close: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('RevocationChecker: no refresh stampede (issue 11)', () => {
  const ocspChain = createChain({ prefix: 'Stampede Ocsp', leaf: { ocspUrls: [OCSP] } });
  const ocspIssuer = ocspChain.intermediates[0]!;
  const crlChain = createChain({ prefix: 'Stampede Crl', leaf: { crlUrls: [CRL] } });
  const crlIssuer = crlChain.intermediates[0]!;

  it(`${CONCURRENT} concurrent checks of signatures by one chain fetch the OCSP answer once; in the refresh window they keep it while one refetch runs`, async () => {
    const responder = new RevocationResponder().serveOcsp(OCSP, { issuer: ocspIssuer, answer: () => ({ thisUpdate: PKI_NOW, nextUpdate: addDays(PKI_NOW, 1) }) });
    const gate = gated(responder.fetch);
    const clock = new ManualClock(PKI_NOW);
    const checker = new RevocationChecker({ fetch: gate.fetch, clock, refreshBeforeMs: 2 * HOUR });
    const checkAll = () => Promise.all(Array.from({ length: CONCURRENT }, () => checker.checkChain(ocspChain.ders, { purpose: 'codeSigning', at: clock.now() })));

    gate.close();
    const first = checkAll();
    await settle();
    gate.open();
    expect((await first).map((r) => r.status)).toEqual(Array(CONCURRENT).fill('ok'));
    expect(responder.count(OCSP)).toBe(1);

    clock.advance(23 * HOUR); // inside the refresh window (nextUpdate - 2 h), before nextUpdate
    gate.close(); // the refetch is held: the checks must not wait for it
    const stale = await checkAll();
    expect(stale.map((r) => r.status)).toEqual(Array(CONCURRENT).fill('ok'));
    gate.open();
    await settle();
    expect(responder.count(OCSP)).toBe(2); // one background refetch for all of them, not one each
  });

  it('a failed OCSP refetch keeps serving the cached answer until its nextUpdate, then the status is unknown', async () => {
    const responder = new RevocationResponder().serveOcsp(OCSP, { issuer: ocspIssuer, answer: () => ({ thisUpdate: PKI_NOW, nextUpdate: addDays(PKI_NOW, 1) }) });
    const clock = new ManualClock(PKI_NOW);
    const checker = new RevocationChecker({ fetch: responder.fetch, clock, refreshBeforeMs: 2 * HOUR });
    const check = () => checker.checkChain(ocspChain.ders, { purpose: 'codeSigning', at: clock.now() });
    expect((await check()).status).toBe('ok');

    clock.advance(23 * HOUR);
    responder.fault(OCSP, 'http500');
    const during = await Promise.all(Array.from({ length: CONCURRENT }, check));
    expect(during.map((r) => r.status)).toEqual(Array(CONCURRENT).fill('ok'));
    await settle();
    expect(responder.count(OCSP)).toBe(2);
    expect((await check()).certs[0]).toMatchObject({ status: 'ok', method: 'ocsp', nextUpdate: addDays(PKI_NOW, 1) });

    clock.advance(HOUR + 1); // past nextUpdate: never served
    expect((await check()).certs[0]).toMatchObject({ status: 'unknown', error: { code: 'ERR_REVOCATION_FETCH' } });
  });

  it('a CRL is fetched once for concurrent checks, and a failed refetch keeps the cached CRL until its nextUpdate', async () => {
    const crl = issueCrl({ issuer: crlIssuer, thisUpdate: PKI_NOW, nextUpdate: addDays(PKI_NOW, 1) });
    const responder = new RevocationResponder().serveCrl(CRL, crl);
    const gate = gated(responder.fetch);
    const clock = new ManualClock(PKI_NOW);
    const checker = new RevocationChecker({ fetch: gate.fetch, clock, refreshBeforeMs: 2 * HOUR });
    const checkAll = () => Promise.all(Array.from({ length: CONCURRENT }, () => checker.checkChain(crlChain.ders, { purpose: 'codeSigning', at: clock.now() })));

    gate.close();
    const first = checkAll();
    await settle();
    gate.open();
    expect((await first).every((r) => r.status === 'ok')).toBe(true);
    expect(responder.count(CRL)).toBe(1);

    clock.advance(23 * HOUR);
    responder.fault(CRL, 'down');
    expect((await checkAll()).every((r) => r.status === 'ok')).toBe(true);
    await settle();
    expect(responder.count(CRL)).toBe(2);

    clock.advance(HOUR + 1);
    expect((await checker.checkChain(crlChain.ders, { purpose: 'codeSigning', at: clock.now() })).status).toBe('unknown');
  });

  it("one caller's deadline does not fail the flight the others wait on", async () => {
    const responder = new RevocationResponder().serveOcsp(OCSP, { issuer: ocspIssuer });
    const gate = gated(responder.fetch);
    const checker = new RevocationChecker({ fetch: gate.fetch, clock: new ManualClock(PKI_NOW) });
    gate.close();
    const cancelled = new AbortController();
    const first = checker.checkChain(ocspChain.ders, { purpose: 'codeSigning', at: PKI_NOW, signal: cancelled.signal });
    const others = Promise.all(Array.from({ length: 10 }, () => checker.checkChain(ocspChain.ders, { purpose: 'codeSigning', at: PKI_NOW, signal: new AbortController().signal })));
    await settle();
    cancelled.abort(new DOMException('deadline', 'TimeoutError'));
    expect((await first).certs[0]).toMatchObject({ status: 'unknown', error: { code: 'ERR_REVOCATION_FETCH', message: expect.stringContaining('deadline') } });
    gate.open();
    expect((await others).map((r) => r.status)).toEqual(Array(10).fill('ok'));
    expect(responder.count(OCSP)).toBe(1);
  });
});
