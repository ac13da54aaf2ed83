import { exceedsJsonDepth } from '../../core/index.js';
import { MAX_CHAIN_CERTIFICATES } from '../../pki/index.js';
import { NotaryErrorCode, notaryFailure } from '../errors.js';

/**
 * Largest envelope parsed. Real Notary envelopes are a few KiB (payload, a 2–4 certificate chain, an optional
 * timestamp token); 1 MiB leaves two orders of magnitude and keeps base64, JSON and CBOR decoding in milliseconds.
 */
export const MAX_ENVELOPE_BYTES = 1024 * 1024;

/**
 * Deepest JSON nesting accepted in an envelope, its protected header and its payload. Notary's own documents nest
 * 3 levels (payload → targetArtifact → annotations); 16 leaves room and keeps every parse shallow.
 */
export const MAX_ENVELOPE_JSON_DEPTH = 16;

export { MAX_CHAIN_CERTIFICATES };

/** Refuses an envelope over MAX_ENVELOPE_BYTES before any decoding. */
export function assertEnvelopeSize(bytes: Uint8Array): void {
  if (bytes.length > MAX_ENVELOPE_BYTES) {
    throw notaryFailure(NotaryErrorCode.tooLarge, `signature envelope is ${bytes.length} bytes, over the ${MAX_ENVELOPE_BYTES}-byte limit`);
  }
}

/** Refuses JSON nested deeper than MAX_ENVELOPE_JSON_DEPTH, measured on the raw bytes before JSON.parse. */
export function assertShallowJson(bytes: Uint8Array, what: string): void {
  if (exceedsJsonDepth(bytes, MAX_ENVELOPE_JSON_DEPTH)) {
    throw notaryFailure(NotaryErrorCode.tooDeep, `${what} nests deeper than ${MAX_ENVELOPE_JSON_DEPTH} levels`);
  }
}

/** Refuses more than MAX_CHAIN_CERTIFICATES certificates before any of them is decoded or parsed. */
export function assertChainLength(count: number): void {
  if (count > MAX_CHAIN_CERTIFICATES) {
    throw notaryFailure(NotaryErrorCode.chainTooLong, `signature carries ${count} certificates, more than the ${MAX_CHAIN_CERTIFICATES} accepted`);
  }
}
