import type { EvidenceCheck, EvidenceOutcome } from '../verdict/index.js';
import { SCHEME_NAME } from './constants.js';
import { reason, type CosignErrorCode } from './errors.js';
import type { TrustRoot } from './trust-roots.js';
import type { RootAttempt } from './verify-entity.js';

/** Facts about one piece of evidence gathered before any trust root is tried. */
export interface EvidenceDraft {
  evidence: string;
  checks: EvidenceCheck[];
  details: Record<string, string>;
}

export function draft(evidence: string, details: Record<string, string> = {}): EvidenceDraft {
  return { evidence, checks: [], details };
}

/** A failed outcome for evidence that never reached a trust root (malformed, oversized, bound to another image). */
export function rejected(d: EvidenceDraft, check: string, code: CosignErrorCode, message: string): EvidenceOutcome {
  const error = reason(code, message);
  return { scheme: SCHEME_NAME, evidence: d.evidence, ok: false, checks: [...d.checks, { name: check, action: 'enforce', ok: false, error }], error, details: d.details };
}

/**
 * Tries the evidence against each candidate root (first acceptance wins). Without acceptance the outcome carries
 * the first root's failure, and details name every root's code, so an operator sees why each one refused.
 */
export function judge(d: EvidenceDraft, roots: readonly TrustRoot[], attempt: (root: TrustRoot) => RootAttempt): EvidenceOutcome {
  if (roots.length === 0) return rejected(d, 'trust-root', 'ERR_COSIGN_NO_TRUST_ROOT', 'no configured trust root of this kind (keyed or keyless) applies to the evidence');
  const attempts: RootAttempt[] = [];
  for (const root of roots) {
    const result = attempt(root);
    if (result.ok) {
      return {
        scheme: SCHEME_NAME,
        evidence: d.evidence,
        trustRoot: root.name,
        ok: true,
        checks: [...d.checks, ...result.checks],
        ...(result.signer ? { signer: result.signer } : {}),
        ...(result.signedAt ? { signedAt: result.signedAt } : {}),
        details: d.details,
      };
    }
    attempts.push(result);
  }
  const first = attempts[0] as RootAttempt;
  const error = first.checks.find((c) => !c.ok && c.action === 'enforce')?.error;
  const details = { ...d.details };
  if (attempts.length > 1) for (const a of attempts) details[`root.${a.root}`] = a.checks.find((c) => !c.ok)?.error?.code ?? 'ERR_COSIGN_MALFORMED';
  return {
    scheme: SCHEME_NAME,
    evidence: d.evidence,
    ok: false,
    checks: [...d.checks, ...first.checks],
    ...(first.signer ? { signer: first.signer } : {}),
    ...(error ? { error } : {}),
    details,
  };
}
