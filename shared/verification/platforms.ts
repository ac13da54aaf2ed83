import { isAppError } from '../core/index.js';
import { MEDIA_TYPE_DOCKER_MANIFEST_LIST, MEDIA_TYPE_OCI_INDEX, type Descriptor } from '../oci/index.js';
import { MAX_SIGNATURE_MANIFEST_BYTES, REASON } from './codes.js';
import { searchSignatures, type SignatureSearch, type SignatureSearchResult } from './signatures.js';
import type { Reason } from './verdict.js';

export function isIndex(descriptor: Descriptor): boolean {
  return descriptor.mediaType === MEDIA_TYPE_OCI_INDEX || descriptor.mediaType === MEDIA_TYPE_DOCKER_MANIFEST_LIST;
}

/**
 * Multi-arch coverage: a verified index covers its children by digest, so a required platform manifest
 * passes when the verified index lists it. When the index itself is not verified, each required child
 * must carry a signature of its own that verifies.
 */
export async function checkPlatforms(
  search: Omit<SignatureSearch, 'subject'>,
  index: Descriptor,
  indexResult: SignatureSearchResult,
  required: 'all' | string[],
): Promise<SignatureSearchResult> {
  if (!isIndex(index)) {
    // A single-platform manifest covers itself only: naming any other digest is not silently ignored.
    const missing = required === 'all' ? [] : required.filter((digest) => digest !== index.digest);
    if (missing.length === 0) return indexResult;
    const reasons = missing.map((digest) => ({ code: REASON.platformNotCovered, message: `${digest}: the subject ${index.digest} is a single manifest, not an index` }));
    return { ...indexResult, decision: 'deny', reasons: [...indexResult.reasons, ...reasons] };
  }
  let children: Descriptor[];
  try {
    const fetched = await search.registry.fetchManifest(search.repository, index, { signal: search.signal, maxBytes: MAX_SIGNATURE_MANIFEST_BYTES });
    children = readChildren(fetched.json);
  } catch (error) {
    const message = isAppError(error) ? `${error.code}: ${error.message}` : String(error);
    return { ...indexResult, decision: 'inconclusive', reasons: [...indexResult.reasons, { code: REASON.registryUnavailable, message }] };
  }
  const wanted = required === 'all' ? children.map((c) => c.digest) : required;
  const missing = wanted.filter((digest) => !children.some((c) => c.digest === digest));
  if (missing.length > 0) {
    const reasons = missing.map((digest) => ({ code: REASON.platformNotCovered, message: `${digest} is not a manifest of index ${index.digest}` }));
    return { ...indexResult, decision: 'deny', reasons: [...indexResult.reasons, ...reasons] };
  }
  if (indexResult.decision === 'allow') return indexResult;

  const outcomes = [...indexResult.outcomes];
  const reasons: Reason[] = [];
  let decision: SignatureSearchResult['decision'] = 'allow';
  for (const digest of wanted) {
    const child = children.find((c) => c.digest === digest) as Descriptor;
    const result = await searchSignatures({ ...search, subject: child });
    outcomes.push(...result.outcomes);
    if (result.decision !== 'allow') {
      reasons.push(...result.reasons.map((r) => ({ code: r.code, message: `platform ${digest}: ${r.message}` })));
      if (decision !== 'inconclusive') decision = result.decision;
    }
  }
  if (decision === 'allow') reasons.push({ code: REASON.verified, message: `every required platform manifest of ${index.digest} verified` });
  return { decision, outcomes, reasons };
}

function readChildren(json: unknown): Descriptor[] {
  const manifests = (json as { manifests?: unknown })?.manifests;
  if (!Array.isArray(manifests)) return [];
  return manifests.filter((m): m is Descriptor => typeof m?.digest === 'string' && typeof m?.mediaType === 'string' && typeof m?.size === 'number');
}
