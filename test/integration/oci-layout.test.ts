import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACT_TYPE_NOTATION_SIGNATURE, MEDIA_TYPE_JWS_ENVELOPE, RegistryClient } from '../../shared/oci/index.js';
import type { Descriptor } from '../../shared/oci/index.js';
import { dockerRegistryAvailable, startDockerRegistry } from '../helpers/docker-registry.js';
import type { DockerRegistry } from '../helpers/docker-registry.js';
import { pushOciLayout } from '../helpers/oci-push.js';

// Real notation-produced signatures (legacy form) served by docker-registry 2.8 and discovered via the tag schema.
const available = dockerRegistryAvailable();
const layout = (name: string): string => fileURLToPath(new URL(`../fixtures/oci/${name}`, import.meta.url));
const SUBJECT = 'sha256:b8479de3f88fb259a0a9ea82a5b2a052a1ef3c4ebbcfc61482d5ae4c831f8af9';

describe.skipIf(!available)('notation OCI layouts through docker-registry (skipped when docker-registry is not installed)', () => {
  let registry: DockerRegistry;
  let client: RegistryClient;

  beforeAll(async () => {
    registry = await startDockerRegistry();
    await pushOciLayout({ baseUrl: registry.url }, 'e2e/valid', layout('e2e-valid-signature'));
    await pushOciLayout({ baseUrl: registry.url }, 'e2e/multiple', layout('e2e-valid-multiple-signatures'));
    client = new RegistryClient({ plainHttp: [registry.host], retries: 0 });
  });
  afterAll(async () => registry?.stop());

  it('resolves v1, lists the signature from the tag index, and fetches the JWS envelope', async () => {
    const subject = await client.resolve(`${registry.host}/e2e/valid:v1`);
    expect(subject).toEqual({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: SUBJECT, size: 517 });
    const referrers: Descriptor[] = [];
    for await (const d of client.referrers(`${registry.host}/e2e/valid`, subject, { artifactType: ARTIFACT_TYPE_NOTATION_SIGNATURE })) referrers.push(d);
    expect(referrers.map((d) => d.digest)).toEqual(['sha256:90ceaff260d657d797c408ac73564a9c7bb9d86055877c2a811f0e63b8c6524f']);
    const signature = await client.fetchManifest(`${registry.host}/e2e/valid`, referrers[0] as Descriptor);
    expect(signature.kind).toBe('manifest');
    const manifest = signature.kind === 'manifest' ? signature.json : undefined;
    expect(manifest?.subject?.digest).toBe(SUBJECT);
    expect(manifest?.layers[0]?.mediaType).toBe(MEDIA_TYPE_JWS_ENVELOPE);
    const envelope = await client.fetchBlob(`${registry.host}/e2e/valid`, manifest?.layers[0] as Descriptor);
    expect(JSON.parse(envelope.toString('utf8'))).toHaveProperty('protected');
  });

  it('lists only what the tag index lists (one of two signatures), as notation does', async () => {
    const subject = await client.resolve(`${registry.host}/e2e/multiple:v1`);
    const referrers: Descriptor[] = [];
    for await (const d of client.referrers(`${registry.host}/e2e/multiple`, subject)) referrers.push(d);
    expect(referrers).toHaveLength(1);
  });
});
