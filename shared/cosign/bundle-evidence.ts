import type { Bundle } from '@sigstore/bundle';
import type { Descriptor } from '../oci/index.js';
import type { FetchedEvidenceManifest, SchemeRequest } from '../scheme/index.js';
import type { EvidenceOutcome } from '../verdict/index.js';
import { isRecord } from './bounded-json.js';
import { BUNDLE_MEDIA_TYPES, LIMITS } from './constants.js';
import { CosignError, evidenceFailure, unreachableReason } from './errors.js';
import { draft, judge, rejected } from './outcome.js';
import { parseSigstoreBundle, predicateType, statementSubjectDigests } from './sigstore-bundle.js';
import type { TrustRoot } from './trust-roots.js';
import { isUnreachable, type Unreachable } from './unreachable.js';
import { verifyAgainstRoot } from './verify-entity.js';

/**
 * The outcome of one OCI 1.1 referrer carrying a Sigstore bundle (cosign BUNDLE_SPEC: one layer whose media
 * type is the bundle's, empty config, `subject` = the image). The in-toto statement must name the subject.
 */
export async function bundleOutcome(manifest: FetchedEvidenceManifest, request: SchemeRequest, roots: readonly TrustRoot[]): Promise<EvidenceOutcome | Unreachable> {
  const d = draft(manifest.descriptor.digest, { format: 'sigstore-bundle' });
  let bundle: Bundle;
  let subjects: string[];
  try {
    const layer = bundleLayer(manifest.json);
    d.details.mediaType = layer.mediaType;
    if (layer.size > LIMITS.bundleBytes) throw new CosignError('ERR_COSIGN_TOO_LARGE', `bundle of ${layer.size} bytes (limit ${LIMITS.bundleBytes})`);
    bundle = parseSigstoreBundle(await request.registry.blob(layer, LIMITS.bundleBytes));
    subjects = statementSubjectDigests(bundle);
    const predicate = predicateType(bundle);
    if (predicate) d.details.predicateType = predicate;
  } catch (error) {
    if (isUnreachable(error)) return { unreachable: unreachableReason(error) };
    const failure = evidenceFailure(error);
    return rejected(d, 'format', failure.code, failure.message);
  }
  d.checks.push({ name: 'format', action: 'enforce', ok: true });
  if (!subjects.includes(request.subject.digest)) {
    return rejected(d, 'subject', 'ERR_COSIGN_SUBJECT_MISMATCH', `the statement's subjects (${subjects.slice(0, 4).join(', ') || 'none'}) do not include ${request.subject.digest}`);
  }
  d.checks.push({ name: 'subject', action: 'enforce', ok: true });
  const keyed = bundle.verificationMaterial.content.$case === 'publicKey';
  const candidates = roots.filter((root) => (keyed ? root.kind === 'keyed' : root.kind === 'keyless'));
  return judge(d, candidates, (root) => verifyAgainstRoot(bundle, undefined, root));
}

function bundleLayer(json: unknown): Descriptor {
  const layers = isRecord(json) && Array.isArray(json.layers) ? (json.layers as unknown[]) : [];
  if (layers.length > LIMITS.layersPerManifest) throw new CosignError('ERR_COSIGN_TOO_LARGE', `bundle manifest has ${layers.length} layers`);
  const layer = layers.find((l) => isRecord(l) && typeof l.mediaType === 'string' && BUNDLE_MEDIA_TYPES.includes(l.mediaType));
  if (!isRecord(layer) || typeof layer.digest !== 'string' || typeof layer.size !== 'number' || typeof layer.mediaType !== 'string') {
    throw new CosignError('ERR_COSIGN_MALFORMED', 'bundle manifest has no Sigstore bundle layer');
  }
  return { mediaType: layer.mediaType, digest: layer.digest, size: layer.size };
}
