import { describe, expect, it } from 'vitest';
import { AppError, fixedClock } from '../../../shared/core/index.js';
import { MemoryResultCache } from '../../../shared/cache/index.js';
import type { Metrics } from '../../../shared/telemetry/index.js';
import { DefaultVerificationService } from '../../../shared/verification/index.js';
import { FakeRegistry, IMAGE, NOW, fakeChecker, serviceOptions } from './fakes.js';

function recorder() {
  const calls: string[] = [];
  const metrics: Metrics = {
    verdict: (decision, reason, trigger) => calls.push(`verdict ${decision} ${reason ?? '-'} ${trigger}`),
    verificationLatency: (ms, decision, cached) => calls.push(`latency ${decision} cached=${cached} ${ms >= 0}`),
    cacheLookup: (tier, hit) => calls.push(`lookup ${tier} ${hit}`),
    registryError: (registry, code) => calls.push(`registry ${registry} ${code}`),
    certificateExpiry: () => undefined,
  };
  return { calls, metrics };
}

describe('the orchestrator reports what operators chart', () => {
  it('records each verdict with its first reason code, its trigger, and whether a cache answered', async () => {
    const registry = new FakeRegistry();
    registry.tags.set('v1', IMAGE);
    registry.addSignature(IMAGE.digest, 'sha256:good');
    const { calls, metrics } = recorder();
    const cache = new MemoryResultCache({ maxEntries: 10, clock: fixedClock(NOW) });
    const service = new DefaultVerificationService(serviceOptions({ registry, cache, metrics, ...fakeChecker({ 'sha256:good': { ok: true } }) }));
    await service.verify('registry.test/app:v1', { source: 'push' });
    await service.verify('registry.test/app:v1');
    await service.verify('registry.test/app:missing');
    expect(calls).toEqual([
      'verdict allow - push', 'latency allow cached=false true',
      'verdict allow - request', 'latency allow cached=true true',
      'verdict deny ERR_MANIFEST_NOT_FOUND request', 'latency deny cached=false true',
    ]);
  });

  it('counts a registry that could not be reached, by host and code', async () => {
    const registry = new FakeRegistry();
    registry.failures.set('resolve', new AppError('ERR_REGISTRY_CONNECTION', 'inconclusive', 'connection refused'));
    const { calls, metrics } = recorder();
    const service = new DefaultVerificationService(serviceOptions({ registry, metrics, ...fakeChecker({}) }));
    await service.verify('registry.test/app:v1');
    expect(calls).toContain('registry registry.test ERR_REGISTRY_CONNECTION');
    expect(calls).toContain('verdict inconclusive ERR_REGISTRY_UNAVAILABLE request');
  });
});
