/**
 * Notary Project signature verification (notaryproject/specifications): envelope parsing (JWS, COSE),
 * the signed payload, the five checks and the per-signature verifier. No I/O of its own: trust material
 * and revocation arrive through ports.
 */
export type {
  CheckName,
  CheckAction,
  VerificationLevelName,
  OutcomeError,
  CheckResult,
  SignerFacts,
  SignatureOutcome,
} from './outcome.js';
export { NotaryError, NotaryErrorCode, notaryFailure } from './errors.js';
export type { NotaryErrorCodeValue } from './errors.js';
export * from './constants.js';
export { parsePayload, descriptorMatches, missingUserMetadata } from './payload.js';
export type { Descriptor, NotaryPayload } from './payload.js';
export {
  parseEnvelope,
  parseJwsEnvelope,
  parseCoseEnvelope,
  verifyEnvelopeSignature,
  algorithmFromCoseLabel,
  algorithmFromJwsName,
  algorithmInfo,
  encodeSigStructure,
} from './envelope/index.js';
export type { ParsedEnvelope, SignedAttributes, AlgorithmInfo, SignatureAlgorithm } from './envelope/index.js';
export { verifySignature } from './verifier.js';
export type { VerifySignatureInput, RevocationPort, ChainRevocationStatus } from './checks/context.js';
export { NOTARY_SCHEME, toEvidenceOutcome } from './evidence.js';
export { createNotaryScheme, notarySchemeFactory, MAX_ENVELOPE_BYTES } from './scheme.js';
export type { NotaryCheckInput, NotaryChecker, NotarySchemeOptions } from './scheme.js';
export { readSignatureManifest } from './signature-manifest.js';
export type { SignatureManifest } from './signature-manifest.js';
