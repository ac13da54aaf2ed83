import { describe, expect, it } from 'vitest';
import { admit, parseAdmissionReview, resolveAdmissionPolicy, type AdmissionOptions, type AdmissionResponse } from '../../../shared/admission/index.js';
import { memoryLogger } from '../../../shared/core/index.js';
import { digestOf, FakeVerificationService } from './fake-verification.js';
import { asUpdate, imagesIn, loadReview, withImages, WORKLOAD_FIXTURES, type ReviewFixture } from './reviews.js';

const run = async (review: ReviewFixture, options: AdmissionOptions = {}, extra: { pin?: boolean; signal?: AbortSignal; service?: FakeVerificationService } = {}) => {
  const service = extra.service ?? new FakeVerificationService();
  const logger = memoryLogger();
  const response = await admit(parseAdmissionReview(review), { service, logger }, {
    policy: resolveAdmissionPolicy(options),
    deadline: { signal: extra.signal ?? new AbortController().signal },
    pin: extra.pin ?? false,
  });
  return { response, service, logger };
};
const decodePatch = (response: AdmissionResponse) => JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString('utf8')) as unknown;
const spoil = (marker: string) => (image: string) => image.replace('registry.test/', `registry.test/${marker}-`);

describe('admit — every workload kind', () => {
  it.each(WORKLOAD_FIXTURES)('%s with signed images is allowed, each distinct image verified once', async (name) => {
    const review = loadReview(name);
    const { response, service } = await run(review);
    expect(response).toEqual({ uid: review.request.uid, allowed: true });
    expect(service.calls.sort()).toEqual([...new Set(imagesIn(review.request.object))].sort());
  });

  it.each(WORKLOAD_FIXTURES)('%s with unsigned images is denied, naming each image and reason code', async (name) => {
    const review = withImages(loadReview(name), spoil('unsigned'));
    const { response } = await run(review);
    expect(response.allowed).toBe(false);
    expect(response.status?.code).toBe(403);
    for (const image of imagesIn(review.request.object)) expect(response.status?.message).toContain(`${image} [ERR_NO_SIGNATURE]`);
  });

  it('denies when only one of several images is untrusted, and names only that one', async () => {
    const review = withImages(loadReview('deployment'), (image) => (image.includes('sidecar') ? image.replace('sidecar', 'untrusted-sidecar') : image));
    const { response } = await run(review);
    expect(response.allowed).toBe(false);
    expect(response.status?.message).toContain('registry.test/team/untrusted-sidecar:2.0 [ERR_UNTRUSTED_SIGNER]');
    expect(response.status?.message).not.toContain('team/web:1.0');
  });
});

describe('admit — modes', () => {
  const failing = () => withImages(loadReview('pod'), spoil('unsigned'));

  it('warn admits with one warning per failing image', async () => {
    const { response } = await run(failing(), { mode: 'warn' });
    expect(response.allowed).toBe(true);
    expect(response.warnings).toHaveLength(4);
    expect(response.warnings?.[0]).toMatch(/^trustgate: would deny registry\.test\/unsigned-.* \[ERR_NO_SIGNATURE\]/);
  });

  it('audit admits silently but logs and annotates the would-be denial', async () => {
    const { response, logger } = await run(failing(), { mode: 'audit' });
    expect(response.allowed).toBe(true);
    expect(response.warnings).toBeUndefined();
    expect(response.auditAnnotations?.['would-deny']).toContain('ERR_NO_SIGNATURE');
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'warn', event: 'admission.failed-images', fields: expect.objectContaining({ mode: 'audit', allowed: true }) }));
  });

  it.each([
    [undefined, false],
    ['deny' as const, false],
    ['allow' as const, true],
  ])('an inconclusive verdict with onInconclusive=%s → allowed %s', async (onInconclusive, allowed) => {
    const review = withImages(loadReview('replicaset'), spoil('flaky'));
    const { response } = await run(review, onInconclusive ? { onInconclusive } : {});
    expect(response.allowed).toBe(allowed);
    if (allowed) expect(response.warnings?.[0]).toContain('ERR_REGISTRY_UNAVAILABLE');
    else expect(response.status?.message).toContain('ERR_REGISTRY_UNAVAILABLE');
  });

  it('a service that throws denies (inconclusive → deny) instead of failing the request', async () => {
    const { response } = await run(withImages(loadReview('job'), spoil('boom')));
    expect(response.allowed).toBe(false);
    expect(response.status?.message).toContain('ERR_ADMISSION_VERIFY_FAILED');
  });
});

describe('admit — what is not verified', () => {
  it.each(['kube-system', 'ops'])('admits namespace %s without calling the service', async (namespace) => {
    const review = withImages(loadReview('pod'), spoil('unsigned'));
    review.request.namespace = namespace;
    const { response, service } = await run(review, { excludedNamespaces: ['ops'] });
    expect(response.allowed).toBe(true);
    expect(service.calls).toEqual([]);
  });

  it('admits an unknown kind with a warning', async () => {
    const { response, service } = await run(loadReview('configmap'));
    expect(response).toMatchObject({ allowed: true, warnings: ['trustgate: ConfigMap objects are not inspected for images'] });
    expect(service.calls).toEqual([]);
  });

  it('skips images allowed by a pattern and verifies the rest', async () => {
    const review = withImages(loadReview('pod'), (image) => (image.includes('debug') ? 'registry.test/unsigned-tools/debug:0.9' : image));
    const { response, service } = await run(review, { allowImages: ['registry.test/unsigned-tools/**'] });
    expect(response.allowed).toBe(true);
    expect(service.calls).not.toContain('registry.test/unsigned-tools/debug:0.9');
    expect(service.calls).toHaveLength(3);
  });

  it('an allow pattern matches the normalised name, so a short Docker Hub name is covered by docker.io/library', async () => {
    const review = withImages(loadReview('replicaset'), () => 'busybox:unsigned');
    const { response, service } = await run(review, { allowImages: ['docker.io/library/busybox'] });
    expect(response.allowed).toBe(true);
    expect(service.calls).toEqual([]);
  });

  it('on UPDATE verifies only the images that changed, yet answers for the whole object', async () => {
    const before = loadReview('deployment');
    const after = withImages(before, (image) => (image.includes('sidecar') ? 'registry.test/team/sidecar:2.1' : image));
    const { response, service } = await run(asUpdate(after, before.request.object));
    expect(service.calls).toEqual(['registry.test/team/sidecar:2.1']);
    expect(response.allowed).toBe(true);
  });

  it('on UPDATE denies a changed unsigned image', async () => {
    const before = loadReview('statefulset');
    const after = withImages(before, spoil('unsigned'));
    const { response } = await run(asUpdate(after, before.request.object));
    expect(response.allowed).toBe(false);
  });

  it.each(['DELETE', 'CONNECT'])('admits %s without looking', async (operation) => {
    const review = withImages(loadReview('pod'), spoil('unsigned'));
    review.request.operation = operation;
    const { response, service } = await run(review);
    expect(response.allowed).toBe(true);
    expect(service.calls).toEqual([]);
  });

  it('answers a dryRun request exactly like a real one', async () => {
    const review = withImages(loadReview('pod'), spoil('unsigned'));
    const dry = structuredClone(review);
    dry.request.dryRun = true;
    expect((await run(dry)).response).toEqual((await run(review)).response);
  });
});

describe('admit — malformed objects and images', () => {
  it.each([
    ['a malformed image', (image: string) => image.replace('registry.test/', 'registry.test/UP'), 'ERR_INVALID_REFERENCE'],
    ['an empty image', () => '', 'ERR_INVALID_REFERENCE'],
  ])('denies %s without calling the service', async (_why, rewrite, code) => {
    const { response, service } = await run(withImages(loadReview('daemonset'), rewrite));
    expect(response.allowed).toBe(false);
    expect(response.status?.message).toContain(code);
    expect(service.calls).toEqual([]);
  });

  it('an empty image names its container', async () => {
    const review = loadReview('pod');
    (review.request.object.spec as Record<string, unknown>).containers = [{ name: 'web', image: '' }];
    const { response } = await run(review);
    expect(response.status?.message).toContain('container "web" has no image');
  });

  it('denies an object whose containers are not a list', async () => {
    const review = loadReview('pod');
    (review.request.object.spec as Record<string, unknown>).containers = 'nginx';
    const { response } = await run(review);
    expect(response).toMatchObject({ allowed: false, status: { message: expect.stringContaining('ERR_ADMISSION_INVALID_OBJECT') } });
  });

  it('denies an object with more distinct images than the limit, without verifying any', async () => {
    const review = loadReview('pod');
    (review.request.object.spec as Record<string, unknown>).containers = Array.from({ length: 300 }, (_, i) => ({ name: `c${i}`, image: `registry.test/a/i${i}:1` }));
    const { response, service } = await run(review);
    expect(response.status?.message).toContain('ERR_ADMISSION_TOO_MANY_IMAGES');
    expect(service.calls).toEqual([]);
  });
});

describe('admit — deadline', () => {
  it('answers with the configured decision when verification is still pending at the deadline', async () => {
    const review = withImages(loadReview('cronjob'), spoil('slow'));
    const controller = new AbortController();
    const pending = run(review, {}, { signal: controller.signal });
    setTimeout(() => controller.abort(new DOMException('deadline', 'TimeoutError')), 5);
    const { response, service } = await pending;
    expect(response.allowed).toBe(false);
    expect(response.status?.message).toContain('ERR_ADMISSION_DEADLINE');
    expect(service.signals[0]?.aborted).toBe(true);
  });

  it('with onInconclusive=allow admits past the deadline with a warning', async () => {
    const controller = new AbortController();
    controller.abort();
    const { response } = await run(withImages(loadReview('cronjob'), spoil('slow')), { onInconclusive: 'allow' }, { signal: controller.signal });
    expect(response).toMatchObject({ allowed: true, warnings: [expect.stringContaining('ERR_ADMISSION_DEADLINE')] });
  });
});

describe('admit — digest pinning (mutating webhook)', () => {
  it('pins every verified image of a Pod, keeping the tag', async () => {
    const review = loadReview('pod');
    const { response } = await run(review, {}, { pin: true });
    expect(response.patchType).toBe('JSONPatch');
    expect(decodePatch(response)).toEqual([
      { op: 'replace', path: '/spec/initContainers/0/image', value: `registry.test/team/init:1.0@${digestOf('registry.test/team/init:1.0')}` },
      { op: 'replace', path: '/spec/containers/0/image', value: `registry.test/team/web:1.0@${digestOf('registry.test/team/web:1.0')}` },
      { op: 'replace', path: '/spec/containers/1/image', value: `registry.test/team/proxy:2.1@${digestOf('registry.test/team/proxy:2.1')}` },
      { op: 'replace', path: '/spec/ephemeralContainers/0/image', value: `registry.test/tools/debug:0.9@${digestOf('registry.test/tools/debug:0.9')}` },
    ]);
  });

  it('in digest mode drops the tag', async () => {
    const { response } = await run(loadReview('cronjob'), { pinMode: 'digest' }, { pin: true });
    expect(decodePatch(response)).toEqual([
      { op: 'replace', path: '/spec/jobTemplate/spec/template/spec/containers/0/image', value: `registry.test/team/batch@${digestOf('registry.test/team/batch:4')}` },
    ]);
  });

  it('never patches an image that did not verify (warn mode admits it unpinned)', async () => {
    const review = withImages(loadReview('deployment'), (image) => (image.includes('sidecar') ? image.replace('sidecar', 'unsigned-sidecar') : image));
    const { response } = await run(review, { mode: 'warn' }, { pin: true });
    expect(response.allowed).toBe(true);
    expect(decodePatch(response)).toEqual([
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: `registry.test/team/web:1.0@${digestOf('registry.test/team/web:1.0')}` },
    ]);
  });

  it('adds no patch to a denial', async () => {
    const { response } = await run(withImages(loadReview('pod'), spoil('unsigned')), {}, { pin: true });
    expect(response.allowed).toBe(false);
    expect(response.patch).toBeUndefined();
  });

  it('adds no patch when the image is already pinned to the verified digest', async () => {
    const pinned = `registry.test/team/web:1.0@${digestOf('registry.test/team/web:1.0')}`;
    const { response } = await run(withImages(loadReview('replicaset'), () => pinned), {}, { pin: true });
    expect(response).toEqual({ uid: expect.any(String), allowed: true });
  });
});
