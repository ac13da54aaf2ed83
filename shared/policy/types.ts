import type { TrustStoreType } from '../truststore/index.js';
import type { CHECK_ACTIONS, CHECK_NAMES, LEVEL_NAMES, VERIFY_TIMESTAMP_OPTIONS } from './constants.js';

/** A verification check, in the spec's words. */
export type CheckName = (typeof CHECK_NAMES)[number];
/** What a failure of a check does: stop (enforce), warn and continue (log), or not run (skip). */
export type CheckAction = (typeof CHECK_ACTIONS)[number];
export type VerificationLevelName = (typeof LEVEL_NAMES)[number];
export type VerifyTimestampOption = (typeof VERIFY_TIMESTAMP_OPTIONS)[number];

/** Checks whose action a policy may override (integrity never). */
export type OverridableCheck = Exclude<CheckName, 'integrity'>;

export interface SignatureVerification {
  level: VerificationLevelName;
  override?: Partial<Record<OverridableCheck, CheckAction>>;
  verifyTimestamp?: VerifyTimestampOption;
}

/** One statement of an OCI trust policy document, as users write it for `notation`. */
export interface TrustPolicyStatement {
  name: string;
  registryScopes: string[];
  signatureVerification: SignatureVerification;
  /** `type:name` entries; empty for `skip` statements. */
  trustStores: string[];
  /** `*` alone, or `prefix:value` entries; empty for `skip` statements. */
  trustedIdentities: string[];
}

/** `trustpolicy.oci.json` (spec "Trust Policy Schema"). */
export interface TrustPolicyDocument {
  version: '1.0';
  trustPolicies: TrustPolicyStatement[];
}

/** One statement of a blob trust policy document (`trustpolicy.blob.json`). */
export interface BlobTrustPolicyStatement {
  name: string;
  signatureVerification: SignatureVerification;
  trustStores: string[];
  trustedIdentities: string[];
  /** At most one statement per document; it may not be `skip`. */
  globalPolicy?: boolean;
}

export interface BlobTrustPolicyDocument {
  version: '1.0';
  trustPolicies: BlobTrustPolicyStatement[];
}

/** A validation finding: a stable code, a human message and where it is (e.g. `trustPolicies[0].trustStores[1]`). */
export interface PolicyProblem {
  code: PolicyProblemCode;
  message: string;
  path: string;
}

export type PolicyProblemCode =
  | 'JSON_INVALID'
  | 'TYPE_INVALID'
  | 'FIELD_UNKNOWN'
  | 'VERSION_MISSING'
  | 'VERSION_UNSUPPORTED'
  | 'STATEMENTS_EMPTY'
  | 'NAME_MISSING'
  | 'NAME_DUPLICATE'
  | 'LEVEL_MISSING'
  | 'LEVEL_UNKNOWN'
  | 'OVERRIDE_ON_SKIP'
  | 'OVERRIDE_CHECK_UNKNOWN'
  | 'OVERRIDE_ACTION_UNKNOWN'
  | 'OVERRIDE_INTEGRITY'
  | 'OVERRIDE_SKIP_NOT_ALLOWED'
  | 'VERIFY_TIMESTAMP_INVALID'
  | 'SKIP_WITH_TRUST'
  | 'SKIP_GLOBAL'
  | 'TRUST_MISSING'
  | 'TRUST_STORE_MALFORMED'
  | 'TRUST_STORE_TYPE_UNKNOWN'
  | 'TRUST_STORE_NAME_INVALID'
  | 'IDENTITY_EMPTY'
  | 'IDENTITY_WILDCARD_NOT_ALONE'
  | 'IDENTITY_SEPARATOR_MISSING'
  | 'IDENTITY_VALUE_EMPTY'
  | 'IDENTITY_DN_INVALID'
  | 'IDENTITY_DN_MANDATORY_MISSING'
  | 'IDENTITIES_OVERLAP'
  | 'SCOPES_EMPTY'
  | 'SCOPE_WILDCARD_NOT_ALONE'
  | 'SCOPE_GLOBAL_MULTIPLE'
  | 'SCOPE_DUPLICATE'
  | 'SCOPE_INVALID'
  | 'SCOPE_WILDCARD_INVALID'
  | 'GLOBAL_POLICY_MULTIPLE';

/** A reference to a named trust store, from a statement's `trustStores`. */
export interface TrustStoreRef {
  type: TrustStoreType;
  name: string;
}

/** The actions a statement's level and override resolve to (spec table "Signature Verification details"). */
export interface ResolvedLevel {
  level: VerificationLevelName;
  actions: Record<CheckName, CheckAction>;
  verifyTimestamp: VerifyTimestampOption;
}
