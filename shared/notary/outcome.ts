/**
 * What the engine says about one signature: one result per check, in the spec's words
 * (notaryproject/specifications trust-store-trust-policy.md, "Signature Verification details").
 */
import type { CheckAction, CheckName, VerificationLevelName } from '../policy/index.js';

/** The spec's check, action and level names are the trust policy's (one definition, in shared/policy). */
export type { CheckAction, CheckName, VerificationLevelName };

export interface OutcomeError {
  code: string;
  message: string;
}

export interface CheckResult {
  check: CheckName;
  action: CheckAction;
  /** false only when the check ran and failed; a skipped check is ok: true. */
  ok: boolean;
  error?: OutcomeError;
}

export interface SignerFacts {
  /** Leaf subject DN as RFC 4514 text. */
  subject: string;
  issuer: string;
  /** SHA-256 hex (lowercase) of each certificate of the envelope chain, leaf first. */
  thumbprints: string[];
  notBefore: string;
  notAfter: string;
}

export interface SignatureOutcome {
  /** Digest of the signature manifest (set by the verification service; absent for bare envelopes). */
  signatureDigest?: string;
  envelopeMediaType: string;
  signingScheme?: 'notary.x509' | 'notary.x509.signingAuthority';
  level: VerificationLevelName;
  /** true when every enforced check passed and the payload matches the subject descriptor. */
  ok: boolean;
  checks: CheckResult[];
  signer?: SignerFacts;
  /** RFC 3339; the signing time (or authentic signing time) from the envelope. */
  signingTime?: string;
  /** RFC 3339; genTime of a verified RFC 3161 countersignature. */
  timestampTime?: string;
  /** RFC 3339; the earliest instant this outcome could change (cert/timestamp/signature expiry, revocation nextUpdate). */
  expiresAt?: string;
  /** The first enforced failure, when ok is false. */
  error?: OutcomeError;
}
