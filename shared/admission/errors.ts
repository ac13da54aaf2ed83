import { AppError, type AppErrorOptions, type ErrorKind } from '../core/index.js';

/** Each code of the admission module with its kind (ERR_UNAUTHORIZED is answered 401). */
export const ADMISSION_ERROR_KINDS = {
  ERR_ADMISSION_INVALID_REVIEW: 'invalid-input',
  ERR_ADMISSION_UNSUPPORTED_VERSION: 'invalid-input',
  ERR_GATEKEEPER_INVALID_REQUEST: 'invalid-input',
  ERR_UNAUTHORIZED: 'invalid-input',
  ERR_ADMISSION_AUTH_NOT_CONFIGURED: 'config',
  ERR_CONFIG: 'config',
} as const satisfies Record<string, ErrorKind>;

export type AdmissionErrorCode = keyof typeof ADMISSION_ERROR_KINDS;

/** Errors of the admission module. The kind argument is kept for existing callers; the code → kind table decides. */
export class AdmissionError extends AppError {
  declare readonly code: AdmissionErrorCode;

  constructor(code: AdmissionErrorCode, _kind: ErrorKind, message: string, options: AppErrorOptions = {}) {
    super(code, ADMISSION_ERROR_KINDS[code], message, options);
  }
}
