import type { EvidenceOutcome } from '../verdict/index.js';
import type { SignatureOutcome } from './outcome.js';

/** The scheme's name in verdicts, verification policies and reports. */
export const NOTARY_SCHEME = 'notary';

/**
 * Notary's outcome of one signature in the format-neutral verdict's words. The trust root is the Notation trust
 * policy statement that applied; Notary-only facts (envelope media type, level, timestamp time) become details.
 */
export function toEvidenceOutcome(outcome: SignatureOutcome, statementName: string): EvidenceOutcome {
  const details: Record<string, string> = { envelopeMediaType: outcome.envelopeMediaType, level: outcome.level };
  if (outcome.signingScheme) details['signingScheme'] = outcome.signingScheme;
  if (outcome.timestampTime) details['timestampTime'] = outcome.timestampTime;
  return {
    scheme: NOTARY_SCHEME,
    ...(outcome.signatureDigest ? { evidence: outcome.signatureDigest } : {}),
    ...(outcome.ok ? { trustRoot: statementName } : {}),
    ok: outcome.ok,
    checks: outcome.checks.map((c) => ({ name: c.check, action: c.action, ok: c.ok, ...(c.error ? { error: c.error } : {}) })),
    ...(outcome.signer ? { signer: { ...outcome.signer, thumbprints: [...outcome.signer.thumbprints] } } : {}),
    ...(outcome.signingTime ? { signedAt: outcome.signingTime } : {}),
    ...(outcome.expiresAt ? { expiresAt: outcome.expiresAt } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
    details,
  };
}
