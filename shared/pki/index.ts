/**
 * shared/pki — X.509 facts, Notary certificate-chain requirements, RFC 3161 timestamps, OCSP/CRL revocation.
 * Knows certificates, CMS, OCSP and CRLs; knows nothing of envelopes or trust policies.
 */
export { PkiError } from './errors.js';
export type { PkiErrorCode } from './errors.js';
export { OID, GO_ATTRIBUTE_NAMES, MAX_CHAIN_CERTIFICATES } from './constants.js';
export type { HashAlgorithm, SubjectAttributeName } from './constants.js';
export { parseCertificate, parseCertificates } from './certificate.js';
export type { Certificate } from './certificate.js';
export type { SubjectAttribute } from './names.js';
export type { BasicConstraintsFacts, KeyUsageFacts, EkuFacts, KeyUsageBit } from './extensions.js';
export { signatureAlgorithmForKey } from './keys.js';
export type { KeyFacts, NotaryAlgorithm, EcCurve } from './keys.js';
export { validateCodeSigningChain, validateTimestampingChain, isSelfSigned, issuedBy, chainSignatureChecks } from './chain.js';
export type { CertificateInput } from './chain.js';
export { validateLeafProfile, validateCaProfile } from './profiles.js';
export type { ChainPurpose } from './profiles.js';
export { validAt, chainValidAt } from './validity.js';
export type { ChainValidity, ValidityProblem } from './validity.js';
export { verifyTimestampToken, timestampCoversChain } from './timestamp/verify.js';
export type { TimestampVerifyOptions, VerifiedTimestamp } from './timestamp/verify.js';
export { parseTimestampToken } from './timestamp/token.js';
export type { ParsedToken } from './timestamp/token.js';
export { RevocationChecker } from './revocation/checker.js';
export type {
  RevocationStatus, RevocationMethod, CertRevocationResult, ChainRevocationResult, CheckChainOptions, RevocationCheckerOptions,
} from './revocation/types.js';
