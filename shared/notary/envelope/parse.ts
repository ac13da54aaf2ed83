import { MEDIA_TYPE_COSE, MEDIA_TYPE_JWS } from '../constants.js';
import { NotaryErrorCode, notaryFailure } from '../errors.js';
import { assertEnvelopeSize } from './bounds.js';
import { parseCoseEnvelope } from './cose.js';
import { parseJwsEnvelope } from './jws.js';
import type { ParsedEnvelope } from './types.js';

/**
 * Parses a signature envelope by its media type (the signature manifest's layer mediaType).
 * Throws a NotaryError for an unknown media type, an envelope over a work bound (size, depth, certificates; each
 * checked before the expensive step) or any malformed envelope — an integrity failure.
 */
export function parseEnvelope(bytes: Uint8Array, mediaType: string): ParsedEnvelope {
  assertEnvelopeSize(bytes);
  switch (mediaType) {
    case MEDIA_TYPE_JWS:
      return parseJwsEnvelope(bytes);
    case MEDIA_TYPE_COSE:
      return parseCoseEnvelope(bytes);
    default:
      throw notaryFailure(NotaryErrorCode.mediaType, `unsupported signature envelope media type ${JSON.stringify(mediaType)}`);
  }
}
