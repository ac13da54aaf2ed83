/**
 * Names and patterns of the Notary Project trust policy
 * (notaryproject/specifications specs/trust-store-trust-policy.md, "Trust Policy").
 */
import type { TrustStoreType } from '../truststore/index.js';

/** The only trust policy document version the specification defines. */
export const POLICY_VERSION = '1.0';

/** Wildcard value of `registryScopes` (global scope) and of `trustedIdentities` (any identity). */
export const WILDCARD = '*';

/** Prefix of trusted identities matched against the signing certificate's subject DN. */
export const X509_SUBJECT_PREFIX = 'x509.subject';

/** Separator between a trusted identity's prefix and its value, and between a store type and name. */
export const PREFIX_SEPARATOR = ':';

export const CHECK_NAMES = ['integrity', 'authenticity', 'authenticTimestamp', 'expiry', 'revocation'] as const;
export const CHECK_ACTIONS = ['enforce', 'log', 'skip'] as const;
export const LEVEL_NAMES = ['strict', 'permissive', 'audit', 'skip'] as const;
export const VERIFY_TIMESTAMP_OPTIONS = ['always', 'afterCertExpiry'] as const;

/** Store types a `trustStores` entry may name (the trust store port's types). */
export const POLICY_TRUST_STORE_TYPES = ['ca', 'signingAuthority', 'tsa'] as const satisfies readonly TrustStoreType[];

/** Named store names: the spec's charset, minus `.`/`..` which would address another directory. */
export const STORE_NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
export const RESERVED_STORE_NAMES: readonly string[] = ['.', '..'];

/** Registry part of a scope: distribution's domain grammar with an optional port. */
export const SCOPE_DOMAIN_PATTERN =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$/;
/** Repository part of a scope: distribution's lower-case path components. */
export const SCOPE_REPOSITORY_PATTERN =
  /^[a-z0-9]+(?:(?:[._]|__|-*)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-*)[a-z0-9]+)*)*$/;

/** An OCI digest (image-spec descriptor grammar): `algorithm:encoded`. */
export const DIGEST_PATTERN = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Longest accepted registry scope (distribution caps a full reference name at 255 characters). */
export const MAX_SCOPE_LENGTH = 255;

/** Attributes every x509.subject identity (and the leaf subject it is matched to) must carry. */
export const MANDATORY_DN_ATTRIBUTES = ['C', 'ST', 'O'] as const;

/** `S` is accepted as an alias of `ST` in trusted identities (reference behaviour). */
export const DN_TYPE_ALIASES: Readonly<Record<string, string>> = { S: 'ST' };

/** Error codes of PolicyError. */
export const ERR_TRUST_POLICY_INVALID = 'ERR_TRUST_POLICY_INVALID';
export const ERR_POLICY_ARTIFACT_SCOPE_INVALID = 'ERR_POLICY_ARTIFACT_SCOPE_INVALID';
