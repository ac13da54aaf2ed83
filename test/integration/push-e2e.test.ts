import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFunctions } from '../../functions/all.js';
import { ManualClock, silentLogger, type FetchLike } from '../../shared/core/index.js';
import { createServices, loadSettings, setServices, type Services } from '../../shared/config/index.js';
import type { EventPublisher, TrustgateEvent } from '../../shared/events/index.js';
import { startLocalHost, type LocalHost } from '../../host/server.js';
import type { Verdict } from '../../shared/verification/index.js';
import { startAzurite, type LocalAzurite } from '../helpers/azurite.js';
import { dockerRegistryAvailable } from '../helpers/docker-registry.js';
import { pushBlob, pushManifest, pushReferrersIndex, pushSignature, sha256Digest } from '../helpers/oci-push.js';
import { addDays, createCa, createLeaf } from '../helpers/pki/index.js';
import { signJws } from '../helpers/signer/index.js';
import { startSignedRegistry, type SignedRegistry } from '../helpers/signed-registry.js';

type Schema = 'eventgrid' | 'cloudevents';

/** An ACR event of the given schema, from the fixtures, pointed at our registry. */
function acrEvent(schema: Schema, type: 'ImagePushed' | 'ImageDeleted', target: { host: string; repository: string; digest: string; tag?: string; size?: number }) {
  const file = `../fixtures/events/${schema}/${type === 'ImagePushed' ? 'image-pushed-digest' : 'image-deleted'}.json`;
  const parsed = JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as unknown;
  const event = structuredClone(Array.isArray(parsed) ? parsed[0] : parsed) as { id: string; data: { target: Record<string, unknown>; request: { host: string } } };
  event.id = `${type}-${target.digest}-${Math.random()}`;
  event.data.request.host = target.host;
  Object.assign(event.data.target, { repository: target.repository, digest: target.digest, ...(target.tag ? { tag: target.tag } : {}), ...(target.size ? { size: target.size, length: target.size } : {}) });
  return event;
}

describe.skipIf(!dockerRegistryAvailable())('verify on push (real docker-registry + Azurite, local host)', () => {
  let fixture: SignedRegistry;
  let azurite: LocalAzurite;
  let host: LocalHost;
  let services: Services;
  let clock: ManualClock;
  const published: TrustgateEvent[] = [];
  const publisher: EventPublisher = { publish: async (events) => void published.push(...events) };

  const settingsEnv = () =>
    fixture.env({ TRUSTGATE_TABLE_CONNECTION_STRING: azurite.connectionString, TRUSTGATE_TAG_CACHE_S: '0', TRUSTGATE_TRUST_STORE_RECHECK_MS: '0' });

  beforeAll(async () => {
    fixture = await startSignedRegistry();
    azurite = await startAzurite();
    clock = new ManualClock(fixture.now);
    services = await createServices(loadSettings(settingsEnv()), { clock, logger: silentLogger, publisher });
    setServices(services);
    host = await startLocalHost({ definitions: allFunctions, logger: silentLogger, port: 0 });
  });
  afterAll(async () => {
    setServices(undefined);
    await host?.close();
    await azurite?.stop();
    await fixture?.stop();
  });

  const deliver = async (schema: Schema, events: unknown[]) => {
    const headers: Record<string, string> = { 'content-type': schema === 'cloudevents' ? 'application/cloudevents-batch+json' : 'application/json' };
    if (schema === 'eventgrid') headers['aeg-event-type'] = 'Notification';
    return fetch(`${host.url}/runtime/webhooks/eventgrid?functionName=acrEvents`, { method: 'POST', headers, body: JSON.stringify(events) });
  };
  const stored = async (subject: string) => {
    const response = await fetch(`${host.url}/api/v1/verdicts?subject=${encodeURIComponent(subject)}`);
    return { status: response.status, body: (await response.json()) as { verdict: Verdict; source: string; code?: string } };
  };

  /** Pushes an image's blobs and returns its manifest without pushing it, so a signature can go first. */
  async function prepareImage(repository: string) {
    const config = await pushBlob(fixture.target, repository, JSON.stringify({ architecture: 'amd64', os: 'linux', nonce: Math.random() }), 'application/vnd.oci.image.config.v1+json');
    const layer = await pushBlob(fixture.target, repository, `layer ${Math.random()}`, 'application/vnd.oci.image.layer.v1.tar');
    const manifest = { schemaVersion: 2 as const, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] };
    const bytes = JSON.stringify(manifest);
    return { manifest, descriptor: { mediaType: manifest.mediaType, digest: sha256Digest(bytes), size: Buffer.byteLength(bytes) } };
  }

  it.each<Schema>(['eventgrid', 'cloudevents'])('%s: image pushed before its signature is stored unsigned, then the signature push flips it to allow', async (schema) => {
    const repository = 'app';
    const { manifest, descriptor } = await prepareImage(repository);
    await pushManifest(fixture.target, repository, manifest, { tag: `v-${schema}` });
    const pinned = `${fixture.registry.host}/${repository}@${descriptor.digest}`;

    expect((await deliver(schema, [acrEvent(schema, 'ImagePushed', { host: fixture.registry.host, repository, ...descriptor, tag: `v-${schema}` })])).status).toBe(200);
    const unsigned = await stored(pinned);
    expect([unsigned.status, unsigned.body.verdict.decision, unsigned.body.source]).toEqual([200, 'deny', 'push']);

    const signature = await fixture.sign(repository, descriptor);
    const signatureEvent = acrEvent(schema, 'ImagePushed', { host: fixture.registry.host, repository, digest: signature.digest, size: signature.size });
    expect((await deliver(schema, [signatureEvent, signatureEvent])).status).toBe(200); // duplicates are harmless
    const signed = await stored(pinned);
    expect([signed.body.verdict.decision, signed.body.source]).toEqual(['allow', 'push']);
  });

  it('a signature pushed before its image: the image push then verifies as signed', async () => {
    const repository = 'team/app';
    const { manifest, descriptor } = await prepareImage(repository);
    const envelope = signJws({ descriptor, chain: fixture.trusted.ders, privateKey: fixture.trusted.leaf.privateKey });
    const signature = await pushSignature(fixture.target, repository, descriptor, envelope, 'application/jose+json');
    expect((await deliver('eventgrid', [acrEvent('eventgrid', 'ImagePushed', { host: fixture.registry.host, repository, digest: signature.digest })])).status).toBe(200);
    const pinned = `${fixture.registry.host}/${repository}@${descriptor.digest}`;
    expect((await stored(pinned)).status).toBe(404); // nothing to verify yet, and nothing stored that could block the image

    await pushManifest(fixture.target, repository, manifest);
    await pushReferrersIndex(fixture.target, repository, descriptor, [signature]);
    await deliver('eventgrid', [acrEvent('eventgrid', 'ImagePushed', { host: fixture.registry.host, repository, ...descriptor })]);
    expect((await stored(pinned)).body.verdict.decision).toBe('allow');
  });

  it('ImageDeleted removes the stored verdicts; a repeated delete is harmless', async () => {
    const image = fixture.images.signed;
    await deliver('cloudevents', [acrEvent('cloudevents', 'ImagePushed', { host: fixture.registry.host, repository: 'signed', ...image.descriptor })]);
    expect((await stored(image.pinned)).status).toBe(200);
    const deleted = acrEvent('cloudevents', 'ImageDeleted', { host: fixture.registry.host, repository: 'signed', digest: image.descriptor.digest });
    expect((await deliver('cloudevents', [deleted])).status).toBe(200);
    expect((await deliver('cloudevents', [deleted])).status).toBe(200);
    const gone = await stored(image.pinned);
    expect([gone.status, gone.body.code]).toEqual([404, 'ERR_VERDICT_NOT_FOUND']);
  });

  it('ignores registries outside the allowlist and drops malformed events without a retry', async () => {
    const foreign = acrEvent('eventgrid', 'ImagePushed', { host: 'evil.example.com', repository: 'app', digest: fixture.images.signed.descriptor.digest });
    expect((await deliver('eventgrid', [foreign])).status).toBe(200);
    expect((await deliver('eventgrid', [{ id: 'x', eventType: 'Microsoft.ContainerRegistry.ImagePushed', subject: 's', eventTime: '2026-01-01T00:00:00Z', dataVersion: '1', data: { target: {} } }])).status).toBe(200);
  });

  it('a stored push verdict is served to admission by another instance without touching the registry', async () => {
    const image = fixture.images.signedCose;
    await deliver('eventgrid', [acrEvent('eventgrid', 'ImagePushed', { host: fixture.registry.host, repository: 'signed-cose', ...image.descriptor })]);
    let registryCalls = 0;
    const counting: FetchLike = (input, init) => {
      registryCalls++;
      return fetch(input, init);
    };
    const other = await createServices(loadSettings(settingsEnv()), { clock, logger: silentLogger, fetch: counting });
    const verdict = await other.verification.verify(image.pinned);
    expect(verdict.decision).toBe('allow');
    expect(verdict.subject.reference).toBe(image.pinned);
    expect(registryCalls).toBe(0);
  });

  it('the timer flips an untimestamped verdict to deny when its certificate expires, and publishes the change', async () => {
    const intermediate = fixture.trusted.intermediates[0];
    if (!intermediate) throw new Error('the fixture chain has an intermediate');
    const shortLeaf = createLeaf({ name: 'CN=Trustgate E2E Leaf, O=Notary Test, L=Seattle, ST=WA, C=US', keyLabel: 'short-lived', issuer: intermediate, notAfter: addDays(clock.now(), 1) });
    const chain = { ...fixture.trusted, leaf: shortLeaf, certs: [shortLeaf, intermediate, fixture.trusted.root], ders: [shortLeaf.der, intermediate.der, fixture.trusted.root.der] };
    const image = await fixture.pushImage('app', 'short-lived', chain);
    await deliver('eventgrid', [acrEvent('eventgrid', 'ImagePushed', { host: fixture.registry.host, repository: 'app', ...image.descriptor })]);
    expect((await stored(image.pinned)).body.verdict.decision).toBe('allow');

    clock.advance(2 * 86_400_000);
    published.length = 0;
    expect((await fetch(`${host.url}/admin/functions/recheck`, { method: 'POST', body: '{}' })).status).toBe(202);
    const after = await stored(image.pinned);
    expect([after.body.verdict.decision, after.body.source]).toEqual(['deny', 'recheck']);
    expect(published).toContainEqual(expect.objectContaining({ type: 'Trustgate.VerdictChanged', subject: image.pinned, data: expect.objectContaining({ from: 'allow', to: 'deny' }) }));
    clock.set(fixture.now);
  });

  it('a trust store change retires every old verdict: it is no longer served, and the timer drops it', async () => {
    const image = fixture.images.signed;
    await deliver('eventgrid', [acrEvent('eventgrid', 'ImagePushed', { host: fixture.registry.host, repository: 'signed', ...image.descriptor })]);
    expect((await stored(image.pinned)).status).toBe(200);
    const extra = createCa({ name: 'CN=Another Root, O=Notary Test, ST=WA, C=US' });
    await writeFile(join(fixture.storeDir, 'x509', 'ca', 'e2e', 'another-root.pem'), extra.pem);
    expect((await stored(image.pinned)).status).toBe(404);
    const report = await services.recheck.run();
    expect(report).toMatchObject({ rechecked: expect.any(Number) });
    const fresh = await services.verification.verify(image.pinned);
    expect(fresh.decision).toBe('allow');
    expect((await stored(image.pinned)).body.verdict.decision).toBe('allow');
  });
});
