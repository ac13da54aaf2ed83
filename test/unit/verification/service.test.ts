import { describe, expect, it } from 'vitest';
import { AppError, fixedClock } from '../../../shared/core/index.js';
import { MemoryResultCache } from '../../../shared/cache/index.js';
import { DefaultVerificationService } from '../../../shared/verification/index.js';
import { FakeRegistry, IMAGE, NOW, fakeChecker, policy, serviceOptions, staticTrustStore } from './fakes.js';

const REF = 'registry.test/app:v1';

function setup(verdicts: Record<string, { ok: boolean; expiresAt?: string }> = {}) {
  const registry = new FakeRegistry();
  registry.tags.set('v1', IMAGE);
  const { checker, seen } = fakeChecker(verdicts);
  return { registry, checker, seen };
}

describe('DefaultVerificationService', () => {
  it('allows when one signature passes, trying them in listed order', async () => {
    const { registry, checker, seen } = setup({ 'sha256:good': { ok: true } });
    registry.addSignature(IMAGE.digest, 'sha256:bad');
    registry.addSignature(IMAGE.digest, 'sha256:good');
    registry.addSignature(IMAGE.digest, 'sha256:never');
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.decision).toBe('allow');
    expect(verdict.subject).toEqual({ reference: REF, digest: IMAGE.digest, mediaType: IMAGE.mediaType });
    expect(verdict.policy).toEqual({ name: 'app', level: 'strict' });
    expect(verdict.evidence.map((s) => [s.evidence, s.ok])).toEqual([['sha256:bad', false], ['sha256:good', true]]);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.subject).toEqual({ mediaType: IMAGE.mediaType, digest: IMAGE.digest, size: IMAGE.size });
  });

  it('accepts the legacy signature form and skips referrers that are not Notary signatures', async () => {
    const { registry, checker, seen } = setup({ 'sha256:legacy': { ok: true } });
    registry.addSignature(IMAGE.digest, 'sha256:sbom', 'other');
    registry.addSignature(IMAGE.digest, 'sha256:legacy', 'legacy');
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker, maxSignatures: 1 })).verify(REF);
    expect(verdict.decision).toBe('allow');
    expect(seen).toHaveLength(1);
  });

  it('denies with ERR_NO_SIGNATURE when nothing is signed', async () => {
    const { registry, checker } = setup();
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.decision).toBe('deny');
    expect(verdict.reasons.map((r) => r.code)).toEqual(['ERR_NO_SIGNATURE']);
  });

  it('denies with each failing signature as a reason', async () => {
    const { registry, checker } = setup();
    registry.addSignature(IMAGE.digest, 'sha256:s1');
    registry.addSignature(IMAGE.digest, 'sha256:s2');
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.decision).toBe('deny');
    expect(verdict.reasons.map((r) => r.code)).toEqual(['ERR_SIGNATURE_VERIFICATION_FAILED', 'ERR_SIGNATURE_VERIFICATION_FAILED']);
  });

  it('denies without any network call when no policy applies or the registry is not allowed', async () => {
    const { registry, checker } = setup();
    const service = new DefaultVerificationService(serviceOptions({ registry, checker, policy: policy('strict', ['registry.test/app', 'other.test/app']) }));
    expect((await service.verify('registry.test/unknown:v1')).reasons[0]?.code).toBe('ERR_NO_TRUST_POLICY');
    expect((await service.verify('other.test/app:v1')).reasons[0]?.code).toBe('ERR_REGISTRY_NOT_ALLOWED');
    expect((await service.verify('Not A Reference')).reasons[0]?.code).toBe('ERR_INVALID_REFERENCE');
    expect(registry.calls).toEqual([]);
  });

  it('allows level skip without fetching anything', async () => {
    const { registry, checker } = setup();
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker, policy: policy('skip') })).verify(REF);
    expect(verdict.decision).toBe('allow');
    expect(verdict.reasons[0]?.code).toBe('OK_VERIFICATION_SKIPPED');
    expect(registry.calls).toEqual([]);
  });

  it('is inconclusive, never allow, when the registry fails, and does not cache that', async () => {
    const { registry, checker } = setup({ 'sha256:good': { ok: true } });
    registry.addSignature(IMAGE.digest, 'sha256:good');
    const cache = new MemoryResultCache({ maxEntries: 10, clock: fixedClock(NOW) });
    const service = new DefaultVerificationService(serviceOptions({ registry, checker, cache }));
    registry.failures.set('resolve', new AppError('ERR_REGISTRY_UNAVAILABLE', 'inconclusive', '503'));
    expect((await service.verify(REF)).decision).toBe('inconclusive');
    registry.failures.clear();
    registry.failures.set('referrers', new AppError('ERR_TIMEOUT', 'inconclusive', 'timeout'));
    expect((await service.verify(REF)).decision).toBe('inconclusive');
    registry.failures.clear();
    expect((await service.verify(REF)).decision).toBe('allow');
  });

  it('is inconclusive when a signature could not be fetched and none passed', async () => {
    const { registry, checker } = setup();
    registry.addSignature(IMAGE.digest, 'sha256:bad');
    registry.addSignature(IMAGE.digest, 'sha256:unreachable');
    registry.failures.set('manifest sha256:unreachable', new AppError('ERR_REGISTRY_UNAVAILABLE', 'inconclusive', '500'));
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.decision).toBe('inconclusive');
  });

  it('is inconclusive, not a pass, when the registry serves bytes that do not match the envelope digest', async () => {
    const { registry, checker, seen } = setup();
    registry.addSignature(IMAGE.digest, 'sha256:tampered');
    registry.failures.set('blob sha256:env-sha256:tampered', new AppError('ERR_DIGEST_MISMATCH', 'verification-failed', 'digest mismatch'));
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.decision).toBe('inconclusive');
    expect(seen).toHaveLength(0);
  });

  it('fails a signature the registry proved absent or that is malformed', async () => {
    const { registry, checker } = setup();
    registry.addSignature(IMAGE.digest, 'sha256:gone');
    registry.addSignature(IMAGE.digest, 'sha256:broken');
    registry.failures.set('manifest sha256:gone', new AppError('ERR_MANIFEST_NOT_FOUND', 'verification-failed', 'manifest unknown'));
    registry.manifests.set('sha256:broken', { schemaVersion: 2, artifactType: 'application/vnd.cncf.notary.signature', config: { mediaType: 'application/vnd.oci.empty.v1+json' }, layers: [] });
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.decision).toBe('deny');
    expect(verdict.evidence.map((s) => s.error?.code)).toEqual(['ERR_MANIFEST_NOT_FOUND', 'ERR_SIGNATURE_MANIFEST_INVALID']);
  });

  it('denies when the tag does not exist', async () => {
    const { registry, checker } = setup();
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify('registry.test/app:missing');
    expect(verdict.decision).toBe('deny');
    expect(verdict.reasons[0]?.code).toBe('ERR_MANIFEST_NOT_FOUND');
  });

  it('stops after maxSignatures', async () => {
    const { registry, checker, seen } = setup();
    for (let i = 0; i < 5; i++) registry.addSignature(IMAGE.digest, `sha256:s${i}`);
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker, maxSignatures: 2 })).verify(REF);
    expect(seen).toHaveLength(2);
    expect(verdict.decision).toBe('inconclusive');
    expect(verdict.reasons.map((r) => r.code)).toContain('ERR_SIGNATURE_LIMIT_REACHED');
  });

  it('caches definitive verdicts by digest + trust fingerprint and shares concurrent work', async () => {
    const { registry, checker, seen } = setup({ 'sha256:good': { ok: true } });
    registry.addSignature(IMAGE.digest, 'sha256:good');
    const trustStore = staticTrustStore('v1');
    const service = new DefaultVerificationService(serviceOptions({ registry, checker, trustStore, cache: new MemoryResultCache({ maxEntries: 10, clock: fixedClock(NOW) }) }));
    const [a, b] = await Promise.all([service.verify(REF), service.verify(`registry.test/app@${IMAGE.digest}`)]);
    expect([a.decision, b.decision]).toEqual(['allow', 'allow']);
    expect(b.subject.reference).toBe(`registry.test/app@${IMAGE.digest}`);
    expect(seen).toHaveLength(1);
    await service.verify(REF);
    expect(seen).toHaveLength(1);
    trustStore.print = 'v2'; // a changed trust store never serves the old verdict
    await service.verify(REF);
    expect(seen).toHaveLength(2);
  });

  it('expires an allow verdict when the passing signature could change, capped by the maximum age', async () => {
    const soon = new Date(NOW.getTime() + 60_000).toISOString();
    const { registry, checker } = setup({ 'sha256:good': { ok: true, expiresAt: soon } });
    registry.addSignature(IMAGE.digest, 'sha256:good');
    const verdict = await new DefaultVerificationService(serviceOptions({ registry, checker })).verify(REF);
    expect(verdict.expiresAt).toBe(soon);
    expect(verdict.verifiedAt).toBe(NOW.toISOString());
    const { registry: r2, checker: c2 } = setup({ 'sha256:good': { ok: true, expiresAt: '2099-01-01T00:00:00.000Z' } });
    r2.addSignature(IMAGE.digest, 'sha256:good');
    const capped = await new DefaultVerificationService(serviceOptions({ registry: r2, checker: c2, verdictMaxAgeSeconds: 10 })).verify(REF);
    expect(capped.expiresAt).toBe(new Date(NOW.getTime() + 10_000).toISOString());
  });
});
