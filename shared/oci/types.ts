/**
 * Plain-data shapes of the OCI image specification (descriptor.md, manifest.md, image-index.md).
 * Only the fields this project reads are typed; unknown fields are kept by JSON parsing but ignored.
 */

export interface Platform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
}

/** An OCI content descriptor (image-spec descriptor.md). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: Platform;
  urls?: string[];
}

/** An OCI image manifest (image-spec manifest.md); also the shape of a Docker v2 schema 2 manifest. */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An OCI image index (image-spec image-index.md); also the shape of a Docker manifest list. */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** The retired OCI artifact manifest (image-spec 1.1 release candidates): `blobs` instead of config + layers. */
export interface ArtifactManifest {
  mediaType: string;
  artifactType?: string;
  blobs: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** Where a repository lives: a registry host (as written in references) and a repository path. */
export interface RepositoryRef {
  registry: string;
  repository: string;
}
