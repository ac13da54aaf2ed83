/**
 * Docker Content Trust (Notary v1 / TUF) as an evidence scheme: a small strict TUF client for Notary trust data
 * with pinned root keys, and the scheme that binds a signed tag (or digest) to the subject manifest.
 */
export { dctScheme, DctScheme, DCT_SCHEME, gunOf } from './scheme.js';
export { DCT_CODES, DCT_OK, DctError } from './errors.js';
export { parseDctConfig } from './config.js';
export type { DctConfig, DctTrustRoot } from './config.js';
export { canonicalJson } from './canonical-json.js';
export { parseTufKey, tufKeyId, verifyTufSignature } from './keys.js';
export type { TufKey, PublicTufKey, KeyType } from './keys.js';
