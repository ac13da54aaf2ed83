import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, silentLogger } from '../../shared/core/index.js';
import { createServices, loadSettings, type Services } from '../../shared/config/index.js';
import type { EventPublisher, TrustgateEvent } from '../../shared/events/index.js';
import { dockerRegistryAvailable } from '../helpers/docker-registry.js';
import { pushRandomImage, pushReferrersIndex, pushSignature } from '../helpers/oci-push.js';
import { addDays, createLeaf, createTsa, issueTimestampToken, type TestTsa } from '../helpers/pki/index.js';
import { signJws } from '../helpers/signer/index.js';
import { startSignedRegistry, type SignedRegistry } from '../helpers/signed-registry.js';

/**
 * The re-check timer over time: a signature whose certificate expires stays valid only when a trusted RFC 3161
 * timestamp proves it was made while the certificate was valid; without one the verdict flips to deny.
 */
describe.skipIf(!dockerRegistryAvailable())('re-check of timestamped and untimestamped signatures (real docker-registry)', () => {
  let fixture: SignedRegistry;
  let tsa: TestTsa;
  let services: Services;
  let clock: ManualClock;
  const published: TrustgateEvent[] = [];
  const publisher: EventPublisher = { publish: async (events) => void published.push(...events) };

  beforeAll(async () => {
    fixture = await startSignedRegistry();
    tsa = createTsa({ prefix: 'Recheck TSA' });
    clock = new ManualClock(fixture.now);
    const policy = {
      version: '1.0',
      trustPolicies: [
        {
          name: 'stamped',
          registryScopes: [`${fixture.registry.host}/stamped`],
          // afterCertExpiry: a timestamp is needed only once a certificate has expired (with 'always' it is required at once).
          signatureVerification: { level: 'strict', verifyTimestamp: 'afterCertExpiry' },
          trustStores: ['ca:e2e', 'tsa:recheck'],
          trustedIdentities: ['*'],
        },
      ],
    };
    const env = fixture.env({ TRUSTGATE_TRUST_POLICY: JSON.stringify(policy), TRUSTGATE_TRUST_STORE_INLINE: JSON.stringify({ 'tsa:recheck': tsa.root.pem }) });
    services = await createServices(loadSettings(env), { clock, logger: silentLogger, publisher });
  });
  afterAll(async () => fixture?.stop());

  async function pushShortLived(tag: string, timestamped: boolean): Promise<string> {
    const intermediate = fixture.trusted.intermediates[0];
    if (!intermediate) throw new Error('the fixture chain has an intermediate');
    const leaf = createLeaf({ name: 'CN=Short Lived Signer, O=Notary Test, L=Seattle, ST=WA, C=US', keyLabel: `short-${tag}`, issuer: intermediate, notAfter: addDays(clock.now(), 1) });
    const descriptor = await pushRandomImage(fixture.target, 'stamped', { tag });
    const envelope = signJws({
      descriptor,
      chain: [leaf.der, intermediate.der, fixture.trusted.root.der],
      privateKey: leaf.privateKey,
      signingTime: clock.now(),
      ...(timestamped ? { timestamp: (signature: Uint8Array) => issueTimestampToken({ tsa, data: signature, genTime: clock.now() }) } : {}),
    });
    const signature = await pushSignature(fixture.target, 'stamped', descriptor, envelope, 'application/jose+json');
    await pushReferrersIndex(fixture.target, 'stamped', descriptor, [signature]);
    return `${fixture.registry.host}/stamped@${descriptor.digest}`;
  }

  it('keeps a timestamped verdict after the certificate expires and flips an untimestamped one', async () => {
    const stamped = await pushShortLived('stamped', true);
    const plain = await pushShortLived('plain', false);
    expect((await services.verification.verify(stamped)).decision).toBe('allow');
    const before = await services.verification.verify(plain);
    expect(before.decision).toBe('allow');
    expect(Date.parse(before.expiresAt)).toBeLessThanOrEqual(addDays(fixture.now, 1).getTime()); // due when the certificate expires

    clock.advance(2 * 86_400_000);
    await services.recheck.run();

    const after = await services.verification.verify(plain);
    expect(after.decision).toBe('deny');
    expect(after.evidence[0]?.checks.find((c) => !c.ok)?.name).toBe('authenticTimestamp');
    expect(published).toContainEqual(expect.objectContaining({ type: 'Trustgate.VerdictChanged', subject: plain }));
    const stampedNow = await services.verification.verify(stamped, { bypassCache: true });
    expect(stampedNow.decision).toBe('allow');
    expect(stampedNow.evidence[0]?.details?.['timestampTime']).toBe(fixture.now.toISOString());
    expect(published.some((e) => e.subject === stamped && e.type === 'Trustgate.VerdictChanged')).toBe(false);
  });
});
