import { AppError } from '../core/index.js';

/** Every error thrown by shared/notary. Codes are stable (`ERR_NOTARY_*`); messages are for humans. */
export class NotaryError extends AppError {}

/**
 * Stable error codes of this module; each names why a check failed. They appear in outcomes
 * (`CheckResult.error.code`) and in thrown NotaryErrors.
 */
export const NotaryErrorCode = {
  /** The envelope media type is neither application/jose+json nor application/cose. */
  mediaType: 'ERR_NOTARY_ENVELOPE_MEDIA_TYPE',
  /** The envelope bytes are not a well-formed JWS / COSE_Sign1_Tagged structure. */
  malformed: 'ERR_NOTARY_ENVELOPE_MALFORMED',
  /** The envelope is larger than MAX_ENVELOPE_BYTES (checked before parsing). */
  tooLarge: 'ERR_NOTARY_ENVELOPE_TOO_LARGE',
  /** The envelope, its protected header or its payload nests deeper than the JSON/CBOR depth bound (checked before parsing). */
  tooDeep: 'ERR_NOTARY_ENVELOPE_TOO_DEEP',
  /** The envelope carries more certificates than MAX_CHAIN_CERTIFICATES (checked before decoding them). */
  chainTooLong: 'ERR_NOTARY_CHAIN_TOO_LONG',
  /** A signed attribute is missing, has the wrong type or breaks a Notary header rule. */
  header: 'ERR_NOTARY_ENVELOPE_HEADER',
  /** A header is listed as critical that this verifier does not understand (spec: MUST fail). */
  unknownCritical: 'ERR_NOTARY_UNKNOWN_CRITICAL_HEADER',
  /** The signature carries a verification plugin header; trustgate runs no plugins. */
  plugin: 'ERR_NOTARY_VERIFICATION_PLUGIN_UNSUPPORTED',
  /** `alg` is not allowed or differs from the algorithm implied by the signing key. */
  algorithm: 'ERR_NOTARY_ALGORITHM',
  /** The certificate chain is absent, unparsable or breaks the certificate requirements. */
  chain: 'ERR_NOTARY_CERTIFICATE_CHAIN',
  /** The signature value does not verify with the leaf key. */
  signature: 'ERR_NOTARY_SIGNATURE_INVALID',
  /** The payload is not a Notary payload (`{targetArtifact: descriptor}`). */
  payload: 'ERR_NOTARY_PAYLOAD_INVALID',
  /** No trust store of the type bound to the signing scheme is configured or readable. */
  noTrustStore: 'ERR_NOTARY_NO_TRUST_STORE',
  /** No certificate of the chain equals a trust anchor. */
  untrusted: 'ERR_NOTARY_UNTRUSTED_CHAIN',
  /** The leaf subject matches no trusted identity. */
  identity: 'ERR_NOTARY_IDENTITY_MISMATCH',
  /** The signature expiry has passed. */
  expired: 'ERR_NOTARY_SIGNATURE_EXPIRED',
  /** A chain certificate is not valid at the time that counts (now, timestamp or authentic signing time). */
  certificateValidity: 'ERR_NOTARY_CERTIFICATE_NOT_VALID',
  /** A timestamp countersignature is required but absent. */
  timestampMissing: 'ERR_NOTARY_TIMESTAMP_MISSING',
  /** The timestamp countersignature does not verify, is untrusted, or its TSA chain is revoked/unknown. */
  timestampInvalid: 'ERR_NOTARY_TIMESTAMP_INVALID',
  /** A certificate of the chain is revoked. */
  revoked: 'ERR_NOTARY_REVOKED',
  /** The revocation status could not be determined (responder down, stale CRL, no checker configured). */
  revocationUnknown: 'ERR_NOTARY_REVOCATION_UNKNOWN',
  /** The payload's target artifact differs from the artifact being verified. */
  descriptorMismatch: 'ERR_NOTARY_DESCRIPTOR_MISMATCH',
  /** Caller-required user metadata is missing from the payload annotations. */
  userMetadata: 'ERR_NOTARY_USER_METADATA_MISMATCH',
  /** A check threw something unexpected; recorded as a failure, never as a pass. */
  checkCrashed: 'ERR_NOTARY_CHECK_CRASHED',
} as const;

export type NotaryErrorCodeValue = (typeof NotaryErrorCode)[keyof typeof NotaryErrorCode];

/** Shorthand for the common case: a verification failure with a code. */
export function notaryFailure(code: NotaryErrorCodeValue, message: string, cause?: unknown): NotaryError {
  return new NotaryError(code, 'verification-failed', message, cause === undefined ? {} : { cause });
}
