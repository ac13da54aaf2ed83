import { createHash } from 'node:crypto';
import type { RepositoryRef } from '../oci/index.js';
import type { EvidenceScheme, PushedManifest, SchemeDeps, SchemePlan, SchemeRequest, SchemeResult } from '../scheme/index.js';
import type { EvidenceOutcome, Reason } from '../verdict/index.js';
import { bundleOutcome } from './bundle-evidence.js';
import { BUNDLE_MEDIA_TYPES, LIMITS, SCHEME_NAME } from './constants.js';
import { evidenceFailure, unreachableReason } from './errors.js';
import { legacyOutcomes, signatureTag } from './legacy-evidence.js';
import { draft, rejected } from './outcome.js';
import { cosignEvidenceSubject } from './pushed-evidence.js';
import { fetchKeyVaultKey } from './keyvault-key.js';
import type { KeyedTrustRoot, TrustRoot } from './trust-roots.js';
import { isUnreachable, isUnreachableResult, type Unreachable } from './unreachable.js';

/** Retry delay after a failed Key Vault refresh. */
const RETRY_MS = 60_000;

/**
 * The cosign / Sigstore scheme: finds cosign's `.sig` tag signatures and OCI 1.1 Sigstore bundle referrers
 * through the orchestrator's bounded registry, and verifies each against the configured trust roots.
 */
export class CosignScheme implements EvidenceScheme {
  readonly name = SCHEME_NAME;
  private readonly roots: TrustRoot[];
  private fingerprintValue = '';
  private readonly refreshing = new Map<string, Promise<void>>();

  constructor(
    roots: readonly TrustRoot[],
    private readonly deps: SchemeDeps,
  ) {
    this.roots = [...roots];
    this.recomputeFingerprint();
  }

  private recomputeFingerprint(): void {
    const material = this.roots.map((root) => `${root.name}\n${root.kind}\n${root.material}`).sort();
    this.fingerprintValue = createHash('sha256').update(`cosign/v1\n${material.join('\n\n')}`).digest('hex');
  }

  /**
   * Re-reads Key Vault keys whose refresh period has passed (one read per root at a time). A failed read keeps
   * the key in use and is retried after RETRY_MS: a vault outage does not stop verification with the known key.
   */
  private async refreshDue(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    await Promise.all(
      this.roots.map((root) => {
        const vault = root.kind === 'keyed' ? root.keyVault : undefined;
        if (!vault || now - vault.loadedAt < vault.refreshMs) return undefined;
        let pending = this.refreshing.get(root.name);
        if (!pending) {
          pending = fetchKeyVaultKey(this.deps.fetch, vault.ref)
            .then(
              (key) => this.replace(vault.rebuild(key, now)),
              (error: unknown) => {
                this.deps.logger.log('warn', 'cosign.keyvault.refresh_failed', { root: root.name, error: error instanceof Error ? error.message : String(error) });
                this.replace({ ...(root as KeyedTrustRoot), keyVault: { ...vault, loadedAt: now - vault.refreshMs + RETRY_MS } });
              },
            )
            .finally(() => this.refreshing.delete(root.name));
          this.refreshing.set(root.name, pending);
        }
        return pending;
      }),
    );
  }

  private replace(root: TrustRoot): void {
    const index = this.roots.findIndex((r) => r.name === root.name);
    if (index >= 0) this.roots[index] = root;
    this.recomputeFingerprint();
  }

  trustRootNames(): readonly string[] {
    return this.roots.map((root) => root.name);
  }

  /** Scopes are the verification policy's business: where it asks for cosign evidence, cosign verifies. */
  plan(_repository: RepositoryRef): SchemePlan {
    return { kind: 'verify' };
  }

  evidenceSubject(pushed: PushedManifest): string | undefined {
    return cosignEvidenceSubject(pushed);
  }

  async fingerprint(): Promise<string> {
    await this.refreshDue();
    return this.fingerprintValue;
  }

  /** The fingerprint unless a Key Vault key is due for a re-read (then fingerprint() starts it). */
  currentFingerprint(): string | undefined {
    const now = this.deps.clock.now().getTime();
    const due = this.roots.some((root) => root.kind === 'keyed' && root.keyVault !== undefined && now - root.keyVault.loadedAt >= root.keyVault.refreshMs);
    return due ? undefined : this.fingerprintValue;
  }

  async verify(request: SchemeRequest): Promise<SchemeResult> {
    await this.refreshDue();
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
