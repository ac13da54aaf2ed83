import { AppError, fixedClock, memoryLogger } from '../../../shared/core/index.js';
import { createNotaryScheme, type NotaryChecker, type NotaryCheckInput, type SignatureOutcome } from '../../../shared/notary/index.js';
import type { Descriptor, Reference, RepositoryRef } from '../../../shared/oci/index.js';
import type { TrustPolicyDocument } from '../../../shared/policy/index.js';
import type { TrustStore } from '../../../shared/truststore/port.js';
import type { RegistryReader, VerificationServiceOptions } from '../../../shared/verification/index.js';

export const NOW = new Date('2026-06-01T00:00:00Z');
export const IMAGE: Descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 100 };

export function signatureManifest(envelopeDigest: string, form: 'oci' | 'legacy' | 'other' = 'oci'): unknown {
  const layers = [{ mediaType: 'application/jose+json', digest: envelopeDigest, size: 10 }];
  if (form === 'legacy') return { schemaVersion: 2, config: { mediaType: 'application/vnd.cncf.notary.signature', digest: 'sha256:0', size: 2 }, layers };
  if (form === 'other') return { schemaVersion: 2, artifactType: 'application/spdx+json', config: { mediaType: 'application/vnd.oci.empty.v1+json' }, layers };
  return { schemaVersion: 2, artifactType: 'application/vnd.cncf.notary.signature', config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:0', size: 2 }, layers };
}

/** A registry in memory: manifests by digest, tags, referrers, and failures to inject. */
export class FakeRegistry implements RegistryReader {
  tags = new Map<string, Descriptor>();
  manifests = new Map<string, unknown>();
  blobs = new Map<string, Uint8Array>();
  referrerList = new Map<string, Descriptor[]>();
  failures = new Map<string, AppError>();
  calls: string[] = [];

  addSignature(subject: string, sigDigest: string, form: 'oci' | 'legacy' | 'other' = 'oci'): void {
    const envelopeDigest = `sha256:env-${sigDigest}`;
    this.manifests.set(sigDigest, signatureManifest(envelopeDigest, form));
    this.blobs.set(envelopeDigest, Buffer.from(sigDigest));
    const list = this.referrerList.get(subject) ?? [];
    list.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sigDigest, size: 300, artifactType: 'application/vnd.cncf.notary.signature' });
    this.referrerList.set(subject, list);
  }

  async resolve(reference: Reference): Promise<Descriptor> {
    this.calls.push(`resolve ${reference.toString()}`);
    this.fail(`resolve`);
    const found = reference.digest ? { ...IMAGE, digest: reference.digest } : this.tags.get(reference.tag ?? 'latest');
    if (!found) throw new AppError('ERR_MANIFEST_UNKNOWN', 'verification-failed', 'manifest unknown');
    return found;
  }

  async fetchManifest(_repo: RepositoryRef, wanted: Descriptor | string): Promise<{ descriptor: Descriptor; bytes: Uint8Array; json: unknown }> {
    const descriptor = typeof wanted === 'string' ? { ...IMAGE, digest: wanted } : wanted;
    this.calls.push(`manifest ${descriptor.digest}`);
    this.fail(`manifest ${descriptor.digest}`);
    return { descriptor, bytes: new Uint8Array(), json: this.manifests.get(descriptor.digest) };
  }

  async fetchBlob(_repo: RepositoryRef, descriptor: Descriptor): Promise<Uint8Array> {
    this.calls.push(`blob ${descriptor.digest}`);
    this.fail(`blob ${descriptor.digest}`);
    return this.blobs.get(descriptor.digest) ?? new Uint8Array();
  }

  async *referrers(_repo: RepositoryRef, subject: Descriptor): AsyncIterable<Descriptor> {
    this.calls.push(`referrers ${subject.digest}`);
    this.fail('referrers');
    for (const d of this.referrerList.get(subject.digest) ?? []) yield d;
  }

  private fail(key: string): void {
    const error = this.failures.get(key);
    if (error) throw error;
  }
}

/** The engine stand-in: the envelope bytes name the signature, and `verdicts` says how each one ends. */
export function fakeChecker(verdicts: Record<string, Partial<SignatureOutcome>>) {
  const seen: NotaryCheckInput[] = [];
  const checker = async (input: NotaryCheckInput): Promise<SignatureOutcome> => {
    seen.push(input);
    const name = Buffer.from(input.envelope).toString();
    const wanted = verdicts[name] ?? { ok: false };
    return {
      envelopeMediaType: input.envelopeMediaType,
      level: 'strict',
      ok: false,
      checks: [{ check: 'integrity', action: 'enforce', ok: wanted.ok ?? false }],
      ...(wanted.ok ? {} : { error: { code: 'ERR_AUTHENTICITY', message: 'untrusted' } }),
      ...wanted,
    };
  };
  return { checker, seen };
}

/** A store whose fingerprint is `print`; it also knows it without I/O (the orchestrator's synchronous cache path). */
export function staticTrustStore(fingerprint = 'store-1'): TrustStore & { print: string } {
  const store = {
    print: fingerprint,
    getCertificates: async () => [],
    fingerprint: async () => store.print,
    currentFingerprint: () => store.print,
  };
  return store;
}

export function policy(level = 'strict', scopes = ['registry.test/app']): TrustPolicyDocument {
  return {
    version: '1.0',
    trustPolicies: [
      { name: 'app', registryScopes: scopes, signatureVerification: { level }, trustStores: ['ca:acme'], trustedIdentities: ['*'] },
    ],
  } as TrustPolicyDocument;
}

/** The Notary trust material and engine of the old service options: the tests' way to build the Notary scheme. */
export interface NotaryFixture {
  checker: NotaryChecker;
  policy?: TrustPolicyDocument;
  trustStore?: TrustStore;
}

type Overrides = Partial<VerificationServiceOptions> & Pick<VerificationServiceOptions, 'registry'> & NotaryFixture;

export function serviceOptions({ checker, policy: trustPolicy, trustStore, ...overrides }: Overrides): VerificationServiceOptions {
  return {
    schemes: [createNotaryScheme({ policy: trustPolicy ?? policy(), trustStore: trustStore ?? staticTrustStore(), checker })],
    clock: fixedClock(NOW),
    logger: memoryLogger(),
    allowRegistry: (host) => host === 'registry.test',
    maxSignatures: 50,
    verdictMaxAgeSeconds: 3600,
    denyMaxAgeSeconds: 60,
    tagCacheSeconds: 30,
    ...overrides,
  };
}
