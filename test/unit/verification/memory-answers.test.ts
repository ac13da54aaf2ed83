import { describe, expect, it } from 'vitest';
import { MemoryResultCache } from '../../../shared/cache/index.js';
import { ManualClock } from '../../../shared/core/index.js';
import type { TrustStore } from '../../../shared/truststore/index.js';
import { DefaultVerificationService } from '../../../shared/verification/index.js';
import { FakeRegistry, IMAGE, NOW, fakeChecker, policy, serviceOptions, staticTrustStore } from './fakes.js';

const TAG = 'registry.test/app:v1';
const PINNED = `registry.test/app@${IMAGE.digest}`;

function setup(overrides: { trustStore?: TrustStore; tagCacheSeconds?: number; level?: string } = {}) {
  const registry = new FakeRegistry();
  registry.tags.set('v1', IMAGE);
  registry.addSignature(IMAGE.digest, 'sha256:good');
  const clock = new ManualClock(NOW);
  const cache = new MemoryResultCache({ maxEntries: 100, clock });
  const { checker, seen } = fakeChecker({ 'sha256:good': { ok: true } });
  const service = new DefaultVerificationService(serviceOptions({
    registry, clock, cache, checker, policy: policy(overrides.level ?? 'strict'),
    ...(overrides.trustStore ? { trustStore: overrides.trustStore } : {}),
    ...(overrides.tagCacheSeconds !== undefined ? { tagCacheSeconds: overrides.tagCacheSeconds } : {}),
  }));
  return { registry, clock, service, seen };
}

/** A store that only answers through an await (no currentFingerprint). */
function awaitedOnlyStore(): TrustStore {
  return { getCertificates: async () => [], fingerprint: async () => 'store-1' };
}

describe('answers from memory without an await (cached)', () => {
  it('knows nothing before a verification, and asks the registry nothing', () => {
    const { registry, service } = setup();
    expect(service.cached(TAG)).toBeUndefined();
    expect(service.cached(PINNED)).toBeUndefined();
    expect(registry.calls).toEqual([]);
  });

  it('after verify, gives exactly what verify gives, for the tag and the digest, with no registry call', async () => {
    const { registry, service } = setup();
    const byTag = await service.verify(TAG);
    const byDigest = await service.verify(PINNED);
    expect(byTag.decision).toBe('allow');
    const calls = registry.calls.length;
    expect(service.cached(TAG)).toEqual(byTag);
    expect(service.cached(PINNED)).toEqual(byDigest);
    expect(await service.verify(TAG)).toEqual(byTag);
    expect(registry.calls.length).toBe(calls);
  });

  it('answers pre-network decisions (no policy, registry not allowed, malformed, level skip) as verify does', async () => {
    const { service } = setup();
    for (const reference of ['other.test/app:v1', 'registry.test/unscoped:v1', 'registry.test/UPPER:v1']) {
      const known = service.cached(reference);
      expect(known?.decision).toBe('deny');
      expect(known).toEqual(await service.verify(reference));
    }
    const skipping = setup({ level: 'skip' }).service;
    expect(skipping.cached(TAG)?.decision).toBe('allow');
    expect(skipping.cached(TAG)).toEqual(await skipping.verify(TAG));
  });

  it('never serves a verdict made under another trust fingerprint', async () => {
    const trustStore = staticTrustStore('v1');
    const { service, seen } = setup({ trustStore });
    await service.verify(TAG);
    trustStore.print = 'v2';
    expect(service.cached(TAG)).toBeUndefined();
    expect((await service.verify(TAG)).decision).toBe('allow');
    expect(seen).toHaveLength(2);
    expect(service.cached(TAG)?.decision).toBe('allow');
  });

  it('stays out of the way when a scheme can only tell its fingerprint through an await', async () => {
    const { service, seen } = setup({ trustStore: awaitedOnlyStore() });
    await service.verify(TAG);
    expect(service.cached(TAG)).toBeUndefined();
    await service.verify(TAG);
    expect(seen).toHaveLength(1); // verify still uses the cache
  });

  it('serves a stale tag resolution while exactly one refresh runs, then the refreshed one', async () => {
    const { registry, clock, service } = setup();
    await service.verify(TAG);
    clock.advance(31_000); // past the 30 s tag lifetime
    const resolvesBefore = registry.calls.filter((c) => c.startsWith('resolve')).length;
    const answers = Array.from({ length: 100 }, () => service.cached(TAG));
    expect(answers.every((a) => a?.decision === 'allow')).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(registry.calls.filter((c) => c.startsWith('resolve')).length).toBe(resolvesBefore + 1);
  });

  it('with the tag cache off, a tag always goes to verify', async () => {
    const { service } = setup({ tagCacheSeconds: 0 });
    await service.verify(TAG);
    expect(service.cached(TAG)).toBeUndefined();
    await service.verify(PINNED);
    expect(service.cached(PINNED)?.decision).toBe('allow'); // a digest needs no resolution
  });

  it('bypassCache still goes to the registry', async () => {
    const { registry, service } = setup();
    await service.verify(TAG);
    const calls = registry.calls.length;
    await service.verify(TAG, { bypassCache: true });
    expect(registry.calls.length).toBeGreaterThan(calls);
  });
});
