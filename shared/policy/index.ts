/**
 * Trust policy (notaryproject/specifications specs/trust-store-trust-policy.md): parse and validate documents,
 * select the statement for a repository, resolve levels and overrides, match trusted identities.
 * Pure: no I/O, no process.env.
 */
export { parseTrustPolicy, parseBlobTrustPolicy, selectBlobPolicy } from './parse.js';
export { validateTrustPolicy, validateBlobTrustPolicy } from './validate.js';
export { selectPolicy, selectPolicyForReference, registryScopeFormat } from './scopes.js';
export type { ScopeFormat } from './scopes.js';
export { resolveLevel, LEVEL_TABLE } from './levels.js';
export { trustStoreRefs, parseTrustStoreRef, isValidStoreName } from './trust-stores.js';
export { matchesTrustedIdentity, evaluateTrustedIdentities, parseX509SubjectIdentity, leafSubjectAttributes } from './identity.js';
export type { SubjectAttribute, IdentityEvaluation } from './identity.js';
export { parseDistinguishedName, isSubsetDn } from './dn.js';
export type { DnAttributes, DnParseResult } from './dn.js';
export { fingerprintPolicy } from './fingerprint.js';
export { PolicyError } from './errors.js';
export {
  CHECK_NAMES,
  CHECK_ACTIONS,
  LEVEL_NAMES,
  WILDCARD,
  X509_SUBJECT_PREFIX,
  ERR_TRUST_POLICY_INVALID,
  ERR_POLICY_ARTIFACT_SCOPE_INVALID,
} from './constants.js';
export type {
  TrustPolicyDocument,
  TrustPolicyStatement,
  BlobTrustPolicyDocument,
  BlobTrustPolicyStatement,
  SignatureVerification,
  CheckName,
  CheckAction,
  VerificationLevelName,
  VerifyTimestampOption,
  OverridableCheck,
  PolicyProblem,
  PolicyProblemCode,
  TrustStoreRef,
  ResolvedLevel,
} from './types.js';
