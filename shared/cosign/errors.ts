import { AppError, isAppError, type AppErrorOptions, type ErrorKind } from '../core/index.js';
import type { Reason } from '../verdict/index.js';

/**
 * Stable codes of the cosign scheme. Evidence problems become failed outcomes (`verification-failed` or
 * `invalid-input`); only configuration problems are thrown (`config`).
 */
export type CosignErrorCode =
  | 'ERR_COSIGN_CONFIG'
  | 'ERR_COSIGN_MALFORMED'
  | 'ERR_COSIGN_TOO_LARGE'
  | 'ERR_COSIGN_UNSUPPORTED'
  | 'ERR_COSIGN_NO_TRUST_ROOT'
  | 'ERR_COSIGN_SUBJECT_MISMATCH'
  | 'ERR_COSIGN_REFERENCE_MISMATCH'
  | 'ERR_COSIGN_SIGNATURE'
  | 'ERR_COSIGN_KEY'
  | 'ERR_COSIGN_CERT_CHAIN'
  | 'ERR_COSIGN_CERT_VALIDITY'
  | 'ERR_COSIGN_SCT'
  | 'ERR_COSIGN_TLOG_MISSING'
  | 'ERR_COSIGN_TLOG_INVALID'
  | 'ERR_COSIGN_TIMESTAMP'
  | 'ERR_COSIGN_IDENTITY'
  | 'ERR_COSIGN_KEYVAULT';

const KIND: Record<CosignErrorCode, ErrorKind> = {
  ERR_COSIGN_CONFIG: 'config',
  ERR_COSIGN_MALFORMED: 'invalid-input',
  ERR_COSIGN_TOO_LARGE: 'invalid-input',
  ERR_COSIGN_UNSUPPORTED: 'verification-failed',
  ERR_COSIGN_NO_TRUST_ROOT: 'verification-failed',
  ERR_COSIGN_SUBJECT_MISMATCH: 'verification-failed',
  ERR_COSIGN_REFERENCE_MISMATCH: 'verification-failed',
  ERR_COSIGN_SIGNATURE: 'verification-failed',
  ERR_COSIGN_KEY: 'verification-failed',
  ERR_COSIGN_CERT_CHAIN: 'verification-failed',
  ERR_COSIGN_CERT_VALIDITY: 'verification-failed',
  ERR_COSIGN_SCT: 'verification-failed',
  ERR_COSIGN_TLOG_MISSING: 'verification-failed',
  ERR_COSIGN_TLOG_INVALID: 'verification-failed',
  ERR_COSIGN_TIMESTAMP: 'verification-failed',
  ERR_COSIGN_IDENTITY: 'verification-failed',
  ERR_COSIGN_KEYVAULT: 'inconclusive',
};

export class CosignError extends AppError {
  declare readonly code: CosignErrorCode;

  constructor(code: CosignErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, KIND[code], message, options);
  }
}

export function cosignErrorKind(code: CosignErrorCode): ErrorKind {
  return KIND[code];
}

/** A failure as a verdict Reason (messages are bounded: they may quote hostile input). */
export function reason(code: CosignErrorCode, message: string): Reason {
  return { code, message: message.length > 512 ? `${message.slice(0, 509)}...` : message };
}

/**
 * The cosign code of anything thrown while reading evidence: a CosignError keeps its code; a registry refusal
 * (digest or size mismatch, too large, missing blob) is malformed or oversized evidence, its own code quoted.
 */
export function evidenceFailure(error: unknown): { code: CosignErrorCode; message: string } {
  if (error instanceof CosignError) return { code: error.code, message: error.message };
  if (isAppError(error)) return { code: error.code === 'ERR_CONTENT_TOO_LARGE' ? 'ERR_COSIGN_TOO_LARGE' : 'ERR_COSIGN_MALFORMED', message: `${error.code}: ${error.message}` };
  return { code: 'ERR_COSIGN_MALFORMED', message: error instanceof Error ? error.message : String(error) };
}

/** "Could not reach" keeps the registry's own code (it is not a verdict on the evidence). */
export function unreachableReason(error: unknown): Reason {
  return isAppError(error) ? { code: error.code, message: error.message.slice(0, 512) } : { code: 'ERR_REGISTRY_UNAVAILABLE', message: String(error).slice(0, 512) };
}
