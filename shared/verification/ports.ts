import type { Descriptor, Reference, RepositoryRef } from '../oci/index.js';

/** What the service needs from a registry (RegistryClient implements it; unit tests pass fakes). */
export interface RegistryReader {
  resolve(reference: Reference, options?: { signal?: AbortSignal }): Promise<Descriptor>;
  /** Must check the body against the descriptor's digest and size (RegistryClient does). */
  fetchManifest(
    repository: RepositoryRef,
    descriptor: Descriptor | string,
    options?: { signal?: AbortSignal; maxBytes?: number },
  ): Promise<{ descriptor: Descriptor; bytes: Uint8Array; json: unknown }>;
  /** Must check the body against the descriptor's digest and size (RegistryClient does). */
  fetchBlob(repository: RepositoryRef, descriptor: Descriptor, options?: { signal?: AbortSignal; maxBytes?: number }): Promise<Uint8Array>;
  referrers(repository: RepositoryRef, subject: Descriptor, options?: { artifactType?: string; signal?: AbortSignal }): AsyncIterable<Descriptor>;
}
