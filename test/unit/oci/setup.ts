import { RegistryClient } from '../../../shared/oci/index.js';
import type { Descriptor, RegistryClientOptions } from '../../../shared/oci/index.js';
import type { FakeRegistry } from '../../fakes/registry/index.js';

export const SIGNATURE = 'application/vnd.cncf.notary.signature';
export const SBOM = 'application/vnd.example.sbom.v1+json';

/** A client for the fake registry: plain http to loopback, no real sleeping, no DNS; sleeps are recorded. */
export function clientFor(fake: FakeRegistry, extra: RegistryClientOptions = {}): { client: RegistryClient; sleeps: number[] } {
  const sleeps: number[] = [];
  const client = new RegistryClient({
    plainHttp: (host) => host.startsWith('127.0.0.1:'),
    resolveHost: false,
    sleep: async (ms) => void sleeps.push(ms),
    ...extra,
  });
  return { client, sleeps };
}

/** Stores an image (config + layer + manifest) directly in the fake; returns the manifest descriptor. */
export function storeImage(fake: FakeRegistry, repository: string, tag?: string): Descriptor {
  const config = fake.putBlob(repository, JSON.stringify({ architecture: 'amd64', os: 'linux', tag }), 'application/vnd.oci.image.config.v1+json');
  const layer = fake.putBlob(repository, `layer of ${tag ?? 'untagged'} ${Math.random()}`, 'application/vnd.oci.image.layer.v1.tar');
  const manifest = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] };
  return fake.putManifest(repository, manifest, tag ? { tag } : {});
}

/** Stores an artifact manifest referring to `subject`; returns its descriptor as a referrers listing shows it. */
export function storeReferrer(fake: FakeRegistry, repository: string, subject: Descriptor, artifactType: string, payload = 'envelope'): Descriptor {
  const config = fake.putBlob(repository, '{}', 'application/vnd.oci.empty.v1+json');
  const layer = fake.putBlob(repository, `${payload} ${Math.random()}`, 'application/jose+json');
  const manifest = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType, config, layers: [layer], subject };
  return { ...fake.putManifest(repository, manifest), artifactType };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
