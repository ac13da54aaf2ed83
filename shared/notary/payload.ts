import { NotaryErrorCode, notaryFailure } from './errors.js';

/** An OCI content descriptor as the Notary payload carries it (OCI image-spec descriptor.md). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}

/** The signed payload (`application/vnd.cncf.notary.payload.v1+json`, signature-specification.md "Payload"). */
export interface NotaryPayload {
  targetArtifact: Descriptor;
}

/** OCI digest grammar (image-spec descriptor.md "Digests"). */
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 JSON strictly (invalid UTF-8 or JSON → NotaryError with `code`). */
export function parseJsonBytes(bytes: Uint8Array, what: string, code: typeof NotaryErrorCode.malformed | typeof NotaryErrorCode.payload): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch (error) {
    throw notaryFailure(code, `${what} is not UTF-8 JSON`, error);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and validates the payload bytes; unknown members are ignored, as the reference does. */
export function parsePayload(bytes: Uint8Array): NotaryPayload {
  const json = parseJsonBytes(bytes, 'payload', NotaryErrorCode.payload);
  if (!isPlainObject(json) || !isPlainObject(json.targetArtifact)) {
    throw notaryFailure(NotaryErrorCode.payload, 'payload has no targetArtifact descriptor');
  }
  const target = json.targetArtifact;
  const { mediaType, digest, size, annotations, artifactType } = target;
  if (typeof mediaType !== 'string' || mediaType === '') throw notaryFailure(NotaryErrorCode.payload, 'targetArtifact.mediaType is missing');
  if (typeof digest !== 'string' || !DIGEST.test(digest)) throw notaryFailure(NotaryErrorCode.payload, 'targetArtifact.digest is not a digest');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw notaryFailure(NotaryErrorCode.payload, 'targetArtifact.size is not a non-negative integer');
  }
  const descriptor: Descriptor = { mediaType, digest, size };
  if (annotations !== undefined) {
    if (!isPlainObject(annotations) || !Object.values(annotations).every((v) => typeof v === 'string')) {
      throw notaryFailure(NotaryErrorCode.payload, 'targetArtifact.annotations must map strings to strings');
    }
    descriptor.annotations = annotations as Record<string, string>;
  }
  if (artifactType !== undefined) {
    if (typeof artifactType !== 'string') throw notaryFailure(NotaryErrorCode.payload, 'targetArtifact.artifactType is not a string');
    descriptor.artifactType = artifactType;
  }
  return { targetArtifact: descriptor };
}

/**
 * The payload names the artifact being verified: mediaType, digest and size must be equal
 * (annotations and artifactType are not compared — trust-store-trust-policy.md, step "Validate the artifact").
 */
export function descriptorMatches(signed: Descriptor, subject: Pick<Descriptor, 'mediaType' | 'digest' | 'size'>): boolean {
  return signed.mediaType === subject.mediaType && signed.digest === subject.digest && signed.size === subject.size;
}

/** Keys of `required` that are absent from, or differ in, the signed annotations. */
export function missingUserMetadata(signed: Descriptor, required: Readonly<Record<string, string>>): string[] {
  const annotations = signed.annotations ?? {};
  return Object.entries(required)
    .filter(([key, value]) => !Object.hasOwn(annotations, key) || annotations[key] !== value)
    .map(([key]) => key);
}
