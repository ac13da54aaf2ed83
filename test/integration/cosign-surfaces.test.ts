import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFunctions } from '../../functions/all.js';
import { fixedClock, silentLogger, type Clock } from '../../shared/core/index.js';
import { createServices, loadSettings, setServices } from '../../shared/config/index.js';
import { startLocalHost, type LocalHost } from '../../host/server.js';
import type { Descriptor } from '../../shared/oci/index.js';
import type { Verdict } from '../../shared/verdict/index.js';
import { startAzurite, type LocalAzurite } from '../helpers/azurite.js';
import { dockerRegistryAvailable } from '../helpers/docker-registry.js';
import { pushBlob, pushManifest, pushRandomImage, sha256Digest } from '../helpers/oci-push.js';
import { pushBundleReferrer, pushSigImage, signStatement, simpleSigningPayload } from '../helpers/cosign/oci.js';
import { bundleJson, createSigstoreWorld, type SigstoreWorld } from '../helpers/cosign/sigstore-world.js';
import { startSignedRegistry, type SignedRegistry } from '../helpers/signed-registry.js';
import { askEverySurface, deliverEvents, imagePushedEvent, patchedImages, type SurfaceAnswers } from '../helpers/surfaces.js';

const KEY = 'cosign-surfaces-key-0123456789abcdefghij';
const GITHUB = { subject: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com' };
const LEAF = 'x509.subject: CN=Trustgate E2E Leaf, O=Notary Test, L=Seattle, ST=WA, C=US';

interface Case {
  reference: string;
  descriptor: Descriptor;
}

/**
 * cosign-signed images (keyed `.sig`, keyless bundle referrer), an unsigned and a wrongly signed one, and images
 * carrying Notary and cosign signatures under anyOf / allOf / atLeast-2 policies, asked of every surface of one
 * deployment configured only through settings (TRUSTGATE_VERIFICATION_POLICY with a `schemes.cosign` section).
 * Real docker-registry, Azurite Table for stored verdicts, a private Sigstore (@sigstore/mock) for keyless bundles.
 */
describe.skipIf(!dockerRegistryAvailable())('cosign through every surface (real docker-registry, local host)', () => {
  let fixture: SignedRegistry;
  let azurite: LocalAzurite;
  let host: LocalHost;
  let world: SigstoreWorld;
  let clock: Clock;
  let env: Record<string, string>;
  let release: { publicKey: KeyObject; privateKey: KeyObject };
  const images: Record<string, Case> = {};

  const name = (repository: string) => `${fixture.registry.host}/${repository}`;

  async function keyedSig(repository: string, image: Descriptor, key: KeyObject): Promise<Descriptor> {
    const payload = simpleSigningPayload(image.digest, name(repository));
    return pushSigImage(fixture.target, repository, image, [{ payload, annotations: { 'dev.cosignproject.cosign/signature': nodeSign('sha256', payload, key).toString('base64') } }]);
  }
  async function keylessBundle(repository: string, image: Descriptor): Promise<Descriptor> {
    const bundle = await world.signKeyless({ kind: 'dsse', data: signStatement(image.digest, name(repository)) }, GITHUB);
    return pushBundleReferrer(fixture.target, repository, image, bundleJson(bundle));
  }
  async function image(repository: string, tag: string, sign: (d: Descriptor) => Promise<unknown> = async () => undefined): Promise<Case> {
    const descriptor = await pushRandomImage(fixture.target, repository, { tag });
    await sign(descriptor);
    return { reference: `${name(repository)}:${tag}`, descriptor };
  }

  beforeAll(async () => {
    fixture = await startSignedRegistry();
    azurite = await startAzurite();
    // The mock Fulcio root is valid from the wall clock: sign a minute later; the Notary test PKI is valid then too.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_000);
    world = await createSigstoreWorld(at);
    clock = fixedClock(at);
    release = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const { dir } = fixture;
    await writeFile(join(dir, 'trusted_root.json'), world.trustedRootJson);
    await writeFile(join(dir, 'release.pub'), release.publicKey.export({ type: 'spki', format: 'pem' }));
    const trustPolicy = join(dir, 'notation-policy.json');
    await writeFile(trustPolicy, JSON.stringify({
      version: '1.0',
      trustPolicies: [{ name: 'notation-e2e', registryScopes: ['both-any', 'both-all', 'both-two'].map(name), signatureVerification: { level: 'strict' }, trustStores: ['ca:e2e'], trustedIdentities: [LEAF] }],
    }));
    const verificationPolicy = join(dir, 'verification-policy.json');
    await writeFile(verificationPolicy, JSON.stringify({
      version: '1',
      schemes: {
        cosign: {
          trustRoots: {
            release: { publicKey: { file: 'release.pub' } },
            github: { keyless: { trustedRoot: { file: 'trusted_root.json' }, identities: [{ issuer: GITHUB.issuer, subjectRegExp: 'https://github\\.com/acme/.+' }] } },
          },
        },
      },
      policies: [
        { name: 'cosign-apps', registryScopes: [`${name('cosign')}/*`], require: { anyOf: ['cosign'] } },
        { name: 'either', registryScopes: [name('both-any')], require: { anyOf: ['notary', 'cosign:release'] } },
        { name: 'both', registryScopes: [name('both-all')], require: { allOf: ['notary', 'cosign:release'] } },
        { name: 'two-of-three', registryScopes: [name('both-two')], require: { atLeast: 2, of: ['notary', 'cosign:release', 'cosign:github'] } },
      ],
    }));
    env = fixture.env({
      TRUSTGATE_TRUST_POLICY: trustPolicy,
      TRUSTGATE_VERIFICATION_POLICY: verificationPolicy,
      TRUSTGATE_ADMISSION_KEY: KEY,
      TRUSTGATE_TABLE_CONNECTION_STRING: azurite.connectionString,
      TRUSTGATE_TAG_CACHE_S: '0',
    });

    images.keyed = await image('cosign/app', 'keyed', (d) => keyedSig('cosign/app', d, release.privateKey));
    images.keyless = await image('cosign/app', 'keyless', (d) => keylessBundle('cosign/app', d));
    images.unsigned = await image('cosign/app', 'unsigned');
    images.wrong = await image('cosign/app', 'wrong', (d) => keyedSig('cosign/app', d, stranger.privateKey));
    const both = (repository: string) => async (d: Descriptor) => {
      await fixture.sign(repository, d);
      await keyedSig(repository, d, release.privateKey);
    };
    for (const repository of ['both-any', 'both-all', 'both-two']) images[repository] = await image(repository, 'v1', both(repository));
    images.notaryOnlyAll = await image('both-all', 'notary-only', (d) => fixture.sign('both-all', d));
    images.cosignOnlyAny = await image('both-any', 'cosign-only', (d) => keyedSig('both-any', d, release.privateKey));
    images.cosignOnlyTwo = await image('both-two', 'cosign-only', (d) => keyedSig('both-two', d, release.privateKey));
    images.keylessOnlyTwo = await image('both-two', 'keyless-only', async (d) => {
      await keylessBundle('both-two', d);
    });

    setServices(await createServices(loadSettings(env), { clock, logger: silentLogger }));
    host = await startLocalHost({ definitions: allFunctions, logger: silentLogger, port: 0 });
  });
  afterAll(async () => {
    setServices(undefined);
    await host?.close();
    await azurite?.stop();
    await fixture?.stop();
  });

  const ask = (which: string) => askEverySurface({ url: host.url, key: KEY, env, clock }, (images[which] as Case).reference);

  /** Every surface says allow, the mutator pins the verified digest, and the Ratify report names what accepted it. */
  function expectAllowed(answers: SurfaceAnswers, which: string) {
    const { reference, descriptor } = images[which] as Case;
    expect(answers.rest.decision, JSON.stringify(answers.rest.reasons)).toBe('allow');
    expect(answers.rest.subject.digest).toBe(descriptor.digest);
    expect(answers.cli.code).toBe(0);
    expect((JSON.parse(answers.cli.stdout) as Verdict).decision).toBe('allow');
    expect(answers.validate.allowed).toBe(true);
    expect(answers.mutate.allowed).toBe(true);
    const pinned = patchedImages(answers.mutate);
    expect(pinned.length).toBeGreaterThan(0);
    for (const value of pinned) expect(value).toBe(`${reference}@${descriptor.digest}`);
    expect(answers.gatekeeper.isSuccess).toBe(true);
    expect(answers.gatekeeper.trustgate).toMatchObject({ decision: 'allow', digest: descriptor.digest });
    expect(answers.gatekeeperMutate).toEqual({ key: reference, value: `${reference}@${descriptor.digest}` });
  }

  /** Every surface refuses, each naming the same reason code; nothing is pinned. */
  function expectDenied(answers: SurfaceAnswers, which: string, code: string) {
    const { reference } = images[which] as Case;
    expect(answers.rest.decision).toBe('deny');
    expect(answers.rest.reasons.map((r) => r.code)).toContain(code);
    expect(answers.cli.code).toBe(1);
    expect((JSON.parse(answers.cli.stdout) as Verdict).reasons.map((r) => r.code)).toContain(code);
    for (const response of [answers.validate, answers.mutate]) {
      expect(response.allowed).toBe(false);
      expect(response.status?.message).toContain(reference);
      expect(response.status?.message).toContain(code);
    }
    expect(answers.mutate.patch).toBeUndefined();
    expect(answers.gatekeeperMutate.value).toBeUndefined();
    expect(answers.gatekeeperMutate.error).toContain(code);
    expect(answers.gatekeeper.isSuccess).toBe(false);
    expect(answers.gatekeeper.trustgate.reasons.map((r) => r.code)).toContain(code);
    // Gatekeeper templates deny on isSuccess; an accepted piece of evidence may still be reported (allOf, atLeast).
    expect(answers.gatekeeper.verifierReports.length).toBeGreaterThan(0);
  }

  describe('cosign alone', () => {
    it('a keyed .sig signature is allowed everywhere; the Ratify report is the cosign verifier\'s, naming the key root', async () => {
      const answers = await ask('keyed');
      expectAllowed(answers, 'keyed');
      expect(answers.rest.evidence).toEqual([expect.objectContaining({ scheme: 'cosign', ok: true, trustRoot: 'release' })]);
      expect(answers.gatekeeper.verifierReports).toEqual([expect.objectContaining({ name: 'trustgate-cosign', verifierType: 'cosign', isSuccess: true, extensions: expect.objectContaining({ trustRoot: 'release' }) })]);
    });

    it('a keyless bundle referrer (trusted_root.json from a file) is allowed everywhere, with the Fulcio identity as signer', async () => {
      const answers = await ask('keyless');
      expectAllowed(answers, 'keyless');
      expect(answers.rest.evidence).toEqual([expect.objectContaining({ scheme: 'cosign', ok: true, trustRoot: 'github', signer: expect.objectContaining({ subject: GITHUB.subject, issuer: GITHUB.issuer }) })]);
      expect(answers.gatekeeper.verifierReports[0]).toMatchObject({ name: 'trustgate-cosign', isSuccess: true, extensions: { SN: GITHUB.subject, Issuer: GITHUB.issuer } });
    });

    it('an unsigned image is denied everywhere with ERR_NO_SIGNATURE; the Ratify report is trustgate\'s own, not notation\'s', async () => {
      const answers = await ask('unsigned');
      expectDenied(answers, 'unsigned', 'ERR_NO_SIGNATURE');
      expect(answers.gatekeeper.verifierReports).toEqual([expect.objectContaining({ name: 'trustgate', verifierType: 'trustgate', isSuccess: false })]);
    });

    it('a signature by another key is denied everywhere with the signature failure', async () => {
      const answers = await ask('wrong');
      expectDenied(answers, 'wrong', 'ERR_SIGNATURE_VERIFICATION_FAILED');
      expect(answers.gatekeeper.verifierReports.every((r) => !r.isSuccess)).toBe(true);
      expect(answers.rest.evidence).toEqual([expect.objectContaining({ scheme: 'cosign', ok: false, error: expect.objectContaining({ code: 'ERR_COSIGN_SIGNATURE' }) })]);
      expect(answers.validate.status?.message).toContain('ERR_COSIGN_SIGNATURE');
      expect(answers.gatekeeper.verifierReports[0]).toMatchObject({ name: 'trustgate-cosign', isSuccess: false, message: expect.stringContaining('ERR_COSIGN_SIGNATURE') });
    });
  });

  describe('Notary and cosign signatures under one verification policy', () => {
    it.each(['both-any', 'both-all', 'both-two'])('an image with both signatures is allowed by %s everywhere, both kinds reported', async (which) => {
      const answers = await ask(which);
      expectAllowed(answers, which);
      expect(answers.rest.evidence.map((e) => [e.scheme, e.ok]).sort()).toEqual([['cosign', true], ['notary', true]]);
      expect(answers.gatekeeper.verifierReports.map((r) => r.name).sort()).toEqual(['trustgate-cosign', 'trustgate-notation']);
    });

    it('anyOf: a cosign signature alone is enough', async () => {
      expectAllowed(await ask('cosignOnlyAny'), 'cosignOnlyAny');
    });

    it('allOf: a Notary signature alone is denied everywhere, naming the missing cosign requirement', async () => {
      const answers = await ask('notaryOnlyAll');
      expectDenied(answers, 'notaryOnlyAll', 'ERR_NO_SIGNATURE');
      const messages = answers.rest.reasons.map((r) => r.message).join('\n');
      expect(messages).toContain('no cosign signature found');
      expect(messages).toContain('allOf [notary, cosign:release] not met');
      expect(answers.validate.status?.message).toContain('no cosign signature found');
      // The accepted Notary signature is still reported; the refusal is the verdict's.
      expect(answers.gatekeeper.verifierReports.some((r) => r.name === 'trustgate-notation' && r.isSuccess)).toBe(true);
    });

    it('atLeast 2: one cosign signature is not enough; a keyless bundle alone is not either', async () => {
      expectDenied(await ask('cosignOnlyTwo'), 'cosignOnlyTwo', 'ERR_NO_SIGNATURE');
      const keyless = await ask('keylessOnlyTwo');
      expectDenied(keyless, 'keylessOnlyTwo', 'ERR_NO_SIGNATURE');
      expect(keyless.rest.reasons.map((r) => r.message).join('\n')).toContain('at least 2 of [notary, cosign:release, cosign:github] not met');
    });
  });

  describe('push events (Event Grid → acrEvents → stored verdict)', () => {
    const stored = async (subject: string) => {
      const response = await fetch(`${host.url}/api/v1/verdicts?subject=${encodeURIComponent(subject)}`);
      return { status: response.status, body: (await response.json()) as { verdict: Verdict; source: string } };
    };
    /** Pushes an image's manifest (blobs first) and delivers its ImagePushed event; returns the pinned subject. */
    async function pushAndNotify(repository: string, tag: string) {
      const config = await pushBlob(fixture.target, repository, JSON.stringify({ architecture: 'amd64', os: 'linux', nonce: Math.random() }), 'application/vnd.oci.image.config.v1+json');
      const layer = await pushBlob(fixture.target, repository, `layer ${Math.random()}`, 'application/vnd.oci.image.layer.v1.tar');
      const manifest = { schemaVersion: 2 as const, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] };
      const descriptor = await pushManifest(fixture.target, repository, manifest, { tag });
      expect(descriptor.digest).toBe(sha256Digest(JSON.stringify(manifest)));
      expect(await deliverEvents(host.url, [imagePushedEvent({ host: fixture.registry.host, repository, digest: descriptor.digest, tag })])).toBe(200);
      return { descriptor, pinned: `${name(repository)}@${descriptor.digest}` };
    }

    it('signed images pushed with their signatures are stored with the same decision the other surfaces give', async () => {
      for (const which of ['keyed', 'keyless', 'unsigned', 'wrong', 'both-all', 'notaryOnlyAll']) {
        const { reference, descriptor } = images[which] as Case;
        const repository = reference.slice(fixture.registry.host.length + 1, reference.lastIndexOf(':'));
        expect(await deliverEvents(host.url, [imagePushedEvent({ host: fixture.registry.host, repository, digest: descriptor.digest })])).toBe(200);
        const expected = (await ask(which)).rest.decision;
        const { status, body } = await stored(`${name(repository)}@${descriptor.digest}`);
        expect([which, status, body.verdict.decision, body.source]).toEqual([which, 200, expected, 'push']);
      }
    });

    it('a cosign .sig pushed after its image re-verifies the image: unsigned → allow', async () => {
      const { descriptor, pinned } = await pushAndNotify('cosign/late', 'v1');
      expect((await stored(pinned)).body.verdict.decision).toBe('deny');
      const sig = await keyedSig('cosign/late', descriptor, release.privateKey);
      const sigTag = `${descriptor.digest.replace(':', '-')}.sig`;
      expect(await deliverEvents(host.url, [imagePushedEvent({ host: fixture.registry.host, repository: 'cosign/late', digest: sig.digest, tag: sigTag })])).toBe(200);
      const after = await stored(pinned);
      expect([after.body.verdict.decision, after.body.source]).toEqual(['allow', 'push']);
      // The .sig image is evidence, not a workload: no verdict is stored for it.
      expect((await stored(`${name('cosign/late')}@${sig.digest}`)).status).toBe(404);
    });

    it('a Sigstore bundle referrer pushed after its image re-verifies the image: unsigned → allow', async () => {
      const { descriptor, pinned } = await pushAndNotify('cosign/late-bundle', 'v1');
      expect((await stored(pinned)).body.verdict.decision).toBe('deny');
      const referrer = await keylessBundle('cosign/late-bundle', descriptor);
      expect(await deliverEvents(host.url, [imagePushedEvent({ host: fixture.registry.host, repository: 'cosign/late-bundle', digest: referrer.digest })])).toBe(200);
      expect((await stored(pinned)).body.verdict.decision).toBe('allow');
      expect((await stored(`${name('cosign/late-bundle')}@${referrer.digest}`)).status).toBe(404);
    });
  });
});
