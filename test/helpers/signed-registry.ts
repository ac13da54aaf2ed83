import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Descriptor } from '../../shared/oci/types.js';
import { startDockerRegistry, type DockerRegistry } from './docker-registry.js';
import { pushRandomImage, pushReferrersIndex, pushSignature, type PushTarget } from './oci-push.js';
import { createChain, PKI_NOW, type TestChain } from './pki/index.js';
import { signCose, signJws } from './signer/index.js';

export interface SignedImage {
  descriptor: Descriptor;
  /** `127.0.0.1:PORT/repo:tag`. */
  reference: string;
  /** `127.0.0.1:PORT/repo@sha256:...`. */
  pinned: string;
}

/**
 * A real docker-registry holding images in each state the product must tell apart, plus the trust policy and
 * trust store (Notation layout, in a temp dir) that trust `trusted` and not `stranger`:
 * signed (JWS), signedCose, unsigned, untrusted (signed by an unknown root), tampered (signature over another digest).
 * Signatures are stored the way notation does on a registry without the referrers API (tag schema index).
 */
export interface SignedRegistry {
  registry: DockerRegistry;
  target: PushTarget;
  trusted: TestChain;
  stranger: TestChain;
  dir: string;
  policyPath: string;
  storeDir: string;
  images: Record<'signed' | 'signedCose' | 'unsigned' | 'untrusted' | 'tampered', SignedImage>;
  /** The instant the certificates are valid at: use it as the verification clock. */
  now: Date;
  /** TRUSTGATE_* settings that point at this registry, policy and store. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Pushes a new image (optionally signed by `chain`) and returns it. */
  pushImage(repository: string, tag: string, chain?: TestChain): Promise<SignedImage>;
  /** Signs an existing image with `chain` and stores the signature (tag schema). */
  sign(repository: string, descriptor: Descriptor, chain?: TestChain, format?: 'jws' | 'cose'): Promise<Descriptor>;
  stop(): Promise<void>;
}

export async function startSignedRegistry(): Promise<SignedRegistry> {
  const registry = await startDockerRegistry();
  const target: PushTarget = { baseUrl: registry.url };
  const trusted = createChain({ prefix: 'Trustgate E2E' });
  const stranger = createChain({ prefix: 'Stranger' });
  const dir = await mkdtemp(join(tmpdir(), 'trustgate-e2e-'));
  const storeDir = join(dir, 'truststore');
  await mkdir(join(storeDir, 'x509', 'ca', 'e2e'), { recursive: true });
  await writeFile(join(storeDir, 'x509', 'ca', 'e2e', 'root.pem'), trusted.root.pem);
  const policyPath = join(dir, 'trustpolicy.json');
  await writeFile(
    policyPath,
    JSON.stringify({
      version: '1.0',
      trustPolicies: [
        {
          name: 'e2e',
          registryScopes: ['signed', 'signed-cose', 'unsigned', 'untrusted', 'tampered', 'app', 'team/app'].map((r) => `${registry.host}/${r}`),
          signatureVerification: { level: 'strict' },
          trustStores: ['ca:e2e'],
          trustedIdentities: ['x509.subject: CN=Trustgate E2E Leaf, O=Notary Test, L=Seattle, ST=WA, C=US'],
        },
      ],
    }),
  );

  const sign = async (repository: string, descriptor: Descriptor, chain = trusted, format: 'jws' | 'cose' = 'jws'): Promise<Descriptor> => {
    const options = { descriptor, chain: chain.ders, privateKey: chain.leaf.privateKey };
    const envelope = format === 'jws' ? signJws(options) : signCose(options);
    const mediaType = format === 'jws' ? 'application/jose+json' : 'application/cose';
    const signature = await pushSignature(target, repository, descriptor, envelope, mediaType);
    await pushReferrersIndex(target, repository, descriptor, [signature]);
    return signature;
  };
  const image = (repository: string, tag: string, descriptor: Descriptor): SignedImage => ({
    descriptor,
    reference: `${registry.host}/${repository}:${tag}`,
    pinned: `${registry.host}/${repository}@${descriptor.digest}`,
  });
  const pushImage = async (repository: string, tag: string, chain?: TestChain): Promise<SignedImage> => {
    const descriptor = await pushRandomImage(target, repository, { tag });
    if (chain) await sign(repository, descriptor, chain);
    return image(repository, tag, descriptor);
  };

  const signed = await pushImage('signed', 'v1', trusted);
  const signedCose = await pushImage('signed-cose', 'v1');
  await sign('signed-cose', signedCose.descriptor, trusted, 'cose');
  const unsigned = await pushImage('unsigned', 'v1');
  const untrusted = await pushImage('untrusted', 'v1', stranger);
  const tampered = await pushImage('tampered', 'v1');
  const other = await pushRandomImage(target, 'tampered', { tag: 'other' });
  const envelope = signJws({ descriptor: other, chain: trusted.ders, privateKey: trusted.leaf.privateKey });
  const signature = await pushSignature(target, 'tampered', tampered.descriptor, envelope, 'application/jose+json');
  await pushReferrersIndex(target, 'tampered', tampered.descriptor, [signature]);

  return {
    registry,
    target,
    trusted,
    stranger,
    dir,
    policyPath,
    storeDir,
    images: { signed, signedCose, unsigned, untrusted, tampered },
    now: PKI_NOW,
    env: (extra = {}) => ({
      TRUSTGATE_TRUST_POLICY: policyPath,
      TRUSTGATE_TRUST_STORE: storeDir,
      TRUSTGATE_PLAIN_HTTP: registry.host,
      TRUSTGATE_LOG_LEVEL: 'error',
      ...extra,
    }),
    pushImage,
    sign,
    stop: async () => {
      await registry.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
