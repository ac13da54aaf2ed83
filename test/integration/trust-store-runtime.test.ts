import { cp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, loadSettings, type Services } from '../../shared/config/index.js';
import { fixedClock, silentLogger } from '../../shared/core/index.js';
import { dockerRegistryAvailable } from '../helpers/docker-registry.js';
import { startSignedRegistry, type SignedRegistry } from '../helpers/signed-registry.js';

/** A trust store that breaks after start-up: inconclusive (never a deny that gets cached), and fine again once back. */
describe.skipIf(!dockerRegistryAvailable())('a trust store that breaks at runtime (real docker-registry)', () => {
  let fixture: SignedRegistry;
  let services: Services;

  beforeAll(async () => {
    fixture = await startSignedRegistry();
    services = await createServices(loadSettings(fixture.env({ TRUSTGATE_TRUST_STORE_RECHECK_MS: '0' })), { clock: fixedClock(fixture.now), logger: silentLogger });
  });
  afterAll(async () => {
    await fixture?.stop();
  });

  it('makes verdicts inconclusive ERR_TRUST_STORE_UNAVAILABLE, uncached, until the store is back', async () => {
    const backup = `${fixture.storeDir}.bak`;
    await cp(fixture.storeDir, backup, { recursive: true });
    await rm(fixture.storeDir, { recursive: true });
    const broken = await services.verification.verify(fixture.images.signed.pinned);
    expect([broken.decision, broken.reasons[0]?.code]).toEqual(['inconclusive', 'ERR_TRUST_STORE_UNAVAILABLE']);
    expect(broken.reasons[0]?.message).toContain('ca:e2e');
    const fingerprint = await services.verification.fingerprint();
    const stored = await services.cache.get({ registry: fixture.registry.host, repository: 'signed', digest: fixture.images.signed.descriptor.digest, fingerprint }, fixture.now);
    expect(stored).toBeUndefined();
    await cp(backup, fixture.storeDir, { recursive: true });
    expect((await services.verification.verify(fixture.images.signed.pinned)).decision).toBe('allow');
  });
});
