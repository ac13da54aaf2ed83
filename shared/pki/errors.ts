import { AppError, type AppErrorOptions, type ErrorKind } from '../core/index.js';

/**
 * Stable codes of the pki module. Parse problems are `invalid-input`; rule violations are
 * `verification-failed`; unreachable or unusable revocation data is `inconclusive`.
 */
export type PkiErrorCode =
  | 'ERR_CERT_PARSE'
  | 'ERR_CERT_CHAIN_EMPTY'
  | 'ERR_CERT_CHAIN_TOO_LONG'
  | 'ERR_CERT_CHAIN_INVALID'
  | 'ERR_CERT_SIGNATURE_ALGORITHM'
  | 'ERR_CERT_PROFILE'
  | 'ERR_KEY_UNSUPPORTED'
  | 'ERR_CERT_NOT_YET_VALID'
  | 'ERR_CERT_EXPIRED'
  | 'ERR_TIMESTAMP_PARSE'
  | 'ERR_TIMESTAMP_CONTENT_TYPE'
  | 'ERR_TIMESTAMP_VERSION'
  | 'ERR_TIMESTAMP_HASH_UNSUPPORTED'
  | 'ERR_TIMESTAMP_IMPRINT_MISMATCH'
  | 'ERR_TIMESTAMP_SIGNER_NOT_FOUND'
  | 'ERR_TIMESTAMP_SIGNING_CERTIFICATE'
  | 'ERR_TIMESTAMP_SIGNED_ATTRIBUTES'
  | 'ERR_TIMESTAMP_SIGNATURE'
  | 'ERR_TIMESTAMP_UNTRUSTED'
  | 'ERR_TIMESTAMP_NO_ANCHORS'
  | 'ERR_TIMESTAMP_OUTSIDE_VALIDITY'
  | 'ERR_OCSP_PARSE'
  | 'ERR_OCSP_RESPONSE'
  | 'ERR_CRL_PARSE'
  | 'ERR_CRL_INVALID'
  | 'ERR_REVOCATION_URL'
  | 'ERR_REVOCATION_FETCH';

const KIND: Record<PkiErrorCode, ErrorKind> = {
  ERR_CERT_PARSE: 'invalid-input',
  ERR_CERT_CHAIN_EMPTY: 'invalid-input',
  ERR_CERT_CHAIN_TOO_LONG: 'verification-failed',
  ERR_CERT_CHAIN_INVALID: 'verification-failed',
  ERR_CERT_SIGNATURE_ALGORITHM: 'verification-failed',
  ERR_CERT_PROFILE: 'verification-failed',
  ERR_KEY_UNSUPPORTED: 'verification-failed',
  ERR_CERT_NOT_YET_VALID: 'verification-failed',
  ERR_CERT_EXPIRED: 'verification-failed',
  ERR_TIMESTAMP_PARSE: 'invalid-input',
  ERR_TIMESTAMP_CONTENT_TYPE: 'verification-failed',
  ERR_TIMESTAMP_VERSION: 'verification-failed',
  ERR_TIMESTAMP_HASH_UNSUPPORTED: 'verification-failed',
  ERR_TIMESTAMP_IMPRINT_MISMATCH: 'verification-failed',
  ERR_TIMESTAMP_SIGNER_NOT_FOUND: 'verification-failed',
  ERR_TIMESTAMP_SIGNING_CERTIFICATE: 'verification-failed',
  ERR_TIMESTAMP_SIGNED_ATTRIBUTES: 'verification-failed',
  ERR_TIMESTAMP_SIGNATURE: 'verification-failed',
  ERR_TIMESTAMP_UNTRUSTED: 'verification-failed',
  ERR_TIMESTAMP_NO_ANCHORS: 'config',
  ERR_TIMESTAMP_OUTSIDE_VALIDITY: 'verification-failed',
  ERR_OCSP_PARSE: 'inconclusive',
  ERR_OCSP_RESPONSE: 'inconclusive',
  ERR_CRL_PARSE: 'inconclusive',
  ERR_CRL_INVALID: 'inconclusive',
  ERR_REVOCATION_URL: 'inconclusive',
  ERR_REVOCATION_FETCH: 'inconclusive',
};

/** The pki module's error: `code` is one of PkiErrorCode, `kind` follows from it. */
export class PkiError extends AppError {
  declare readonly code: PkiErrorCode;

  constructor(code: PkiErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, KIND[code], message, options);
  }
}

/** Runs `parse`, turning any non-PkiError into a PkiError with `code` (ASN.1 libraries throw plain errors). */
export function guardParse<T>(code: PkiErrorCode, what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof PkiError) throw error;
    throw new PkiError(code, `${what}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}
