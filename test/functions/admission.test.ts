import { describe, expect, it } from 'vitest';
import { makeAdmissionHandler, loadAdmissionDeps, admissionValidateFunction, type AdmissionHandlerDeps } from '../../functions/admission.js';
import { makeMutateHandler, admissionMutateFunction } from '../../functions/mutate.js';
import type { AdmissionReviewResponse, AdmissionSettings } from '../../shared/admission/index.js';
import { loadSettings, type Services } from '../../shared/config/index.js';
import { fixedClock } from '../../shared/core/index.js';
import { createCa, createCertificate, PKI_NOW } from '../helpers/pki/index.js';
import { EKU } from '../helpers/pki/extensions.js';
import { digestOf, FakeVerificationService } from '../unit/admission/fake-verification.js';
import { loadReview, withImages, WORKLOAD_FIXTURES } from '../unit/admission/reviews.js';
import { bodyOf, context, webhookRequest } from '../unit/admission/webhook-request.js';

const KEY = 'Zm9vYmFyYmF6cXV4LTAxMjM0NTY3ODlhYmNkZWY';
const VALIDATE = 'v1/admission/validate';
const MUTATE = 'v1/admission/mutate';

const deps = (settings: AdmissionSettings = { pathKey: KEY }, service = new FakeVerificationService()): AdmissionHandlerDeps => ({
  verification: service,
  settings,
  clock: fixedClock(PKI_NOW),
});
const send = async (handler: ReturnType<typeof makeAdmissionHandler>, body: unknown, options: Parameters<typeof webhookRequest>[2] = { key: KEY }, route = VALIDATE) =>
  handler(webhookRequest(route, typeof body === 'string' ? body : JSON.stringify(body), options), context());
const review = (response: Awaited<ReturnType<typeof send>>) => bodyOf<AdmissionReviewResponse>(response).response;

describe('POST /api/v1/admission/validate', () => {
  const handler = makeAdmissionHandler(deps());

  it.each(WORKLOAD_FIXTURES)('admits the signed %s, answering an AdmissionReview with the same uid', async (name) => {
    const fixture = loadReview(name);
    const response = await send(handler, fixture);
    expect(response.status).toBe(200);
    expect(bodyOf(response)).toEqual({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: fixture.request.uid, allowed: true } });
  });

  it.each([
    ['unsigned', 'ERR_NO_SIGNATURE'],
    ['untrusted', 'ERR_UNTRUSTED_SIGNER'],
  ])('denies the %s deployment with a 403 status naming each image and its reason', async (marker, code) => {
    const fixture = withImages(loadReview('deployment'), (image) => image.replace('registry.test/', `registry.test/${marker}-`));
    const answer = review(await send(handler, fixture));
    expect(answer).toMatchObject({ uid: fixture.request.uid, allowed: false, status: { code: 403 } });
    expect(answer.status?.message).toContain(`registry.test/${marker}-team/web:1.0 [${code}]`);
    expect(answer.status?.message).toContain(`registry.test/${marker}-team/sidecar:2.0 [${code}]`);
  });

  it('answers before the API server timeout with the configured decision when verification hangs', async () => {
    const slow = makeAdmissionHandler(deps({ pathKey: KEY, safetyMarginMs: 900 }));
    const fixture = withImages(loadReview('cronjob'), (image) => image.replace('registry.test/', 'registry.test/slow-'));
    const answer = review(await send(slow, fixture, { key: KEY, timeout: '1s' }));
    expect(answer).toMatchObject({ allowed: false, status: { message: expect.stringContaining('ERR_ADMISSION_DEADLINE') } });
  });

  it('with onInconclusive=allow admits what is still pending at the deadline, with a warning', async () => {
    const lenient = makeAdmissionHandler(deps({ pathKey: KEY, safetyMarginMs: 900, onInconclusive: 'allow' }));
    const fixture = withImages(loadReview('job'), (image) => image.replace('registry.test/', 'registry.test/slow-'));
    const answer = review(await send(lenient, fixture, { key: KEY, timeout: '1s' }));
    expect(answer).toMatchObject({ allowed: true, warnings: [expect.stringContaining('ERR_ADMISSION_DEADLINE')] });
  });

  it('passes an AbortSignal to the verification service', async () => {
    const service = new FakeVerificationService();
    await send(makeAdmissionHandler(deps({ pathKey: KEY }, service)), loadReview('pod'));
    expect(service.signals.every((signal) => signal instanceof AbortSignal)).toBe(true);
  });

  it.each([
    ['non-JSON', '{"apiVersion": ', 400, 'ERR_INVALID_JSON'],
    ['a JSON array', '[]', 400, 'ERR_ADMISSION_INVALID_REVIEW'],
    ['a v1beta1 review', JSON.stringify({ ...loadReview('pod'), apiVersion: 'admission.k8s.io/v1beta1' }), 400, 'ERR_ADMISSION_UNSUPPORTED_VERSION'],
    ['a review without uid', JSON.stringify({ ...loadReview('pod'), request: { ...loadReview('pod').request, uid: undefined } }), 400, 'ERR_ADMISSION_INVALID_REVIEW'],
    ['a review without request', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }), 400, 'ERR_ADMISSION_INVALID_REVIEW'],
  ])('refuses %s with %d %s (problem+json)', async (_why, body, status, code) => {
    const response = await send(handler, body);
    expect(response.status).toBe(status);
    expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json' });
    expect(bodyOf(response)).toMatchObject({ status, code });
  });

  it('refuses a body over the cap without reading it whole (413 ERR_BODY_TOO_LARGE)', async () => {
    const small = makeAdmissionHandler(deps({ pathKey: KEY, maxBodyBytes: 64 * 1024 }));
    const fixture = loadReview('pod');
    (fixture.request.object.metadata as Record<string, unknown>).annotations = { huge: 'x'.repeat(100 * 1024) };
    const response = await send(small, fixture);
    expect(response.status).toBe(413);
    expect(bodyOf(response)).toMatchObject({ code: 'ERR_BODY_TOO_LARGE' });
  });

  it('refuses a non-JSON content type (415)', async () => {
    const response = await send(handler, loadReview('pod'), { key: KEY, contentType: 'text/plain' });
    expect(response.status).toBe(415);
  });
});

describe('admission endpoint authentication', () => {
  const handler = makeAdmissionHandler(deps());

  it.each([
    ['missing', undefined],
    ['wrong', KEY.replace('Z', 'Y')],
  ])('answers 401 ERR_UNAUTHORIZED to a %s path key, without verifying anything', async (_why, key) => {
    const service = new FakeVerificationService();
    const response = await send(makeAdmissionHandler(deps({ pathKey: KEY }, service)), loadReview('pod'), key === undefined ? {} : { key });
    expect(response.status).toBe(401);
    expect(bodyOf(response)).toMatchObject({ code: 'ERR_UNAUTHORIZED' });
    expect(service.calls).toEqual([]);
  });

  it('authenticates before reading the body (garbage with a wrong key is 401, not 400)', async () => {
    expect((await send(handler, 'garbage', { key: 'nope' })).status).toBe(401);
  });

  const ca = createCa({ name: 'CN=apiserver client CA' });
  const good = createCertificate({ name: 'CN=kube-apiserver', issuer: ca, basicConstraints: { ca: false }, eku: { oids: [EKU.clientAuth] } });
  const rogueCa = createCa({ name: 'CN=rogue' });
  const bad = createCertificate({ name: 'CN=kube-apiserver', issuer: rogueCa, basicConstraints: { ca: false }, eku: { oids: [EKU.clientAuth] } });
  const certHandler = makeAdmissionHandler(deps({ clientCaPem: ca.pem }));

  it('accepts a good client certificate (X-ARR-ClientCert) without a path key', async () => {
    const response = await send(certHandler, loadReview('pod'), { clientCert: good.der.toString('base64') });
    expect(review(response).allowed).toBe(true);
  });

  it.each([
    ['a certificate from another CA', bad.der.toString('base64')],
    ['a garbage header', 'AAAA'],
    ['no certificate', undefined],
  ])('answers 401 to %s', async (_why, clientCert) => {
    const response = await send(certHandler, loadReview('pod'), clientCert === undefined ? {} : { clientCert });
    expect(response.status).toBe(401);
  });

  it('refuses to build without a key or a CA', async () => {
    expect(() => makeAdmissionHandler(deps({}))).toThrow(expect.objectContaining({ code: 'ERR_ADMISSION_AUTH_NOT_CONFIGURED' }));
  });

  it('the registered function stays closed (500 ERR_ADMISSION_AUTH_NOT_CONFIGURED) when no key or CA is configured', async () => {
    const services = { verification: new FakeVerificationService(), settings: loadSettings({ TRUSTGATE_TRUST_POLICY: 'p.json' }), clock: fixedClock(PKI_NOW) } as unknown as Services;
    const built = await loadAdmissionDeps(async () => services);
    expect(() => makeAdmissionHandler(built)).toThrow(expect.objectContaining({ code: 'ERR_ADMISSION_AUTH_NOT_CONFIGURED' }));
    expect(admissionValidateFunction).toMatchObject({ authLevel: 'anonymous', route: 'v1/admission/validate/{key?}', methods: ['POST'] });
    expect(admissionMutateFunction).toMatchObject({ authLevel: 'anonymous', route: 'v1/admission/mutate/{key?}', methods: ['POST'] });
  });
});

describe('POST /api/v1/admission/mutate', () => {
  const handler = makeMutateHandler(deps({ pathKey: KEY, pinMode: 'digest' }));

  it('returns a base64 JSONPatch pinning each verified image to its digest', async () => {
    const fixture = loadReview('deployment');
    const answer = review(await send(handler, fixture, { key: KEY }, MUTATE));
    expect(answer).toMatchObject({ uid: fixture.request.uid, allowed: true, patchType: 'JSONPatch' });
    expect(JSON.parse(Buffer.from(answer.patch ?? '', 'base64').toString('utf8'))).toEqual([
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.test/team/web@${digestOf('registry.test/team/web:1.0')}` },
      { op: 'replace', path: '/spec/template/spec/containers/1/image', value: `registry.test/team/sidecar@${digestOf('registry.test/team/sidecar:2.0')}` },
    ]);
  });

  it('denies, without a patch, an object whose images do not verify', async () => {
    const fixture = withImages(loadReview('pod'), (image) => image.replace('registry.test/', 'registry.test/unsigned-'));
    const answer = review(await send(handler, fixture, { key: KEY }, MUTATE));
    expect(answer.allowed).toBe(false);
    expect(answer.patch).toBeUndefined();
  });
});
