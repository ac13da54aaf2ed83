import { z } from 'zod';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../core/index.js';
import { MANIFEST_MEDIA_TYPES, MEDIA_TYPE_DOCKER_MANIFEST_LIST, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_ORAS_ARTIFACT_MANIFEST } from './constants.js';
import { isDigest } from './digest.js';
import type { ArtifactManifest, Descriptor, ImageIndex, ImageManifest } from './types.js';

const stringMap = z.record(z.string(), z.string());

/** image-spec descriptor.md: mediaType, digest and size are required. */
export const descriptorSchema = z.looseObject({
  mediaType: z.string().min(1),
  digest: z.string().refine(isDigest, 'unsupported digest'),
  size: z.number().int().nonnegative(),
  artifactType: z.string().optional(),
  annotations: stringMap.optional(),
  platform: z.looseObject({ architecture: z.string(), os: z.string() }).optional(),
  urls: z.array(z.string()).optional(),
});

const manifestSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: stringMap.optional(),
});

const indexSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  manifests: z.array(descriptorSchema),
  subject: descriptorSchema.optional(),
  annotations: stringMap.optional(),
});

/** The retired ORAS/OCI artifact manifest: `blobs` instead of `config` + `layers`; read as a manifest without config. */
const artifactManifestSchema = z.looseObject({
  mediaType: z.literal(MEDIA_TYPE_ORAS_ARTIFACT_MANIFEST),
  artifactType: z.string().optional(),
  blobs: z.array(descriptorSchema).default([]),
  subject: descriptorSchema.optional(),
  annotations: stringMap.optional(),
});

/** A validated manifest document; `json` is the document exactly as parsed (unknown fields kept). */
export type ParsedManifest = { kind: 'manifest'; json: ImageManifest } | { kind: 'index'; json: ImageIndex } | { kind: 'artifact'; json: ArtifactManifest };

/** Whether a media type names an index (OCI index or Docker manifest list). */
export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MEDIA_TYPE_OCI_INDEX || mediaType === MEDIA_TYPE_DOCKER_MANIFEST_LIST;
}

export function isManifestMediaType(mediaType: string): boolean {
  return MANIFEST_MEDIA_TYPES.includes(mediaType);
}

/** `application/json; charset=utf-8` → `application/json`. */
export function baseMediaType(header: string | null): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Parses manifest bytes by media type. Returns a reason string instead of throwing so callers choose the
 * error (content fetched by digest is `verification-failed`, a referrers page is `inconclusive`).
 */
export function parseManifestBytes(bytes: Uint8Array, mediaType: string): ParsedManifest | { error: string; tooDeep?: true } {
  // Depth first, on the raw bytes: deep nesting is what makes JSON.parse and schema walks expensive.
  if (exceedsJsonDepth(bytes)) return { error: `nests deeper than ${MAX_JSON_DEPTH} levels`, tooDeep: true };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { error: 'not valid JSON' };
  }
  const declared = typeof json === 'object' && json !== null ? (json as { mediaType?: unknown }).mediaType : undefined;
  if (typeof declared === 'string' && declared !== mediaType) return { error: `document says mediaType ${declared}, expected ${mediaType}` };
  if (mediaType === MEDIA_TYPE_ORAS_ARTIFACT_MANIFEST) {
    const result = artifactManifestSchema.safeParse(json);
    return result.success ? { kind: 'artifact', json: { ...(json as ArtifactManifest), blobs: result.data.blobs as Descriptor[] } } : { error: firstIssue(result.error) };
  }
  if (isIndexMediaType(mediaType)) {
    const result = indexSchema.safeParse(json);
    return result.success ? { kind: 'index', json: json as ImageIndex } : { error: firstIssue(result.error) };
  }
  const result = manifestSchema.safeParse(json);
  return result.success ? { kind: 'manifest', json: json as ImageManifest } : { error: firstIssue(result.error) };
}

/** An untrusted JSON document parsed only when it nests at most MAX_JSON_DEPTH levels; undefined when too deep or malformed. */
export function parseShallowJson(bytes: Uint8Array): unknown {
  if (exceedsJsonDepth(bytes)) return undefined;
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Validates one descriptor from an untrusted listing. */
export function toDescriptor(value: unknown): Descriptor | undefined {
  const result = descriptorSchema.safeParse(value);
  return result.success ? (result.data as Descriptor) : undefined;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'document'}: ${issue.message}` : 'invalid document';
}
