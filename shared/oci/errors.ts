import { AppError } from '../core/index.js';
import type { AppErrorOptions, ErrorKind } from '../core/index.js';

/** An error code from an OCI error body (distribution-spec "Error Codes"), e.g. MANIFEST_UNKNOWN. */
export interface OciErrorEntry {
  code: string;
  message: string;
}

/** Stable codes of the oci module (part of the public API). */
export type RegistryErrorCode =
  | 'ERR_INVALID_REFERENCE'
  | 'ERR_INVALID_DIGEST'
  | 'ERR_INVALID_DESCRIPTOR'
  | 'ERR_REGISTRY_NOT_ALLOWED'
  | 'ERR_ADDRESS_FORBIDDEN'
  | 'ERR_MANIFEST_NOT_FOUND'
  | 'ERR_BLOB_NOT_FOUND'
  | 'ERR_REGISTRY_UNAUTHORIZED'
  | 'ERR_REGISTRY_DENIED'
  | 'ERR_REGISTRY_RATE_LIMITED'
  | 'ERR_REGISTRY_UNAVAILABLE'
  | 'ERR_REGISTRY_HTTP'
  | 'ERR_REGISTRY_TIMEOUT'
  | 'ERR_REGISTRY_CONNECTION'
  | 'ERR_REGISTRY_ABORTED'
  | 'ERR_TOO_MANY_REDIRECTS'
  | 'ERR_REDIRECT_REFUSED'
  | 'ERR_AUTH_CHALLENGE'
  | 'ERR_TOKEN_REQUEST'
  | 'ERR_CREDENTIALS'
  | 'ERR_DIGEST_MISMATCH'
  | 'ERR_SIZE_MISMATCH'
  | 'ERR_CONTENT_TOO_LARGE'
  | 'ERR_CONTENT_TOO_DEEP'
  | 'ERR_INVALID_MANIFEST'
  | 'ERR_INVALID_RESPONSE'
  | 'ERR_REFERRERS_TOO_MANY_PAGES';

export interface RegistryErrorOptions extends AppErrorOptions {
  /** Optional. The HTTP status that caused the error. */
  status?: number;
  /** Optional. Entries of the OCI error body. Default: []. */
  ociErrors?: OciErrorEntry[];
}

/**
 * The one error class of the oci module. `kind` is `inconclusive` when the registry could not answer
 * (5xx, 429, timeouts, connection errors) and `verification-failed` only when it proved absence or served
 * content that does not match its digest.
 */
export class RegistryError extends AppError {
  declare readonly code: RegistryErrorCode;
  readonly status: number | undefined;
  readonly ociErrors: OciErrorEntry[];

  constructor(code: RegistryErrorCode, kind: ErrorKind, message: string, options: RegistryErrorOptions = {}) {
    super(code, kind, message, options);
    this.status = options.status;
    this.ociErrors = options.ociErrors ?? [];
  }
}
