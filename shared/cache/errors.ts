import { AppError } from '../core/index.js';

/**
 * Errors of the verdict cache. Cache failures never reach the decision path (get → miss, put → no-op);
 * these codes surface only for caller mistakes (ERR_CACHE_INVALID_CONTINUATION) and inside the module.
 */
export class CacheError extends AppError {}

export const CACHE_ERROR_CODES = {
  invalidContinuation: 'ERR_CACHE_INVALID_CONTINUATION',
  entryTooLarge: 'ERR_CACHE_ENTRY_TOO_LARGE',
  corruptEntry: 'ERR_CACHE_CORRUPT_ENTRY',
} as const;
