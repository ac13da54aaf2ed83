/**
 * Trust stores (spec "Trust Store"): where trust anchors come from — Notation-layout directories, inline PEM,
 * and a composite of several sources. All apply the same anchor rules (CA or self-signed; tsa = roots only).
 */
export { TRUST_STORE_TYPES } from './port.js';
export type { TrustStore, TrustStoreType } from './port.js';
export { FileTrustStore } from './file-store.js';
export type { FileTrustStoreOptions } from './file-store.js';
export { InlineTrustStore } from './inline-store.js';
export type { InlineTrustStoreOptions } from './inline-store.js';
export { CompositeTrustStore } from './composite-store.js';
export { TrustStoreError } from './errors.js';
export { parseCertificates, validateAnchors } from './certificates.js';
export { thumbprint } from './store-ref.js';
export { TRUST_STORE_ERROR_CODES, CERTIFICATE_EXTENSIONS } from './constants.js';
export type { TrustStoreErrorCode } from './constants.js';
export { validateTrustStoreRoot, validateNamedStores, namedStorePath } from './validate.js';
export type { TrustStoreProblem } from './validate.js';
