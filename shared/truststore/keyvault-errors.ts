import { AppError } from '../core/index.js';

/**
 * Errors of the Key Vault trust store. Codes follow the trust store module's ERR_TRUST_STORE_* family so the
 * lead can fold this class into the module's TrustStoreError without changing any code a caller sees.
 */
export class KeyVaultTrustStoreError extends AppError {}

export const KEYVAULT_TRUST_STORE_CODES = {
  /** The configuration names a store badly (type or name) or refers to nothing usable. */
  invalidConfig: 'ERR_TRUST_STORE_CONFIG',
  /** getCertificates for a store the configuration does not define. */
  notFound: 'ERR_TRUST_STORE_NOT_FOUND',
  /** A store whose certificates all failed validation (or that holds none). */
  empty: 'ERR_TRUST_STORE_EMPTY',
  /** A secret that is neither a PEM chain nor a PFX trustgate can read without a password. */
  unreadable: 'ERR_TRUST_STORE_UNREADABLE',
  /** Key Vault could not be read and no earlier snapshot exists. */
  unavailable: 'ERR_TRUST_STORE_UNAVAILABLE',
} as const;
