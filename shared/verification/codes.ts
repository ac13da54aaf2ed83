/** Reason codes of verdicts: part of the public API (REST, CLI JSON, admission messages). */
export const REASON = {
  verified: 'OK_SIGNATURE_VERIFIED',
  levelSkip: 'OK_VERIFICATION_SKIPPED',
  invalidReference: 'ERR_INVALID_REFERENCE',
  noTrustPolicy: 'ERR_NO_TRUST_POLICY',
  registryNotAllowed: 'ERR_REGISTRY_NOT_ALLOWED',
  manifestNotFound: 'ERR_MANIFEST_NOT_FOUND',
  noSignature: 'ERR_NO_SIGNATURE',
  signatureFailed: 'ERR_SIGNATURE_VERIFICATION_FAILED',
  signatureLimit: 'ERR_SIGNATURE_LIMIT_REACHED',
  registryUnavailable: 'ERR_REGISTRY_UNAVAILABLE',
  platformNotCovered: 'ERR_PLATFORM_NOT_COVERED',
  trustConfig: 'ERR_TRUST_CONFIGURATION',
  internal: 'ERR_INTERNAL',
} as const;

export const MAX_SIGNATURE_MANIFEST_BYTES = 4 * 1024 * 1024;
export const MAX_ENVELOPE_BYTES = 32 * 1024 * 1024;
