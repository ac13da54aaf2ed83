import { createHash } from 'node:crypto';
import type { Descriptor } from '../../../shared/oci/types.js';

/** One stored manifest: its bytes and the media type it was pushed with. */
export interface StoredManifest {
  mediaType: string;
  bytes: Buffer;
}

interface Repository {
  manifests: Map<string, StoredManifest>;
  tags: Map<string, string>;
  blobs: Map<string, Buffer>;
}

export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The fake registry's content: repositories of manifests (by digest), tags and blobs. */
export class ContentStore {
  private readonly repositories = new Map<string, Repository>();

  private repo(name: string): Repository {
    let repo = this.repositories.get(name);
    if (!repo) {
      repo = { manifests: new Map(), tags: new Map(), blobs: new Map() };
      this.repositories.set(name, repo);
    }
    return repo;
  }

  putBlob(repository: string, bytes: Buffer): string {
    const digest = digestOf(bytes);
    this.repo(repository).blobs.set(digest, bytes);
    return digest;
  }

  getBlob(repository: string, digest: string): Buffer | undefined {
    return this.repositories.get(repository)?.blobs.get(digest);
  }

  /** Any repository's blob (the storage backend behind redirects does not care about repositories). */
  findBlob(digest: string): Buffer | undefined {
    for (const repo of this.repositories.values()) {
      const blob = repo.blobs.get(digest);
      if (blob) return blob;
    }
    return undefined;
  }

  putManifest(repository: string, reference: string, manifest: StoredManifest): string {
    const digest = digestOf(manifest.bytes);
    const repo = this.repo(repository);
    repo.manifests.set(digest, manifest);
    if (!reference.includes(':')) repo.tags.set(reference, digest);
    return digest;
  }

  /** By tag or digest. */
  getManifest(repository: string, reference: string): { digest: string; manifest: StoredManifest } | undefined {
    const repo = this.repositories.get(repository);
    const digest = reference.includes(':') ? reference : repo?.tags.get(reference);
    const manifest = digest === undefined ? undefined : repo?.manifests.get(digest);
    return manifest && digest ? { digest, manifest } : undefined;
  }

  tags(repository: string): string[] {
    return [...(this.repositories.get(repository)?.tags.keys() ?? [])].sort();
  }

  hasRepository(repository: string): boolean {
    return this.repositories.has(repository);
  }

  /** Descriptors of the manifests whose `subject` is `digest`, as the referrers API lists them. */
  referrers(repository: string, digest: string): Descriptor[] {
    const found: Descriptor[] = [];
    for (const [manifestDigest, stored] of this.repositories.get(repository)?.manifests ?? []) {
      let json: { subject?: { digest?: string }; artifactType?: string; config?: { mediaType?: string }; annotations?: Record<string, string> };
      try {
        json = JSON.parse(stored.bytes.toString('utf8'));
      } catch {
        continue;
      }
      if (json.subject?.digest !== digest) continue;
      const artifactType = json.artifactType ?? json.config?.mediaType;
      found.push({
        mediaType: stored.mediaType,
        digest: manifestDigest,
        size: stored.bytes.length,
        ...(artifactType ? { artifactType } : {}),
        ...(json.annotations ? { annotations: json.annotations } : {}),
      });
    }
    return found;
  }
}
