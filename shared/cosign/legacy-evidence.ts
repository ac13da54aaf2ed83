import type { FetchedEvidenceManifest, SchemeRequest } from '../scheme/index.js';
import type { EvidenceOutcome } from '../verdict/index.js';
import { isRecord } from './bounded-json.js';
import { LIMITS, SIMPLE_SIGNING_MEDIA_TYPE } from './constants.js';
import { CosignError, evidenceFailure, reason, unreachableReason } from './errors.js';
import { decodeLegacyLayer, toMessageBundle } from './legacy-signature.js';
import { draft, judge, rejected } from './outcome.js';
import { parseSimpleSigning, referenceMatches } from './payload.js';
import { isUnreachable, type Unreachable } from './unreachable.js';
import type { TrustRoot } from './trust-roots.js';
import { verifyAgainstRoot } from './verify-entity.js';
import type { Descriptor } from '../oci/index.js';

/** cosign's tag-scheme name for a subject's signatures: `sha256-<hex>.sig`. */
export function signatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`;
}

/**
 * Outcomes for a `.sig` manifest: one per simple-signing layer. A manifest that is not an image manifest, or
 * holds more than LIMITS.layersPerManifest layers, is one failed outcome.
 */
export async function legacyOutcomes(manifest: FetchedEvidenceManifest, request: SchemeRequest, roots: readonly TrustRoot[]): Promise<Array<EvidenceOutcome | Unreachable>> {
  const evidence = manifest.descriptor.digest;
  const layers = isRecord(manifest.json) && Array.isArray(manifest.json.layers) ? (manifest.json.layers as unknown[]) : undefined;
  if (!layers) return [rejected(draft(evidence, { format: 'simple-signing' }), 'format', 'ERR_COSIGN_MALFORMED', 'the .sig manifest is not an image manifest with layers')];
  if (layers.length > LIMITS.layersPerManifest) return [rejected(draft(evidence, { format: 'simple-signing' }), 'format', 'ERR_COSIGN_TOO_LARGE', `the .sig manifest has ${layers.length} layers (limit ${LIMITS.layersPerManifest})`)];
  const results: Array<EvidenceOutcome | Unreachable> = [];
  for (const layer of layers) {
    if (!isDescriptor(layer) || layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) continue;
    results.push(await layerOutcome(evidence, layer, request, roots));
  }
  if (results.length === 0) results.push(rejected(draft(evidence, { format: 'simple-signing' }), 'format', 'ERR_COSIGN_MALFORMED', `the .sig manifest has no ${SIMPLE_SIGNING_MEDIA_TYPE} layer`));
  return results;
}

async function layerOutcome(evidence: string, layer: Descriptor, request: SchemeRequest, roots: readonly TrustRoot[]): Promise<EvidenceOutcome | Unreachable> {
  const d = draft(evidence, { format: 'simple-signing', layer: layer.digest });
  let decoded;
  let payload: Buffer;
  let claim;
  try {
    decoded = decodeLegacyLayer(layer);
    if (layer.size > LIMITS.payloadBytes) throw new CosignError('ERR_COSIGN_TOO_LARGE', `payload of ${layer.size} bytes (limit ${LIMITS.payloadBytes})`);
    payload = Buffer.from(await request.registry.blob(layer, LIMITS.payloadBytes));
    claim = parseSimpleSigning(payload);
  } catch (error) {
    if (isUnreachable(error)) return { unreachable: unreachableReason(error) };
    const failure = evidenceFailure(error);
    return rejected(d, 'format', failure.code, failure.message);
  }
  d.checks.push({ name: 'format', action: 'enforce', ok: true });
  if (claim.manifestDigest !== request.subject.digest) {
    return rejected(d, 'subject', 'ERR_COSIGN_SUBJECT_MISMATCH', `payload signs ${claim.manifestDigest.slice(0, 80)}, not ${request.subject.digest}`);
  }
  d.checks.push({ name: 'subject', action: 'enforce', ok: true });
  if (claim.dockerReference !== undefined) {
    d.details.dockerReference = claim.dockerReference;
    const same = referenceMatches(claim.dockerReference, request.repository);
    d.checks.push({ name: 'docker-reference', action: 'log', ok: same, ...(same ? {} : { error: reason('ERR_COSIGN_REFERENCE_MISMATCH', `payload names ${claim.dockerReference}, not ${request.repository.registry}/${request.repository.repository}`) }) });
  }
  const sig = decoded;
  const candidates = roots.filter((root) => (sig.certificate ? root.kind === 'keyless' : root.kind === 'keyed'));
  return judge(d, candidates, (root) => {
    const checked = root.kind === 'keyless' || root.checksTlog;
    const bundle = toMessageBundle(sig, payload, root.kind === 'keyed' ? root.hashAlgorithm : 'sha256', { withTlog: checked, withTimestamps: checked });
    return verifyAgainstRoot(bundle, payload, root);
  });
}

function isDescriptor(value: unknown): value is Descriptor {
  return isRecord(value) && typeof value.mediaType === 'string' && typeof value.digest === 'string' && typeof value.size === 'number';
}
