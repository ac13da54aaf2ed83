import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFunctions } from '../../functions/all.js';
import type { AdmissionReviewResponse, ProviderResponse } from '../../shared/admission/index.js';
import { fixedClock, silentLogger } from '../../shared/core/index.js';
import { createServices, loadSettings, setServices } from '../../shared/config/index.js';
import { startLocalHost, type LocalHost } from '../../host/server.js';
import { dockerRegistryAvailable } from '../helpers/docker-registry.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { startSignedRegistry, type SignedRegistry } from '../helpers/signed-registry.js';
import { loadReview, withImages, type FixtureName } from '../unit/admission/reviews.js';

const KEY = 'e2e-admission-key-0123456789abcdefghijkl';

/** kubectl-generated workloads through the webhook, mutator and Gatekeeper provider on the local host, images in a real registry. */
describe.skipIf(!dockerRegistryAvailable())('admission end to end (real docker-registry, local host)', () => {
  let fixture: SignedRegistry;
  let proxy: FaultProxy;
  let host: LocalHost;

  beforeAll(async () => {
    fixture = await startSignedRegistry();
    proxy = await startFaultProxy(fixture.registry.host);
    proxy.setFault({ kind: 'hang' });
    const policy = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(fixture.policyPath, 'utf8'))) as {
      trustPolicies: Array<{ registryScopes: string[] }>;
    };
    policy.trustPolicies[0]?.registryScopes.push(`${proxy.host}/signed`);
    const env = fixture.env({
      TRUSTGATE_TRUST_POLICY: JSON.stringify(policy),
      TRUSTGATE_PLAIN_HTTP: `${fixture.registry.host},${proxy.host}`,
      TRUSTGATE_ADMISSION_KEY: KEY,
      TRUSTGATE_ADMISSION_SAFETY_MARGIN_MS: '500',
      TRUSTGATE_REGISTRY_TIMEOUT_MS: '10000',
    });
    setServices(await createServices(loadSettings(env), { clock: fixedClock(fixture.now), logger: silentLogger }));
    host = await startLocalHost({ definitions: allFunctions, logger: silentLogger, port: 0 });
  });
  afterAll(async () => {
    setServices(undefined);
    await host?.close();
    await proxy?.stop();
    await fixture?.stop();
  });

  const post = async <T>(path: string, body: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${host.url}/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as T };
  };
  const review = (name: FixtureName, image: string) => withImages(loadReview(name), () => image);

  it.each<FixtureName>(['deployment', 'job', 'cronjob', 'pod'])('admits a %s whose images are signed', async (name) => {
    const request = review(name, fixture.images.signed.reference);
    const { status, body } = await post<AdmissionReviewResponse>(`v1/admission/validate/${KEY}?timeout=10s`, request);
    expect(status).toBe(200);
    expect(body.response).toMatchObject({ uid: request.request.uid, allowed: true });
  });

  it.each([
    ['unsigned', 'ERR_NO_SIGNATURE'],
    ['untrusted', 'ERR_SIGNATURE_VERIFICATION_FAILED'],
  ] as const)('denies a deployment with %s images, naming the image and its reason', async (which, code) => {
    const image = fixture.images[which].reference;
    const { body } = await post<AdmissionReviewResponse>(`v1/admission/validate/${KEY}?timeout=10s`, review('deployment', image));
    expect(body.response.allowed).toBe(false);
    expect(body.response.status?.message).toContain(image);
    expect(body.response.status?.message).toContain(code);
  });

  it('answers before the deadline with the configured decision (deny) when the registry hangs', async () => {
    // The registry hangs far longer than the 10 s registry timeout; only the admission deadline can end this.
    const { body } = await post<AdmissionReviewResponse>(`v1/admission/validate/${KEY}?timeout=2s`, review('deployment', `${proxy.host}/signed:v1`));
    expect(body.response.allowed).toBe(false);
    expect(body.response.status?.message).toContain('ERR_ADMISSION_DEADLINE');
  });

  it('refuses a request without the path key', async () => {
    expect((await post('v1/admission/validate?timeout=10s', review('pod', fixture.images.signed.reference))).status).toBe(401);
    expect((await post(`v1/admission/validate/${'x'.repeat(KEY.length)}`, review('pod', fixture.images.signed.reference))).status).toBe(401);
  });

  it('the mutating webhook pins the verified image to its digest and never patches an unverified one', async () => {
    const signed = await post<AdmissionReviewResponse>(`v1/admission/mutate/${KEY}?timeout=10s`, review('deployment', fixture.images.signed.reference));
    expect(signed.body.response.allowed).toBe(true);
    const patch = JSON.parse(Buffer.from(signed.body.response.patch ?? '', 'base64').toString()) as Array<{ op: string; value: string }>;
    expect(patch.length).toBeGreaterThan(0);
    for (const op of patch) expect(op.value).toBe(`${fixture.images.signed.reference}@${fixture.images.signed.descriptor.digest}`);
    const unsigned = await post<AdmissionReviewResponse>(`v1/admission/mutate/${KEY}?timeout=10s`, review('deployment', fixture.images.unsigned.reference));
    expect(unsigned.body.response.allowed).toBe(false);
    expect(unsigned.body.response.patch).toBeUndefined();
  });

  it('the Gatekeeper provider answers one item per key: signed, unsigned, prefixed, duplicate, malformed, unreachable', async () => {
    const { images } = fixture;
    const keys = [images.signed.reference, images.unsigned.reference, `[default]${images.signed.reference}`, images.signed.reference, 'NOT a ref', '127.0.0.1:1/signed:v1'];
    const { body } = await post<ProviderResponse>(`v1/gatekeeper/verify/${KEY}`, {
      apiVersion: 'externaldata.gatekeeper.sh/v1beta1',
      kind: 'ProviderRequest',
      request: { keys },
    });
    expect(body.response.items.map((i) => i.key)).toEqual(keys);
    const [signed, unsigned, prefixed, duplicate, malformed, unreachable] = body.response.items;
    expect(signed?.value).toMatchObject({ isSuccess: true });
    expect(unsigned?.value).toMatchObject({ isSuccess: false });
    expect(prefixed?.value).toMatchObject({ isSuccess: true });
    expect(duplicate?.value).toMatchObject({ isSuccess: true });
    expect(malformed?.error ?? (malformed?.value as { isSuccess?: boolean })?.isSuccess === false).toBeTruthy();
    expect(unreachable?.error ?? (unreachable?.value as { isSuccess?: boolean })?.isSuccess === false).toBeTruthy();
    expect((unreachable?.value as { isSuccess?: boolean } | undefined)?.isSuccess).not.toBe(true);
  });
});
