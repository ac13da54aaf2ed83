import { AppError, type ErrorKind } from '../core/index.js';

/** Stable codes of the verification module's own errors, with their kind. */
const CODE_KINDS = {
  /** The registry proved the evidence absent or malformed: the piece of evidence fails. */
  ERR_MANIFEST_NOT_FOUND: 'verification-failed',
  ERR_BLOB_NOT_FOUND: 'verification-failed',
  ERR_INVALID_MANIFEST: 'verification-failed',
  ERR_INVALID_DESCRIPTOR: 'verification-failed',
  ERR_EVIDENCE_TOO_LARGE: 'verification-failed',
  ERR_EVIDENCE_MISMATCH: 'verification-failed',
  /** The evidence could not be read (network, 5xx, 429, timeouts, bytes that do not match their digest). */
  ERR_REGISTRY_UNAVAILABLE: 'inconclusive',
  ERR_VERIFICATION_DEADLINE: 'inconclusive',
  ERR_PUSH_INCONCLUSIVE: 'inconclusive',
} as const satisfies Record<string, ErrorKind>;

export type VerificationErrorCode = keyof typeof CODE_KINDS;

export function kindOfVerificationCode(code: VerificationErrorCode): ErrorKind {
  return CODE_KINDS[code];
}

/**
 * The one error class of the verification module. What the orchestrator's evidence registry throws to schemes:
 * `verification-failed` means "this piece of evidence is proven bad", `inconclusive` means "could not read it".
 */
export class VerificationError extends AppError {
  declare readonly code: VerificationErrorCode;

  constructor(code: VerificationErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, kindOfVerificationCode(code), message, options);
  }
}
