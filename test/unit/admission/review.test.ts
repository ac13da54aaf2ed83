import { describe, expect, it } from 'vitest';
import { MAX_WARNINGS, parseAdmissionReview, toAdmissionReview } from '../../../shared/admission/index.js';
import { expectAppError } from '../../helpers/expect-error.js';
import { loadReview } from './reviews.js';

describe('parseAdmissionReview', () => {
  it('says plainly that a review without "request" has none', async () => {
    const error = await expectAppError(() => parseAdmissionReview({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }), 'ERR_ADMISSION_INVALID_REVIEW');
    expect(error.message).toContain('has no "request"');
    expect(error.message).not.toContain('request.:');
  });

  it('reads a kubectl-generated Deployment review', () => {
    const request = parseAdmissionReview(loadReview('deployment'));
    expect(request).toMatchObject({ operation: 'CREATE', namespace: 'shop', kind: { group: 'apps', version: 'v1', kind: 'Deployment' } });
    expect(request.uid).toMatch(/^00000000-/);
  });

  it('keeps fields it does not know (future API server fields)', () => {
    const review = loadReview('pod');
    (review.request as Record<string, unknown>).futureField = { x: 1 };
    expect(parseAdmissionReview(review)).toHaveProperty('futureField');
  });

  const base = () => loadReview('pod') as unknown as Record<string, unknown> & { request: Record<string, unknown> };
  it.each([
    ['admission.k8s.io/v1beta1', 'AdmissionReview'],
    ['admission.k8s.io/v1', 'Review'],
    [undefined, 'AdmissionReview'],
  ])('refuses apiVersion %s kind %s with ERR_ADMISSION_UNSUPPORTED_VERSION', async (apiVersion, kind) => {
    await expectAppError(() => parseAdmissionReview({ ...base(), apiVersion, kind }), 'ERR_ADMISSION_UNSUPPORTED_VERSION', 'invalid-input');
  });

  it.each([
    ['no uid', (r: Record<string, unknown>) => delete r.uid],
    ['an empty uid', (r: Record<string, unknown>) => (r.uid = '')],
    ['a numeric uid', (r: Record<string, unknown>) => (r.uid = 7)],
    ['an unknown operation', (r: Record<string, unknown>) => (r.operation = 'PATCH')],
    ['no kind', (r: Record<string, unknown>) => delete r.kind],
    ['an array object', (r: Record<string, unknown>) => (r.object = [])],
  ])('refuses a request with %s as ERR_ADMISSION_INVALID_REVIEW', async (_why, spoil) => {
    const review = base();
    spoil(review.request);
    await expectAppError(() => parseAdmissionReview(review), 'ERR_ADMISSION_INVALID_REVIEW', 'invalid-input');
  });

  it.each([null, 'text', 42, [], { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }])('refuses %o', async (body) => {
    const error = await expectAppError(() => parseAdmissionReview(body), Array.isArray(body) || typeof body !== 'object' || body === null ? 'ERR_ADMISSION_INVALID_REVIEW' : 'ERR_ADMISSION_INVALID_REVIEW');
    expect(error.kind).toBe('invalid-input');
  });
});

describe('toAdmissionReview', () => {
  it('wraps the response with the v1 apiVersion and kind', () => {
    expect(toAdmissionReview({ uid: 'u', allowed: true })).toEqual({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u', allowed: true } });
  });

  it('bounds warnings, their length and the status message', () => {
    const review = toAdmissionReview({
      uid: 'u',
      allowed: false,
      warnings: Array.from({ length: 50 }, () => 'w'.repeat(1_000)),
      status: { code: 403, message: 'm'.repeat(100_000) },
    });
    expect(review.response.warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(review.response.warnings?.every((warning) => warning.length <= 256)).toBe(true);
    expect(review.response.status?.message.length).toBeLessThanOrEqual(4_096);
  });
});
