import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Descriptor } from '../shared/oci/index.js';
import { startDockerRegistry, type DockerRegistry } from '../test/helpers/docker-registry.js';
import { NOTARY_SIGNATURE, OCI_EMPTY, OCI_INDEX, OCI_MANIFEST, pushBlob, pushManifest, referrersTag, type PushTarget } from '../test/helpers/oci-push.js';
import { createChain, PKI_NOW, type TestChain } from '../test/helpers/pki/index.js';
import { signJws } from '../test/helpers/signer/index.js';
import { mapConcurrent } from './stats.js';

/** One distinct signed image: its own config (so its own digest) and its own JWS signature over that digest. */
export interface BenchImage {
  tag: string;
  descriptor: Descriptor;
  /** `host/repo:tag`. */
  reference: string;
  /** `host/repo@sha256:…`. */
  pinned: string;
}

export interface BenchFixture {
  registry: DockerRegistry;
  repository: string;
  chain: TestChain;
  images: BenchImage[];
  /** The instant the test PKI is valid at: the services' fixed clock. */
  now: Date;
  /** TRUSTGATE_* settings pointing at this registry, trust policy and Notation-layout trust store. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const REPOSITORY = 'bench/app';
const LEAF_SUBJECT = 'CN=Trustgate Bench Leaf, O=Notary Test, L=Seattle, ST=WA, C=US';

/**
 * Starts docker-registry on loopback and pushes `count` signed images the way notation stores them on a registry without
 * the referrers API: image manifest, signature manifest (subject = image, layer = JWS envelope), `sha256-<hex>` index.
 * The layer blob and the empty config are shared (content-addressed, as in real registries); everything that names the
 * image is per image. RSA-2048 chain (root → intermediate → leaf), PS256 signatures.
 */
export async function startBenchFixture(count: number, pushConcurrency = 8): Promise<BenchFixture> {
  const registry = await startDockerRegistry();
  const target: PushTarget = { baseUrl: registry.url };
  const chain = createChain({ prefix: 'Trustgate Bench' });
  const dir = await mkdtemp(join(tmpdir(), 'trustgate-bench-'));
  try {
    const storeDir = join(dir, 'truststore');
    await mkdir(join(storeDir, 'x509', 'ca', 'bench'), { recursive: true });
    await writeFile(join(storeDir, 'x509', 'ca', 'bench', 'root.pem'), chain.root.pem);
    const policyPath = join(dir, 'trustpolicy.json');
    await writeFile(policyPath, JSON.stringify(trustPolicy(`${registry.host}/${REPOSITORY}`)));

    const layer = await pushBlob(target, REPOSITORY, randomBytes(256), 'application/vnd.oci.image.layer.v1.tar');
    const emptyConfig = await pushBlob(target, REPOSITORY, '{}', OCI_EMPTY);
    const images = await mapConcurrent(Array.from({ length: count }, (_, i) => i), pushConcurrency, async (i) => {
      const tag = `v${i}`;
      const descriptor = await pushImage(target, tag, layer);
      await pushSignatureFor(target, descriptor, chain, emptyConfig);
      return { tag, descriptor, reference: `${registry.host}/${REPOSITORY}:${tag}`, pinned: `${registry.host}/${REPOSITORY}@${descriptor.digest}` };
    });
    const env = { TRUSTGATE_TRUST_POLICY: policyPath, TRUSTGATE_TRUST_STORE: storeDir, TRUSTGATE_PLAIN_HTTP: registry.host, TRUSTGATE_LOG_LEVEL: 'error' };
    const stop = async (): Promise<void> => {
      await registry.stop();
      await rm(dir, { recursive: true, force: true });
    };
    return { registry, repository: REPOSITORY, chain, images, now: PKI_NOW, env, stop };
  } catch (error) {
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function trustPolicy(scope: string): unknown {
  return {
    version: '1.0',
    trustPolicies: [{ name: 'bench', registryScopes: [scope], signatureVerification: { level: 'strict' }, trustStores: ['ca:bench'], trustedIdentities: [`x509.subject: ${LEAF_SUBJECT}`] }],
  };
}

async function pushImage(target: PushTarget, tag: string, layer: Descriptor): Promise<Descriptor> {
  const configBytes = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, nonce: randomBytes(8).toString('hex') });
  const config = await pushBlob(target, REPOSITORY, configBytes, 'application/vnd.oci.image.config.v1+json');
  return pushManifest(target, REPOSITORY, { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] }, { tag });
}

/** Signature manifest first, then the tag-schema index (the registry refuses an index whose children are missing). */
async function pushSignatureFor(target: PushTarget, subject: Descriptor, chain: TestChain, emptyConfig: Descriptor): Promise<void> {
  const envelope = signJws({ descriptor: subject, chain: chain.ders, privateKey: chain.leaf.privateKey });
  const layer = await pushBlob(target, REPOSITORY, envelope, 'application/jose+json');
  const signature = await pushManifest(target, REPOSITORY, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: NOTARY_SIGNATURE,
    config: emptyConfig,
    layers: [layer],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
  });
  await pushManifest(target, REPOSITORY, { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ ...signature, artifactType: NOTARY_SIGNATURE }] }, { tag: referrersTag(subject.digest) });
}
