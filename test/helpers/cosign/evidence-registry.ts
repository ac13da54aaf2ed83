import { RegistryError, parseReference } from '../../../shared/oci/index.js';
import type { Descriptor, RepositoryRef , RegistryClient} from '../../../shared/oci/index.js';
import type { EvidenceRegistry, FetchedEvidenceManifest } from '../../../shared/scheme/index.js';

/**
 * Test-only EvidenceRegistry over the project's RegistryClient for one subject (the orchestrator's real one is
 * built elsewhere). Same contract: manifests fetched and digest-checked, blobs capped, referrers filtered by
 * artifactType (docker-registry has no referrers API: the client falls back to the `sha256-<hex>` tag index).
 */
export interface TestEvidenceRegistryOptions {
  client: RegistryClient;
  repository: RepositoryRef;
  subject: Descriptor;
  /** Optional. Blob cap the "orchestrator" imposes. Default: 4 MiB. */
  maxBlobBytes?: number;
  /** Optional. Per-subject evidence limit. Default: 16. */
  maxEvidence?: number;
  signal?: AbortSignal;
}

export function testEvidenceRegistry(options: TestEvidenceRegistryOptions): EvidenceRegistry & { reads: string[] } {
  const { client, repository, subject } = options;
  const name = `${repository.registry}/${repository.repository}`;
  const reads: string[] = [];
  const signalOpt = options.signal ? { signal: options.signal } : {};
  const fetchManifest = async (descriptor: Descriptor | string): Promise<FetchedEvidenceManifest> => {
    const fetched = await client.fetchManifest(repository, descriptor, signalOpt);
    return { descriptor: { ...fetched.descriptor, ...(typeof descriptor === 'string' ? {} : pick(descriptor)) }, bytes: fetched.bytes, json: fetched.json };
  };
  return {
    reads,
    async *referrers(artifactTypes) {
      let count = 0;
      for await (const descriptor of client.referrers(repository, subject, signalOpt)) {
        if (!descriptor.artifactType || !artifactTypes.includes(descriptor.artifactType)) continue;
        if (++count > (options.maxEvidence ?? 16)) return;
        reads.push(`referrer ${descriptor.digest}`);
        yield await fetchManifest(descriptor);
      }
    },
    async manifestByTag(tag) {
      reads.push(`tag ${tag}`);
      let descriptor: Descriptor;
      try {
        descriptor = await client.resolve(parseReference(`${name}:${tag}`), signalOpt);
      } catch (error) {
        if (error instanceof RegistryError && error.code === 'ERR_MANIFEST_NOT_FOUND') return undefined;
        throw error;
      }
      return fetchManifest(descriptor);
    },
    async blob(descriptor, maxBytes) {
      reads.push(`blob ${descriptor.digest}`);
      const cap = Math.min(maxBytes ?? Infinity, options.maxBlobBytes ?? 4 * 1024 * 1024);
      return client.fetchBlob(repository, descriptor, { maxBytes: cap, ...signalOpt });
    },
  };
}

function pick(descriptor: Descriptor): Partial<Descriptor> {
  return { ...(descriptor.artifactType ? { artifactType: descriptor.artifactType } : {}), ...(descriptor.annotations ? { annotations: descriptor.annotations } : {}) };
}
