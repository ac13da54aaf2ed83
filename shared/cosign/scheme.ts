import { createHash } from 'node:crypto';
import type { RepositoryRef } from '../oci/index.js';
import type { EvidenceScheme, SchemeDeps, SchemePlan, SchemeRequest, SchemeResult } from '../scheme/index.js';
import type { EvidenceOutcome, Reason } from '../verdict/index.js';
import { bundleOutcome } from './bundle-evidence.js';
import { BUNDLE_MEDIA_TYPES, LIMITS, SCHEME_NAME } from './constants.js';
import { evidenceFailure, unreachableReason } from './errors.js';
import { legacyOutcomes, signatureTag } from './legacy-evidence.js';
import { draft, rejected } from './outcome.js';
import type { TrustRoot } from './trust-roots.js';
import { isUnreachable, isUnreachableResult, type Unreachable } from './unreachable.js';

/**
 * The cosign / Sigstore scheme: finds cosign's `.sig` tag signatures and OCI 1.1 Sigstore bundle referrers
 * through the orchestrator's bounded registry, and verifies each against the configured trust roots.
 */
export class CosignScheme implements EvidenceScheme {
  readonly name = SCHEME_NAME;
  private readonly fingerprintValue: string;

  constructor(
    private readonly roots: readonly TrustRoot[],
    private readonly deps: SchemeDeps,
  ) {
    const material = roots.map((root) => `${root.name}\n${root.kind}\n${root.material}`).sort();
    this.fingerprintValue = createHash('sha256').update(`cosign/v1\n${material.join('\n\n')}`).digest('hex');
  }

  trustRootNames(): readonly string[] {
    return this.roots.map((root) => root.name);
  }

  /** Scopes are the verification policy's business: where it asks for cosign evidence, cosign verifies. */
  plan(_repository: RepositoryRef): SchemePlan {
    return { kind: 'verify' };
  }

  async fingerprint(): Promise<string> {
    return this.fingerprintValue;
  }

  async verify(request: SchemeRequest): Promise<SchemeResult> {
    const roots = request.trustRoots.length === 0 ? this.roots : this.roots.filter((root) => request.trustRoots.includes(root.name));
    const outcomes: EvidenceOutcome[] = [];
    const unreachable: Reason[] = [];
    const collect = (result: EvidenceOutcome | Unreachable) => (isUnreachableResult(result) ? unreachable.push(result.unreachable) : outcomes.push(result));

    // (a) cosign's tag scheme: sha256-<hex>.sig
    try {
      const manifest = await request.registry.manifestByTag(signatureTag(request.subject.digest));
      if (manifest) for (const result of await legacyOutcomes(manifest, request, roots)) collect(result);
    } catch (error) {
      if (isUnreachable(error)) unreachable.push(unreachableReason(error));
      else collect(rejected(draft(signatureTag(request.subject.digest), { format: 'simple-signing' }), 'format', evidenceFailure(error).code, evidenceFailure(error).message));
    }
    // (b) OCI 1.1 referrers carrying Sigstore bundles
    try {
      let seen = 0;
      for await (const manifest of request.registry.referrers(BUNDLE_MEDIA_TYPES)) {
        if (request.signal.aborted) break;
        if (++seen > LIMITS.bundlesPerSubject) {
          unreachable.push({ code: 'ERR_COSIGN_TOO_MANY_BUNDLES', message: `more than ${LIMITS.bundlesPerSubject} Sigstore bundles refer to the subject; the rest were not examined` });
          break;
        }
        collect(await bundleOutcome(manifest, request, roots));
      }
    } catch (error) {
      if (isUnreachable(error)) unreachable.push(unreachableReason(error));
      else collect(rejected(draft('referrers', { format: 'sigstore-bundle' }), 'format', evidenceFailure(error).code, evidenceFailure(error).message));
    }
    this.deps.logger.log('debug', 'cosign.verified', { subject: request.subject.digest, outcomes: outcomes.length, ok: outcomes.filter((o) => o.ok).length, unreachable: unreachable.length });
    return { outcomes, unreachable };
  }
}
