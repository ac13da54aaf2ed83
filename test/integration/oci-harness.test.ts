import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerRegistryAvailable, startDockerRegistry } from '../helpers/docker-registry.js';
import type { DockerRegistry } from '../helpers/docker-registry.js';
import { getManifest, pushRandomImage, pushReferrersIndex, pushSignature, referrersTag } from '../helpers/oci-push.js';
import type { PushTarget } from '../helpers/oci-push.js';

// The harnesses other suites build on: they must push a signed image into a real docker-registry in every auth mode.
const available = dockerRegistryAvailable({ needHtpasswd: true });

describe.skipIf(!available).each([{ auth: undefined }, { auth: 'htpasswd' as const }, { auth: 'token' as const }])(
  'docker-registry harness (auth: $auth; skipped when docker-registry/htpasswd are not installed)',
  ({ auth }) => {
    let registry: DockerRegistry;
    let target: PushTarget;

    beforeAll(async () => {
      registry = await startDockerRegistry(auth ? { auth } : {});
      target = { baseUrl: registry.url, ...(registry.credentials ? { credentials: registry.credentials } : {}) };
    });
    afterAll(async () => registry?.stop());

    it('refuses anonymous pulls only when auth is configured', async () => {
      const response = await fetch(`${registry.url}/v2/`);
      expect(response.status).toBe(auth ? 401 : 200);
    });

    it('pushes an image, a signature and a merged referrers index', async () => {
      const image = await pushRandomImage(target, 'team/app', { tag: 'v1' });
      const first = await pushSignature(target, 'team/app', image, '{"jws":1}', 'application/jose+json');
      const second = await pushSignature(target, 'team/app', image, 'cose-bytes', 'application/cose', { form: 'legacy' });
      await pushReferrersIndex(target, 'team/app', image, [first]);
      await pushReferrersIndex(target, 'team/app', image, [second]);

      const index = await getManifest(target, 'team/app', referrersTag(image.digest));
      const listed = (index?.json as { manifests: Array<{ digest: string; artifactType?: string }> }).manifests;
      expect(listed.map((d) => d.digest)).toEqual([first.digest, second.digest]);
      expect(listed.every((d) => d.artifactType === 'application/vnd.cncf.notary.signature')).toBe(true);
      const signature = await getManifest(target, 'team/app', first.digest);
      expect(signature?.json).toMatchObject({ artifactType: 'application/vnd.cncf.notary.signature', subject: { digest: image.digest } });
    });
  },
);
