import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, silentLogger } from '../../shared/core/index.js';
import { createServices, loadSettings, type Services } from '../../shared/config/index.js';
import { dockerRegistryAvailable } from '../helpers/docker-registry.js';
import { freePort } from '../helpers/child-process.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../helpers/fault-proxy.js';
import { startSignedRegistry, type SignedRegistry } from '../helpers/signed-registry.js';

const TIMEOUT_MS = 400;

/** Every registry fault ends `inconclusive` — never `allow` — and within the configured timeout (no hang). */
describe.skipIf(!dockerRegistryAvailable())('verification under registry faults (real docker-registry behind a fault proxy)', () => {
  let fixture: SignedRegistry;
  let proxy: FaultProxy;

  beforeAll(async () => {
    fixture = await startSignedRegistry();
    proxy = await startFaultProxy(fixture.registry.host);
  });
  afterAll(async () => {
    await proxy?.stop();
    await fixture?.stop();
  });

  async function servicesFor(host: string): Promise<Services> {
    const policy = {
      version: '1.0',
      trustPolicies: [{ name: 'p', registryScopes: [`${host}/signed`], signatureVerification: { level: 'strict' }, trustStores: ['ca:e2e'], trustedIdentities: ['*'] }],
    };
    const env = fixture.env({ TRUSTGATE_TRUST_POLICY: JSON.stringify(policy), TRUSTGATE_PLAIN_HTTP: host, TRUSTGATE_REGISTRY_TIMEOUT_MS: String(TIMEOUT_MS), TRUSTGATE_TAG_CACHE_S: '0' });
    return createServices(loadSettings(env), { clock: fixedClock(fixture.now), logger: silentLogger });
  }

  it('passes through when there is no fault (the proxy itself is transparent)', async () => {
    proxy.setFault({ kind: 'pass' });
    const services = await servicesFor(proxy.host);
    expect((await services.verification.verify(`${proxy.host}/signed:v1`)).decision).toBe('allow');
  });

  it.each<[string, Fault, RegExp | undefined]>([
    ['500 on every request', { kind: 'status', status: 500 }, undefined],
    ['503 on the signature listing', { kind: 'status', status: 503 }, /\/manifests\/sha256-/],
    ['429 with Retry-After', { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, undefined],
    ['a registry that never answers', { kind: 'hang' }, undefined],
    ['a registry slower than the timeout', { kind: 'slow', delayMs: TIMEOUT_MS * 5 }, /\/blobs\//],
    ['an oversized envelope blob', { kind: 'oversized', bytes: 40 * 1024 * 1024 }, /\/blobs\//],
    ['connection resets', { kind: 'reset' }, /\/manifests\//],
  ])('%s → inconclusive', async (_name, fault, match) => {
    proxy.setFault(fault, match);
    const services = await servicesFor(proxy.host);
    const verdict = await services.verification.verify(`${proxy.host}/signed:v1`);
    expect(verdict.decision).toBe('inconclusive');
    expect(verdict.reasons.length).toBeGreaterThan(0);
  });

  it('a registry that is down → inconclusive', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const services = await servicesFor(closed);
    const verdict = await services.verification.verify(`${closed}/signed:v1`);
    expect(verdict.decision).toBe('inconclusive');
    expect(verdict.reasons[0]?.code).toBe('ERR_REGISTRY_UNAVAILABLE');
  });
});
