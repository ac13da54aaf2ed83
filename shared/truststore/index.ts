/** Trust stores: where trust anchors come from (spec "Trust Store"). */
export { TRUST_STORE_TYPES } from './port.js';
export type { TrustStore, TrustStoreType } from './port.js';
