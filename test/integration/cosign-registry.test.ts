import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, silentLogger } from '../../shared/core/index.js';
import { cosignScheme } from '../../shared/cosign/index.js';
import { RegistryClient } from '../../shared/oci/index.js';
import type { Descriptor, RepositoryRef } from '../../shared/oci/index.js';
import type { EvidenceScheme, SchemeResult } from '../../shared/scheme/index.js';
import { dockerRegistryAvailable, startDockerRegistry, type DockerRegistry } from '../helpers/docker-registry.js';
import { pushRandomImage, type PushTarget } from '../helpers/oci-push.js';
import { testEvidenceRegistry } from '../helpers/cosign/evidence-registry.js';
import { legacyAnnotations, pushBundleReferrer, pushSigImage, signStatement, simpleSigningPayload } from '../helpers/cosign/oci.js';
import { bundleJson, createSigstoreWorld, type SigstoreWorld } from '../helpers/cosign/sigstore-world.js';

// Real docker-registry 2.8 (no referrers API: bundle referrers are found through the sha256-<hex> tag index),
// a private Sigstore (mock Fulcio/Rekor/TSA from @sigstore/mock, bundles assembled by @sigstore/sign).
const available = dockerRegistryAvailable();
const REPO = 'team/app';
const GOOD = { subject: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com' };

describe.skipIf(!available)('cosign scheme against docker-registry 2.8 (skipped when docker-registry is not installed)', () => {
  let registry: DockerRegistry;
  let target: PushTarget;
  let client: RegistryClient;
  let repository: RepositoryRef;
  let world: SigstoreWorld;
  let otherWorld: SigstoreWorld;
  let lateWorld: SigstoreWorld;
  let dir: string;
  let scheme: EvidenceScheme;
  let releaseKey: { publicKey: KeyObject; privateKey: KeyObject };
  let otherKey: { publicKey: KeyObject; privateKey: KeyObject };

  beforeAll(async () => {
    registry = await startDockerRegistry();
    target = { baseUrl: registry.url };
    client = new RegistryClient({ plainHttp: [registry.host], retries: 0 });
    repository = { registry: registry.host, repository: REPO };
    // The mock CA's root is valid from "now": sign a minute later so every certificate sits inside it.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_000);
    world = await createSigstoreWorld(at);
    otherWorld = await createSigstoreWorld(at);
    lateWorld = await createSigstoreWorld(new Date(at.getTime() + 20 * 60_000));
    releaseKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    dir = await mkdtemp(join(tmpdir(), 'trustgate-cosign-'));
    await writeFile(join(dir, 'trusted_root.json'), world.trustedRootJson);
    await writeFile(join(dir, 'release.pub'), releaseKey.publicKey.export({ type: 'spki', format: 'pem' }));
    scheme = await cosignScheme.create(
      {
        trustRoots: {
          release: { publicKey: { file: 'release.pub' } },
          'release-logged': { publicKey: { file: 'release.pub' }, trustedRoot: { file: 'trusted_root.json' }, tlog: { threshold: 1 } },
          github: { keyless: { trustedRoot: { file: 'trusted_root.json' }, identities: [{ issuer: GOOD.issuer, subjectRegExp: 'https://github\\.com/acme/.+' }] } },
        },
      },
      { clock: fixedClock(at), logger: silentLogger, fetch: () => Promise.reject(new Error('no network')), baseDir: dir },
    );
  });
  afterAll(async () => {
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function verify(subject: Descriptor, trustRoots: string[] = []): Promise<SchemeResult> {
    const registryView = testEvidenceRegistry({ client, repository, subject });
    return scheme.verify({ repository, subject, trustRoots, at: world.at, signal: new AbortController().signal, registry: registryView });
  }

  const reference = () => `${registry.host}/${REPO}`;

  it('accepts a keyless .sig signature (Fulcio chain, identity, Rekor SET)', async () => {
    const image = await pushRandomImage(target, REPO);
    const payload = simpleSigningPayload(image.digest, reference());
    const bundle = await world.signKeyless({ kind: 'message', data: payload }, GOOD);
    await pushSigImage(target, REPO, image, [{ payload, annotations: legacyAnnotations(bundle) }]);
    const result = await verify(image);
    expect(result.unreachable).toEqual([]);
    expect(result.outcomes).toHaveLength(1);
    const [outcome] = result.outcomes;
    expect(outcome).toMatchObject({ scheme: 'cosign', ok: true, trustRoot: 'github', signer: { subject: GOOD.subject, issuer: GOOD.issuer }, signedAt: world.at.toISOString() });
  });

  it('accepts a keyless bundle referrer (DSSE in-toto)', async () => {
    const image = await pushRandomImage(target, REPO);
    const bundle = await world.signKeyless({ kind: 'dsse', data: signStatement(image.digest, reference()) }, GOOD);
    const referrer = await pushBundleReferrer(target, REPO, image, bundleJson(bundle));
    const result = await verify(image);
    expect(result.outcomes).toHaveLength(1);
    expect(result.outcomes[0], JSON.stringify(result.outcomes[0])).toMatchObject({ ok: true, evidence: referrer.digest, trustRoot: "github" });
  });

  it('accepts a keyed .sig signature', async () => {
    const image = await pushRandomImage(target, REPO);
    const payload = simpleSigningPayload(image.digest, reference());
    await pushSigImage(target, REPO, image, [{ payload, annotations: { 'dev.cosignproject.cosign/signature': nodeSign('sha256', payload, releaseKey.privateKey).toString('base64') } }]);
    const result = await verify(image, ['release']);
    expect(result.outcomes[0]).toMatchObject({ ok: true, trustRoot: 'release' });
    void otherKey; void otherWorld; void lateWorld;
  });
});
