import { MEDIA_TYPE_DOCKER_MANIFEST_LIST, MEDIA_TYPE_OCI_INDEX, type Descriptor, type RepositoryRef } from '../oci/index.js';
import type { Reason } from '../verdict/index.js';
import { MAX_SIGNATURE_MANIFEST_BYTES, REASON } from './codes.js';
import type { Evaluation } from './combine.js';
import type { RegistryReader } from './ports.js';
import { describeError } from './reasons.js';

export function isIndex(descriptor: Descriptor): boolean {
  return descriptor.mediaType === MEDIA_TYPE_OCI_INDEX || descriptor.mediaType === MEDIA_TYPE_DOCKER_MANIFEST_LIST;
}

/**
 * Multi-arch coverage: a verified index covers its children by digest, so a required platform manifest
 * passes when the verified index lists it. When the index itself is not verified, each required child
 * must carry evidence of its own that meets the requirement.
 */
export async function checkPlatforms(
  read: { reader: RegistryReader; repository: RepositoryRef; signal: AbortSignal },
  index: Descriptor,
  indexResult: Evaluation,
  required: 'all' | string[],
  evaluateChild: (child: Descriptor) => Promise<Evaluation>,
): Promise<Evaluation> {
  if (!isIndex(index)) {
    // A single-platform manifest covers itself only: naming any other digest is not silently ignored.
    const missing = required === 'all' ? [] : required.filter((digest) => digest !== index.digest);
    if (missing.length === 0) return indexResult;
    const reasons = missing.map((digest) => ({ code: REASON.platformNotCovered, message: `${digest}: the subject ${index.digest} is a single manifest, not an index` }));
    return { ...indexResult, decision: 'deny', reasons: [...indexResult.reasons, ...reasons] };
  }
  let children: Descriptor[];
  try {
    const fetched = await read.reader.fetchManifest(read.repository, index, { signal: read.signal, maxBytes: MAX_SIGNATURE_MANIFEST_BYTES });
    children = readChildren(fetched.json);
  } catch (error) {
    return { ...indexResult, decision: 'inconclusive', reasons: [...indexResult.reasons, { code: REASON.registryUnavailable, message: describeError(error) }] };
  }
  const wanted = required === 'all' ? children.map((c) => c.digest) : required;
  const missing = wanted.filter((digest) => !children.some((c) => c.digest === digest));
  if (missing.length > 0) {
    const reasons = missing.map((digest) => ({ code: REASON.platformNotCovered, message: `${digest} is not a manifest of index ${index.digest}` }));
    return { ...indexResult, decision: 'deny', reasons: [...indexResult.reasons, ...reasons] };
  }
  if (indexResult.decision === 'allow') return indexResult;

  const evidence = [...indexResult.evidence];
  const reasons: Reason[] = [];
  let decision: Evaluation['decision'] = 'allow';
  for (const digest of wanted) {
    const child = children.find((c) => c.digest === digest) as Descriptor;
    const result = await evaluateChild(child);
    evidence.push(...result.evidence);
    if (result.decision !== 'allow') {
      reasons.push(...result.reasons.map((r) => ({ code: r.code, message: `platform ${digest}: ${r.message}` })));
      if (decision !== 'inconclusive') decision = result.decision;
    }
  }
  if (decision === 'allow') reasons.push({ code: REASON.verified, message: `every required platform manifest of ${index.digest} verified` });
  return { decision, evidence, reasons };
}

function readChildren(json: unknown): Descriptor[] {
  const manifests = (json as { manifests?: unknown })?.manifests;
  if (!Array.isArray(manifests)) return [];
  return manifests.filter((m): m is Descriptor => typeof m?.digest === 'string' && typeof m?.mediaType === 'string' && typeof m?.size === 'number');
}
