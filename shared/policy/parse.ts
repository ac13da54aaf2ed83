/**
 * Parsing trust policy documents into typed, normalised values (absent trustStores/trustedIdentities
 * become empty arrays) after validateTrustPolicy found nothing wrong.
 */
import { invalidPolicyError } from './errors.js';
import { validateBlobTrustPolicy, validateTrustPolicy } from './validate.js';
import type {
  BlobTrustPolicyDocument,
  BlobTrustPolicyStatement,
  SignatureVerification,
  TrustPolicyDocument,
  TrustPolicyStatement,
} from './types.js';

/** Parses and validates an OCI trust policy (JSON text or parsed JSON); throws PolicyError (ERR_TRUST_POLICY_INVALID) with every problem. */
export function parseTrustPolicy(input: string | unknown): TrustPolicyDocument {
  const problems = validateTrustPolicy(input);
  if (problems.length > 0) throw invalidPolicyError(problems, 'OCI trust policy');
  const raw = (typeof input === 'string' ? JSON.parse(input) : input) as TrustPolicyDocument;
  return { version: raw.version, trustPolicies: raw.trustPolicies.map(toStatement) };
}

/** Parses and validates a blob trust policy (JSON text or parsed JSON); throws PolicyError (ERR_TRUST_POLICY_INVALID) with every problem. */
export function parseBlobTrustPolicy(input: string | unknown): BlobTrustPolicyDocument {
  const problems = validateBlobTrustPolicy(input);
  if (problems.length > 0) throw invalidPolicyError(problems, 'blob trust policy');
  const raw = (typeof input === 'string' ? JSON.parse(input) : input) as BlobTrustPolicyDocument;
  return {
    version: raw.version,
    trustPolicies: raw.trustPolicies.map((s) => ({
      name: s.name,
      signatureVerification: toVerification(s.signatureVerification),
      trustStores: [...(s.trustStores ?? [])],
      trustedIdentities: [...(s.trustedIdentities ?? [])],
      ...(s.globalPolicy === true ? { globalPolicy: true } : {}),
    })),
  };
}

/** The blob statement to use: the one named, else the global one; undefined when neither exists. */
export function selectBlobPolicy(document: BlobTrustPolicyDocument, name?: string): BlobTrustPolicyStatement | undefined {
  if (name !== undefined) return document.trustPolicies.find((s) => s.name === name);
  return document.trustPolicies.find((s) => s.globalPolicy === true);
}

function toStatement(s: TrustPolicyStatement): TrustPolicyStatement {
  return {
    name: s.name,
    registryScopes: [...s.registryScopes],
    signatureVerification: toVerification(s.signatureVerification),
    trustStores: [...(s.trustStores ?? [])],
    trustedIdentities: [...(s.trustedIdentities ?? [])],
  };
}

function toVerification(v: SignatureVerification): SignatureVerification {
  return {
    level: v.level,
    ...(v.override !== undefined && Object.keys(v.override).length > 0 ? { override: { ...v.override } } : {}),
    ...(v.verifyTimestamp !== undefined ? { verifyTimestamp: v.verifyTimestamp } : {}),
  };
}
