import { describe, expect, it } from 'vitest';
import { MemoryResultCache } from '../../../shared/cache/index.js';
import { fixedClock } from '../../../shared/core/index.js';
import { createNotaryScheme } from '../../../shared/notary/index.js';
import type { EvidenceScheme } from '../../../shared/scheme/index.js';
import { DefaultVerificationService } from '../../../shared/verification/index.js';
import { FakeRegistry, IMAGE, NOW, fakeChecker, policy, serviceOptions, staticTrustStore } from './fakes.js';

const digestOf = (c: string) => `sha256:${c.repeat(64)}`;

describe('cold verifications are limited per instance; cache hits never wait', () => {
  it('serves a cached image while every cold slot is held, and refuses past the queue with inconclusive ERR_VERIFICATION_BUSY', async () => {
    const registry = new FakeRegistry();
    registry.tags.set('v1', IMAGE);
    for (const tag of ['b', 'c', 'd', 'e']) registry.tags.set(tag, { ...IMAGE, digest: digestOf(tag) });
    registry.addSignature(IMAGE.digest, 'sha256:good');
    const { checker } = fakeChecker({ 'sha256:good': { ok: true } });
    const notary = createNotaryScheme({ policy: policy(), trustStore: staticTrustStore(), checker });
    // Evidence of every other image takes forever to check (a slow-drip registry, a hostile signature).
    const slow: EvidenceScheme = { ...notary, verify: (request) => (request.subject.digest === IMAGE.digest ? notary.verify(request) : new Promise(() => undefined)) };
    const service = new DefaultVerificationService({
      ...serviceOptions({ registry, checker, cache: new MemoryResultCache({ maxEntries: 10, clock: fixedClock(NOW) }) }),
      schemes: [slow],
      coldLimits: { concurrency: 2, maxQueue: 1 },
    });
    expect((await service.verify('registry.test/app:v1')).decision).toBe('allow');

    const controller = new AbortController();
    const held = ['b', 'c', 'd'].map((tag) => service.verify(`registry.test/app:${tag}`, { signal: controller.signal })); // 2 running, 1 waiting
    const refused = await service.verify('registry.test/app:e');
    expect(refused.decision).toBe('inconclusive');
    expect(refused.reasons[0]?.code).toBe('ERR_VERIFICATION_BUSY');
    expect((await service.verify('registry.test/app:v1')).decision).toBe('allow'); // a cache hit takes no slot

    controller.abort(new Error('deadline'));
    expect((await Promise.all(held)).map((v) => v.reasons[0]?.code)).toEqual(Array(3).fill('ERR_VERIFICATION_DEADLINE'));
  });
});
