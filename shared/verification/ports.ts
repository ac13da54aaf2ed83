import type { Descriptor, Reference, RepositoryRef } from '../oci/index.js';
import type { SignatureOutcome } from '../notary/index.js';
import type { TrustPolicyStatement } from '../policy/index.js';
import type { TrustStore } from '../truststore/index.js';

/** What the service needs from a registry (RegistryClient implements it; unit tests pass fakes). */
export interface RegistryReader {
  resolve(reference: Reference, options?: { signal?: AbortSignal }): Promise<Descriptor>;
  fetchManifest(
    repository: RepositoryRef,
    descriptor: Descriptor | string,
    options?: { signal?: AbortSignal; maxBytes?: number },
  ): Promise<{ descriptor: Descriptor; bytes: Uint8Array; json: unknown }>;
  fetchBlob(repository: RepositoryRef, descriptor: Descriptor, options?: { signal?: AbortSignal; maxBytes?: number }): Promise<Uint8Array>;
  referrers(repository: RepositoryRef, subject: Descriptor, options?: { artifactType?: string; signal?: AbortSignal }): AsyncIterable<Descriptor>;
}

/** Input of one signature verification by the Notary engine. */
export interface SignatureCheckInput {
  envelope: Uint8Array;
  envelopeMediaType: string;
  subject: { mediaType: string; digest: string; size: number };
  statement: TrustPolicyStatement;
  trustStore: TrustStore;
  at: Date;
  signal?: AbortSignal;
}

/** The Notary engine as the service sees it. */
export type SignatureChecker = (input: SignatureCheckInput) => Promise<SignatureOutcome>;
