import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, parseReference, staticCredentials } from '../../shared/oci/index.js';
import type { Descriptor, RegistryClientOptions } from '../../shared/oci/index.js';
import { expectAppError } from '../helpers/expect-error.js';
import { dockerRegistryAvailable, startDockerRegistry } from '../helpers/docker-registry.js';
import type { DockerRegistry } from '../helpers/docker-registry.js';
import { pushBlob, pushRandomImage, pushReferrersIndex, pushSignature } from '../helpers/oci-push.js';
import type { PushTarget } from '../helpers/oci-push.js';

// The real distribution 2.8 has no referrers API: every listing here goes through the sha256-<hex> tag fallback.
const available = dockerRegistryAvailable({ needHtpasswd: true });
const SIGNATURE = 'application/vnd.cncf.notary.signature';

describe.skipIf(!available).each([{ auth: undefined }, { auth: 'htpasswd' as const }, { auth: 'token' as const }])(
  'RegistryClient against docker-registry 2.8 (auth: $auth; skipped when docker-registry/htpasswd are not installed)',
  ({ auth }) => {
    let registry: DockerRegistry;
    let target: PushTarget;
    let image: Descriptor;
    let jws: Descriptor;
    let cose: Descriptor;
    let client: RegistryClient;

    beforeAll(async () => {
      registry = await startDockerRegistry(auth ? { auth } : {});
      target = { baseUrl: registry.url, ...(registry.credentials ? { credentials: registry.credentials } : {}) };
      image = await pushRandomImage(target, 'team/app', { tag: 'v1' });
      jws = await pushSignature(target, 'team/app', image, '{"payload":"jws"}', 'application/jose+json');
      cose = await pushSignature(target, 'team/app', image, Buffer.from([0xd2, 0x84]), 'application/cose', { form: 'legacy' });
      await pushReferrersIndex(target, 'team/app', image, [jws, cose]);
      client = newClient();
    });
    afterAll(async () => registry?.stop());

    // The token realm is plain http on loopback too: it must be listed, or the client refuses to send credentials there.
    function plainHosts(): string[] {
      return [registry.host, ...(registry.tokenServer ? [new URL(registry.tokenServer.realm).host] : [])];
    }

    function newClient(extra: RegistryClientOptions = {}): RegistryClient {
      const credentials = registry.credentials ? staticCredentials({ [registry.host]: { kind: 'basic', ...registry.credentials } }) : undefined;
      return new RegistryClient({ plainHttp: plainHosts(), retries: 0, ...(credentials ? { credentials } : {}), ...extra });
    }

    it('resolves a tag and a digest to the pushed descriptor', async () => {
      expect(await client.resolve(`${registry.host}/team/app:v1`)).toEqual(image);
      expect(await client.resolve(`${registry.host}/team/app@${image.digest}`)).toEqual(image);
    });

    it('fetches and parses the manifest, then its layer blob', async () => {
      const fetched = await client.fetchManifest(parseReference(`${registry.host}/team/app:v1`), image);
      expect(fetched.kind).toBe('manifest');
      const manifest = fetched.kind === 'manifest' ? fetched.json : undefined;
      const layer = manifest?.layers[0];
      expect(layer).toBeDefined();
      expect((await client.fetchBlob(`${registry.host}/team/app`, layer as Descriptor)).length).toBe(64);
    });

    it('lists both signature forms through the referrers tag fallback and filters by artifactType', async () => {
      const listed: Descriptor[] = [];
      for await (const d of client.referrers(`${registry.host}/team/app`, image, { artifactType: SIGNATURE })) listed.push(d);
      expect(listed.map((d) => d.digest)).toEqual([jws.digest, cose.digest]);
      const other: Descriptor[] = [];
      for await (const d of client.referrers(`${registry.host}/team/app`, image, { artifactType: 'application/vnd.example.sbom' })) other.push(d);
      expect(other).toEqual([]);
    });

    it('reports no referrers for an image nobody signed', async () => {
      const unsigned = await pushRandomImage(target, 'team/app');
      const listed: Descriptor[] = [];
      for await (const d of client.referrers(`${registry.host}/team/app`, unsigned)) listed.push(d);
      expect(listed).toEqual([]);
    });

    it('proves absence of an unknown digest (verification-failed) and of an unknown blob', async () => {
      const missing = `sha256:${'0'.repeat(64)}`;
      await expectAppError(client.resolve(`${registry.host}/team/app@${missing}`), 'ERR_MANIFEST_NOT_FOUND', 'verification-failed');
      await expectAppError(client.fetchBlob(`${registry.host}/team/app`, { mediaType: 'application/octet-stream', digest: missing, size: 1 }), 'ERR_BLOB_NOT_FOUND', 'verification-failed');
    });

    it('rejects a blob whose descriptor size disagrees with the content', async () => {
      const blob = await pushBlob(target, 'team/app', 'twelve bytes');
      await expectAppError(client.fetchBlob(`${registry.host}/team/app`, { ...blob, size: blob.size + 1 }), 'ERR_SIZE_MISMATCH', 'verification-failed');
    });

    // Defined only in the variants with authentication (a skipped test in the open variant would prove nothing).
    if (auth) {
      it('fails as unauthorized without credentials', async () => {
        const anonymous = new RegistryClient({ plainHttp: plainHosts(), retries: 0 });
        await expectAppError(anonymous.resolve(`${registry.host}/team/app:v1`), auth === 'token' ? 'ERR_TOKEN_REQUEST' : 'ERR_REGISTRY_UNAUTHORIZED', 'inconclusive');
      });
    }
  },
);
