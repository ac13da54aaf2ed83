import { describe, expect, it } from 'vitest';
import { AppError, ManualClock } from '../../../shared/core/index.js';
import type { Reference } from '../../../shared/oci/index.js';
import { DefaultVerificationService } from '../../../shared/verification/index.js';
import { FakeRegistry, IMAGE, NOW, fakeChecker, serviceOptions } from './fakes.js';

const REF = 'registry.test/app:v1';

/** A registry whose tag resolution is slow and counted, and can be switched to failing. */
class SlowRegistry extends FakeRegistry {
  resolves = 0;
  down = false;
  override async resolve(reference: Reference) {
    this.resolves++;
    await new Promise((r) => setTimeout(r, 20));
    if (this.down) throw new AppError('ERR_REGISTRY_CONNECTION', 'inconclusive', 'registry down');
    return super.resolve(reference);
  }
}

function setup() {
  const registry = new SlowRegistry();
  registry.tags.set('v1', IMAGE);
  registry.addSignature(IMAGE.digest, 'sha256:good');
  const clock = new ManualClock(NOW);
  const service = new DefaultVerificationService(serviceOptions({ registry, clock, ...fakeChecker({ 'sha256:good': { ok: true } }) }));
  return { registry, clock, service };
}

describe('tag resolution under a refresh stampede (the orchestrator)', () => {
  it('640 concurrent verifies of an expired tag send one resolution and all stay allowed', async () => {
    const { registry, clock, service } = setup();
    expect((await service.verify(REF)).decision).toBe('allow');
    clock.advance(31_000); // past the 30 s tag lifetime
    const verdicts = await Promise.all(Array.from({ length: 640 }, () => service.verify(REF)));
    expect(verdicts.filter((v) => v.decision !== 'allow')).toEqual([]);
    expect(registry.resolves).toBe(2);
  });

  it('a failed refresh keeps serving the last good resolution instead of turning verdicts inconclusive', async () => {
    const { registry, clock, service } = setup();
    expect((await service.verify(REF)).decision).toBe('allow');
    registry.down = true;
    clock.advance(31_000);
    const verdicts = await Promise.all(Array.from({ length: 64 }, () => service.verify(REF)));
    expect(verdicts.map((v) => v.decision)).toEqual(Array(64).fill('allow'));
  });
});
