/**
 * Rules for one trust policy statement (spec "Trust Policy Properties", "Registry Scopes Constraints",
 * "Trusted Identities Constraints"); every broken rule becomes one PolicyProblem.
 */
import { PREFIX_SEPARATOR, WILDCARD, X509_SUBJECT_PREFIX } from './constants.js';
import { isSubsetDn, missingMandatoryAttributes, parseDistinguishedName } from './dn.js';
import type { DnAttributes } from './dn.js';
import { isRecord, signatureVerificationProblems } from './levels.js';
import { registryScopeFormat } from './scopes.js';
import { parseTrustStoreRef } from './trust-stores.js';
import type { PolicyProblem } from './types.js';

export type DocumentKind = 'oci' | 'blob';

const COMMON_FIELDS = ['name', 'signatureVerification', 'trustStores', 'trustedIdentities'];
const FIELDS: Record<DocumentKind, ReadonlySet<string>> = {
  oci: new Set([...COMMON_FIELDS, 'registryScopes']),
  blob: new Set([...COMMON_FIELDS, 'globalPolicy']),
};

/** All problems of the statement at `path` (document-wide rules such as unique names live in validate.ts). */
export function statementProblems(value: unknown, path: string, kind: DocumentKind): PolicyProblem[] {
  if (!isRecord(value)) return [{ code: 'TYPE_INVALID', message: 'a trust policy statement must be an object', path }];
  const label = typeof value.name === 'string' && value.name !== '' ? `statement "${value.name}"` : 'statement';
  const problems: PolicyProblem[] = [];
  const add = (code: PolicyProblem['code'], message: string, at: string): void => void problems.push({ code, message: `${label}: ${message}`, path: at });

  for (const key of Object.keys(value)) {
    if (!FIELDS[kind].has(key)) add('FIELD_UNKNOWN', `unknown field "${key}"`, `${path}.${key}`);
  }
  if (value.name === undefined || value.name === '') add('NAME_MISSING', 'every statement needs a name', `${path}.name`);
  else if (typeof value.name !== 'string') add('TYPE_INVALID', 'name must be a string', `${path}.name`);

  const verification = value.signatureVerification;
  const level = isRecord(verification) ? verification.level : undefined;
  if (verification === undefined) add('LEVEL_MISSING', 'signatureVerification with a level is required', `${path}.signatureVerification`);
  else for (const p of signatureVerificationProblems(verification, `${path}.signatureVerification`)) add(p.code, p.message, p.path);

  const stores = stringArray(value.trustStores, `${path}.trustStores`, add);
  const identities = stringArray(value.trustedIdentities, `${path}.trustedIdentities`, add);
  const isGlobal = kind === 'oci' ? scopeProblems(value.registryScopes, `${path}.registryScopes`, add) : globalFlag(value.globalPolicy, path, add);

  if (level === 'skip') {
    if (stores.length > 0 || identities.length > 0) {
      add('SKIP_WITH_TRUST', 'the skip level takes no trustStores or trustedIdentities', path);
    }
    if (isGlobal) add('SKIP_GLOBAL', 'the skip level cannot apply globally (spec: skip needs explicit scopes)', path);
    return problems;
  }
  const storesMissing = isAbsentOrEmpty(value.trustStores);
  if (storesMissing || isAbsentOrEmpty(value.trustedIdentities)) {
    const missing = storesMissing ? 'trustStores' : 'trustedIdentities';
    add('TRUST_MISSING', 'both trustStores and trustedIdentities must be specified', `${path}.${missing}`);
  }
  stores.forEach((entry, i) => {
    const parsed = parseTrustStoreRef(entry);
    if (parsed.kind === 'invalid') add(parsed.code, parsed.message, `${path}.trustStores[${i}]`);
  });
  identityProblems(identities, `${path}.trustedIdentities`, add);
  return problems;
}

function isAbsentOrEmpty(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

type Add = (code: PolicyProblem['code'], message: string, at: string) => void;

function stringArray(value: unknown, path: string, add: Add): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    add('TYPE_INVALID', 'must be an array of strings', path);
    return [];
  }
  return value.filter((item, i) => {
    if (typeof item === 'string') return true;
    add('TYPE_INVALID', 'must be a string', `${path}[${i}]`);
    return false;
  });
}

/** Validates registryScopes; returns true when the statement is the global (`*`) one. */
function scopeProblems(value: unknown, path: string, add: Add): boolean {
  const scopes = stringArray(value, path, add);
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    add('SCOPES_EMPTY', 'registryScopes must list at least one scope', path);
    return false;
  }
  const hasWildcard = scopes.includes(WILDCARD);
  if (hasWildcard && scopes.length > 1) add('SCOPE_WILDCARD_NOT_ALONE', `the global scope "*" cannot be combined with other scopes`, path);
  scopes.forEach((scope, i) => {
    if (scope === WILDCARD) return;
    const format = registryScopeFormat(scope);
    if (format === 'wildcard') add('SCOPE_WILDCARD_INVALID', `registry scope "${scope}" contains a wildcard; only a lone "*" is allowed`, `${path}[${i}]`);
    if (format === 'invalid') add('SCOPE_INVALID', `registry scope "${scope}" is not registry/repository without scheme, tag or digest`, `${path}[${i}]`);
  });
  return hasWildcard;
}

function globalFlag(value: unknown, path: string, add: Add): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') add('TYPE_INVALID', 'globalPolicy must be a boolean', `${path}.globalPolicy`);
  return value === true;
}

function identityProblems(identities: readonly string[], path: string, add: Add): void {
  if (identities.length > 1 && identities.includes(WILDCARD)) {
    add('IDENTITY_WILDCARD_NOT_ALONE', 'the wildcard identity "*" cannot be combined with other identities', path);
  }
  const subjects: Array<{ raw: string; attributes: DnAttributes }> = [];
  identities.forEach((identity, i) => {
    const at = `${path}[${i}]`;
    if (identity === WILDCARD) return;
    if (identity === '') return add('IDENTITY_EMPTY', 'a trusted identity is empty', at);
    const separator = identity.indexOf(PREFIX_SEPARATOR);
    if (separator < 0) return add('IDENTITY_SEPARATOR_MISSING', `trusted identity "${identity}" has no "prefix:value" separator`, at);
    if (identity.slice(0, separator) !== X509_SUBJECT_PREFIX) return;
    const value = identity.slice(separator + 1);
    if (value === '') return add('IDENTITY_VALUE_EMPTY', `trusted identity "${identity}" has no value`, at);
    const parsed = parseDistinguishedName(value);
    if (parsed.kind === 'invalid') return add('IDENTITY_DN_INVALID', `trusted identity "${identity}" is not a valid DN: ${parsed.reason}`, at);
    const missing = missingMandatoryAttributes(parsed.attributes);
    if (missing.length > 0) {
      return add('IDENTITY_DN_MANDATORY_MISSING', `trusted identity "${identity}" lacks ${missing.join(', ')} (C, ST or S, and O are required)`, at);
    }
    subjects.push({ raw: identity, attributes: parsed.attributes });
  });
  for (let i = 0; i < subjects.length; i++) {
    for (let j = i + 1; j < subjects.length; j++) {
      const [a, b] = [subjects[i]!, subjects[j]!];
      if (isSubsetDn(a.attributes, b.attributes) || isSubsetDn(b.attributes, a.attributes)) {
        add('IDENTITIES_OVERLAP', `trusted identities "${a.raw}" and "${b.raw}" overlap (one is a subset of the other)`, path);
      }
    }
  }
}
