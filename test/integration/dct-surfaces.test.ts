import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdmissionDeps, makeAdmissionHandler } from '../../functions/admission.js';
import { makeMutateHandler } from '../../functions/mutate.js';
import type { AdmissionReviewResponse } from '../../shared/admission/index.js';
import { allFunctions } from '../../functions/all.js';
import { fixedClock, silentLogger, type Clock } from '../../shared/core/index.js';
import { createServices, loadSettings, setServices } from '../../shared/config/index.js';
import { startLocalHost, type LocalHost } from '../../host/server.js';
import type { Descriptor } from '../../shared/oci/index.js';
import type { Verdict } from '../../shared/verdict/index.js';
import { dockerRegistryAvailable, startDockerRegistry, type DockerRegistry } from '../helpers/docker-registry.js';
import { freePort } from '../helpers/child-process.js';
import { createNotaryClient, type NotaryClient } from '../helpers/notary-client.js';
import { notaryAvailable, startNotaryServer, type NotaryServer } from '../helpers/notary-server.js';
import { getManifest, pushRandomImage } from '../helpers/oci-push.js';
import { createCa } from '../helpers/pki/index.js';
import { askEverySurface, patchedImages, type SurfaceAnswers } from '../helpers/surfaces.js';
import { loadReview, withImages } from '../unit/admission/reviews.js';

const KEY = 'dct-surfaces-key-0123456789abcdefghijklmn';

interface Image {
  reference: string;
  descriptor: Descriptor;
}

/**
 * Docker Content Trust through every surface of a deployment configured only by settings: a DCT-only verification
 * policy (`schemes.dct` with a pinned root key) next to a Notation trust policy that covers another registry.
 * Real docker-registry, real notary-server, tags signed by the real `notary` client as `docker trust sign` does.
 */
describe.skipIf(!(dockerRegistryAvailable() && notaryAvailable()))('Docker Content Trust through every surface (notary-server, docker-registry, local host)', () => {
  let registry: DockerRegistry;
  let server: NotaryServer;
  let client: NotaryClient;
  let dir: string;
  let host: LocalHost;
  let clock: Clock;
  let env: Record<string, string>;
  const images: Record<string, Image> = {};

  async function push(repository: string, tag: string, sign: boolean): Promise<Image> {
    const descriptor = await pushRandomImage({ baseUrl: registry.url }, repository, { tag });
    if (sign) {
      const manifest = await getManifest({ baseUrl: registry.url }, repository, descriptor.digest);
      if (!manifest) throw new Error('pushed manifest vanished');
      await client.sign(`${registry.host}/${repository}`, tag, manifest.bytes);
    }
    return { reference: `${registry.host}/${repository}:${tag}`, descriptor };
  }

  beforeAll(async () => {
    [registry, server] = await Promise.all([startDockerRegistry(), startNotaryServer()]);
    client = await createNotaryClient(server.url);
    await client.init(`${registry.host}/team/app`);
    await client.init(`${registry.host}/offline/app`);
    const rootKeyId = await client.rootKeyId();
    clock = fixedClock(new Date());
    dir = await mkdtemp(join(tmpdir(), 'trustgate-dct-surfaces-'));
    const closed = `http://127.0.0.1:${await freePort()}`; // a trust server that is down: nothing listens there
    await writeFile(join(dir, 'trustpolicy.json'), JSON.stringify({
      version: '1.0',
      trustPolicies: [{ name: 'elsewhere', registryScopes: ['myacr.azurecr.io/notation-only'], signatureVerification: { level: 'strict' }, trustStores: ['ca:elsewhere'], trustedIdentities: ['*'] }],
    }));
    await mkdir(join(dir, 'truststore', 'x509', 'ca', 'elsewhere'), { recursive: true });
    await writeFile(join(dir, 'truststore', 'x509', 'ca', 'elsewhere', 'root.pem'), createCa({ name: 'CN=Elsewhere Root, O=Notary Test, C=US' }).pem);
    await writeFile(join(dir, 'verification-policy.json'), JSON.stringify({
      version: '1',
      schemes: {
        dct: {
          trustRoots: {
            team: { rootKeys: [rootKeyId], repositories: [`${registry.host}/team/*`] },
            offline: { rootKeys: [rootKeyId], repositories: [`${registry.host}/offline/*`], server: closed },
          },
          servers: { [registry.host]: server.url },
          timeoutMs: 3000,
        },
      },
      policies: [
        { name: 'team-dct', registryScopes: [`${registry.host}/team/*`], require: { anyOf: ['dct:team'] } },
        { name: 'offline-dct', registryScopes: [`${registry.host}/offline/*`], require: { anyOf: ['dct:offline'] } },
      ],
    }));
    env = {
      TRUSTGATE_TRUST_POLICY: join(dir, 'trustpolicy.json'),
      TRUSTGATE_TRUST_STORE: join(dir, 'truststore'),
      TRUSTGATE_VERIFICATION_POLICY: join(dir, 'verification-policy.json'),
      TRUSTGATE_PLAIN_HTTP: registry.host,
      TRUSTGATE_ADMISSION_KEY: KEY,
      TRUSTGATE_TAG_CACHE_S: '0',
      TRUSTGATE_LOG_LEVEL: 'error',
    };
    images.signed = await push('team/app', 'v1', true);
    images.unsigned = await push('team/app', 'unsigned', false);
    images.offline = await push('offline/app', 'v1', false);
    setServices(await createServices(loadSettings(env), { clock, logger: silentLogger }));
    host = await startLocalHost({ definitions: allFunctions, logger: silentLogger, port: 0 });
  });
  afterAll(async () => {
    setServices(undefined);
    await host?.close();
    await client?.cleanup();
    await Promise.all([server?.stop(), registry?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const ask = (which: string) => askEverySurface({ url: host.url, key: KEY, env, clock }, (images[which] as Image).reference);
  const codes = (verdict: Verdict) => verdict.reasons.map((r) => r.code);

  it('a DCT-signed tag is allowed everywhere, pinned to the signed digest; the Ratify report is the dct verifier\'s', async () => {
    const { reference, descriptor } = images.signed as Image;
    const answers = await ask('signed');
    expect(answers.rest.decision, JSON.stringify(answers.rest.reasons)).toBe('allow');
    expect(answers.rest.evidence).toEqual([expect.objectContaining({ scheme: 'dct', ok: true, trustRoot: 'team', evidence: 'targets:v1', details: expect.objectContaining({ targetDigest: descriptor.digest }) })]);
    expect(answers.cli.code).toBe(0);
    expect((JSON.parse(answers.cli.stdout) as Verdict).subject.digest).toBe(descriptor.digest);
    expect(answers.validate.allowed).toBe(true);
    expect(answers.mutate.allowed).toBe(true);
    const pinned = patchedImages(answers.mutate);
    expect(pinned.length).toBeGreaterThan(0);
    for (const value of pinned) expect(value).toBe(`${reference}@${descriptor.digest}`);
    expect(answers.gatekeeper).toMatchObject({ isSuccess: true, trustgate: { decision: 'allow', digest: descriptor.digest } });
    expect(answers.gatekeeperMutate).toEqual({ key: reference, value: `${reference}@${descriptor.digest}` });
    expect(answers.gatekeeper.verifierReports).toEqual([expect.objectContaining({ name: 'trustgate-dct', verifierType: 'dct', isSuccess: true, extensions: expect.objectContaining({ trustRoot: 'team' }) })]);
  });

  it('an unsigned tag is denied everywhere with the DCT code; nothing is pinned', async () => {
    const { reference } = images.unsigned as Image;
    const answers = await ask('unsigned');
    expect(answers.rest.decision).toBe('deny');
    expect(answers.rest.evidence).toEqual([expect.objectContaining({ scheme: 'dct', ok: false, error: expect.objectContaining({ code: 'ERR_DCT_UNSIGNED' }) })]);
    expect(answers.cli.code).toBe(1);
    expect(codes(JSON.parse(answers.cli.stdout) as Verdict)).toEqual(codes(answers.rest));
    for (const response of [answers.validate, answers.mutate]) {
      expect(response.allowed).toBe(false);
      expect(response.status?.message).toContain(reference);
      expect(response.status?.message).toContain('ERR_DCT_UNSIGNED');
    }
    expect(answers.mutate.patch).toBeUndefined();
    expect(answers.gatekeeperMutate.error).toContain('ERR_DCT_UNSIGNED');
    expect(answers.gatekeeper.isSuccess).toBe(false);
    expect(answers.gatekeeper.verifierReports).toEqual([expect.objectContaining({ name: 'trustgate-dct', isSuccess: false, message: expect.stringContaining('ERR_DCT_UNSIGNED') })]);
  });

  describe('the trust server is down', () => {
    function expectInconclusive(answers: SurfaceAnswers) {
      expect(answers.rest.decision).toBe('inconclusive');
      expect(codes(answers.rest)).toContain('ERR_DCT_UNREACHABLE');
      expect(answers.rest.evidence).toEqual([]); // never a failed outcome: nothing was proven
      expect(answers.cli.code).toBe(3);
      expect(codes(JSON.parse(answers.cli.stdout) as Verdict)).toContain('ERR_DCT_UNREACHABLE');
      // Gatekeeper: an error item, so the constraint's own failure policy decides (never a Ratify success).
      expect(answers.gatekeeperItem.value).toBeUndefined();
      expect(answers.gatekeeperItem.error).toContain('ERR_DCT_UNREACHABLE');
      expect(answers.gatekeeperMutate.value).toBeUndefined(); // nothing to pin to
      expect(answers.gatekeeperMutate.error).toContain('ERR_DCT_UNREACHABLE');
      expect(answers.mutate.patch).toBeUndefined();
    }

    it('inconclusive everywhere; admission answers its configured failure decision (default: deny)', async () => {
      const answers = await ask('offline');
      expectInconclusive(answers);
      for (const response of [answers.validate, answers.mutate]) {
        expect(response.allowed).toBe(false);
        expect(response.status?.message).toContain('ERR_DCT_UNREACHABLE');
      }
    });

    it('with TRUSTGATE_ADMISSION_ON_INCONCLUSIVE=allow, the webhooks admit it with a warning, still unpinned', async () => {
      // A second deployment's handlers (the local host builds its handlers once per process), same composition root.
      const failOpen = await createServices(loadSettings({ ...env, TRUSTGATE_ADMISSION_ON_INCONCLUSIVE: 'allow' }), { clock, logger: silentLogger });
      const deps = await loadAdmissionDeps(() => Promise.resolve(failOpen));
      const { reference } = images.offline as Image;
      const call = async (handler: ReturnType<typeof makeMutateHandler>, kind: string) => {
        const request = new HttpRequest({ method: 'POST', url: `http://localhost/api/v1/admission/${kind}/${KEY}?timeout=10s`, params: { key: KEY }, headers: { 'content-type': 'application/json' }, body: { string: JSON.stringify(withImages(loadReview('deployment'), () => reference)) } });
        const response = (await handler(request, new InvocationContext())) as HttpResponseInit;
        expect(response.status).toBe(200);
        return (response.jsonBody as AdmissionReviewResponse).response;
      };
      for (const response of [await call(makeAdmissionHandler(deps), 'validate'), await call(makeMutateHandler(deps), 'mutate')]) {
        expect(response.allowed).toBe(true);
        expect(JSON.stringify(response.warnings ?? [])).toContain('ERR_DCT_UNREACHABLE');
        expect(response.patch).toBeUndefined();
      }
      expect((await failOpen.verification.verify(reference)).decision).toBe('inconclusive');
    });
  });
});
