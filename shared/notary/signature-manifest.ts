import { ARTIFACT_TYPE_NOTATION_SIGNATURE, MEDIA_TYPE_OCI_EMPTY } from './constants.js';
import type { Descriptor } from './payload.js';

/**
 * Reads a referrer's manifest as a Notary signature (notary-spec §3). Two forms are signatures:
 * OCI 1.1 (artifactType notary + empty config) and legacy (no artifactType, config.mediaType notary).
 * Anything else is not a Notary signature and is skipped, as the reference does.
 */
export type SignatureManifest =
  | { kind: 'signature'; envelope: Descriptor }
  | { kind: 'not-a-signature' }
  | { kind: 'malformed'; message: string };

export function readSignatureManifest(json: unknown): SignatureManifest {
  if (typeof json !== 'object' || json === null) return { kind: 'malformed', message: 'signature manifest is not a JSON object' };
  const manifest = json as { artifactType?: unknown; config?: { mediaType?: unknown }; layers?: unknown };
  const configType = manifest.config?.mediaType;
  const modern = manifest.artifactType === ARTIFACT_TYPE_NOTATION_SIGNATURE && configType === MEDIA_TYPE_OCI_EMPTY;
  const legacy = manifest.artifactType === undefined && configType === ARTIFACT_TYPE_NOTATION_SIGNATURE;
  if (!modern && !legacy) return { kind: 'not-a-signature' };
  if (!Array.isArray(manifest.layers) || manifest.layers.length !== 1) {
    return { kind: 'malformed', message: 'signature manifest requires exactly one signature envelope blob' };
  }
  const layer = manifest.layers[0] as Partial<Descriptor>;
  if (typeof layer.mediaType !== 'string' || typeof layer.digest !== 'string' || typeof layer.size !== 'number' || layer.size < 0) {
    return { kind: 'malformed', message: 'signature envelope descriptor is malformed' };
  }
  return { kind: 'signature', envelope: { mediaType: layer.mediaType, digest: layer.digest, size: layer.size } };
}

/** The subject digest a pushed Notary signature manifest names (verify-on-push re-verifies it); undefined otherwise. */
export function signatureSubjectDigest(json: unknown): string | undefined {
  if (readSignatureManifest(json).kind !== 'signature') return undefined;
  const digest = (json as { subject?: { digest?: unknown } }).subject?.digest;
  return typeof digest === 'string' ? digest : undefined;
}
