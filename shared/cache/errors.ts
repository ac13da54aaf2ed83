import { AppError, type AppErrorOptions, type ErrorKind } from '../core/index.js';

export const CACHE_ERROR_CODES = {
  invalidContinuation: 'ERR_CACHE_INVALID_CONTINUATION',
  entryTooLarge: 'ERR_CACHE_ENTRY_TOO_LARGE',
  corruptEntry: 'ERR_CACHE_CORRUPT_ENTRY',
} as const;

export type CacheErrorCode = (typeof CACHE_ERROR_CODES)[keyof typeof CACHE_ERROR_CODES];

/** Each code's kind: a caller's mistake is invalid-input; what the cache itself wrote or read wrong is internal. */
export const CACHE_ERROR_KINDS: Readonly<Record<CacheErrorCode, ErrorKind>> = {
  ERR_CACHE_INVALID_CONTINUATION: 'invalid-input',
  ERR_CACHE_ENTRY_TOO_LARGE: 'internal',
  ERR_CACHE_CORRUPT_ENTRY: 'internal',
};

/**
 * Errors of the verdict cache. Cache failures never reach the decision path (get → miss, put → no-op);
 * these codes surface only for caller mistakes (ERR_CACHE_INVALID_CONTINUATION) and inside the module.
 * The kind argument is kept for existing callers; the code → kind table decides.
 */
export class CacheError extends AppError {
  declare readonly code: CacheErrorCode;

  constructor(code: CacheErrorCode, _kind: ErrorKind, message: string, options: AppErrorOptions = {}) {
    super(code, CACHE_ERROR_KINDS[code], message, options);
  }
}
