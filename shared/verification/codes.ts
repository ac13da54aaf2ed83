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
  /** The caller's deadline (its abort signal) ended the verification before it could decide. */
  deadline: 'ERR_VERIFICATION_DEADLINE',
  /** This instance has too many verifications reaching registries in progress (inconclusive; retry). */
  busy: 'ERR_VERIFICATION_BUSY',
  internal: 'ERR_INTERNAL',
} as const;

export type ReasonCode = (typeof REASON)[keyof typeof REASON];

/** Cap on a subject's own manifest or index (the reference's limit). */
export const MAX_SIGNATURE_MANIFEST_BYTES = 4 * 1024 * 1024;
/**
 * Cap on an evidence manifest (signature manifest, cosign `.sig` image, bundle referrer): real ones are a few KiB;
 * a cosign `.sig` with certificates and bundles in its annotations stays well under this. Stricter than the reference.
 */
export const MAX_EVIDENCE_MANIFEST_BYTES = 256 * 1024;
/**
 * Cap on any evidence blob (signature envelope, bundle) a scheme may read; each scheme sets its own tighter limit
 * (Notary envelopes 1 MiB, cosign bundles 1 MiB). Stricter than the reference's 32 MiB: a chain is at most 10 certificates.
 */
export const MAX_ENVELOPE_BYTES = 4 * 1024 * 1024;
