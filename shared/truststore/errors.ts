import { AppError } from '../core/index.js';
import type { AppErrorOptions } from '../core/index.js';
import type { TrustStoreErrorCode } from './constants.js';

/** The truststore module's error: a missing or invalid named store is a configuration problem (kind `config`). */
export class TrustStoreError extends AppError {
  declare readonly code: TrustStoreErrorCode;

  constructor(code: TrustStoreErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, 'config', message, options);
  }
}
