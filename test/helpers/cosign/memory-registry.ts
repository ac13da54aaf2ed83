import { createHash } from 'node:crypto';
import type { Descriptor } from '../../../shared/oci/index.js';
import type { EvidenceRegistry, FetchedEvidenceManifest } from '../../../shared/scheme/index.js';
import { BUNDLE_V03, SIMPLE_SIGNING } from './oci.js';

/**
 * In-memory EvidenceRegistry for unit tests: the same shapes the orchestrator hands a scheme (manifests
 * digest-named with parsed JSON, blobs by digest), without a registry process. Integration tests use the real one.
 */
export class MemoryEvidenceRegistry implements EvidenceRegistry {
  private readonly blobs = new Map<string, Buffer>();
  private readonly tags = new Map<string, FetchedEvidenceManifest>();
  private readonly referrerList: FetchedEvidenceManifest[] = [];
  /** Thrown by every read when set (e.g. an inconclusive RegistryError). */
  failWith: Error | undefined;

  addBlob(bytes: Buffer | string, mediaType: string, annotations?: Record<string, string>): Descriptor {
    const buffer = Buffer.from(bytes);
    const digest = `sha256:${createHash('sha256').update(buffer).digest('hex')}`;
    this.blobs.set(digest, buffer);
    return { mediaType, digest, size: buffer.length, ...(annotations ? { annotations } : {}) };
  }

  /** A `.sig` image under `tag` with one simple-signing layer per entry. */
  addSigImage(tag: string, layers: Array<{ payload: Buffer; annotations: Record<string, string> }>): FetchedEvidenceManifest {
    const json = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: this.addBlob('{}', 'application/vnd.oci.image.config.v1+json'), layers: layers.map((l) => this.addBlob(l.payload, SIMPLE_SIGNING, l.annotations)) };
    const manifest = toManifest(json);
    this.tags.set(tag, manifest);
    return manifest;
  }

  addBundleReferrer(bundleText: string | Buffer, subject: Descriptor, mediaType = BUNDLE_V03): FetchedEvidenceManifest {
    const json = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: mediaType, config: this.addBlob('{}', 'application/vnd.oci.empty.v1+json'), layers: [this.addBlob(bundleText, mediaType)], subject };
    const manifest = toManifest(json);
    this.referrerList.push({ ...manifest, descriptor: { ...manifest.descriptor, artifactType: mediaType } });
    return manifest;
  }

  async *referrers(artifactTypes: readonly string[]): AsyncIterable<FetchedEvidenceManifest> {
    if (this.failWith) throw this.failWith;
    for (const manifest of this.referrerList) if (artifactTypes.includes(manifest.descriptor.artifactType ?? '')) yield manifest;
  }

  async manifestByTag(tag: string): Promise<FetchedEvidenceManifest | undefined> {
    if (this.failWith) throw this.failWith;
    return this.tags.get(tag);
  }

  async blob(descriptor: Descriptor, maxBytes?: number): Promise<Uint8Array> {
    if (this.failWith) throw this.failWith;
    const bytes = this.blobs.get(descriptor.digest);
    if (!bytes) throw new Error(`no blob ${descriptor.digest}`);
    if (maxBytes !== undefined && bytes.length > maxBytes) throw new Error(`blob larger than ${maxBytes}`);
    return bytes;
  }
}

function toManifest(json: object): FetchedEvidenceManifest {
  const bytes = Buffer.from(JSON.stringify(json));
  return { descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length }, bytes, json };
}
