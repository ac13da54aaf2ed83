/**
 * Registry scopes (spec "Registry Scopes Constraints" and "Selecting a trust policy based on artifact URI").
 */
import { DIGEST_PATTERN, ERR_POLICY_ARTIFACT_SCOPE_INVALID, MAX_SCOPE_LENGTH, SCOPE_DOMAIN_PATTERN, SCOPE_REPOSITORY_PATTERN, WILDCARD } from './constants.js';
import { PolicyError } from './errors.js';
import type { TrustPolicyDocument, TrustPolicyStatement } from './types.js';

export type ScopeFormat = 'valid' | 'invalid' | 'wildcard';

/**
 * Classifies a non-global scope: `registry[:port]/repository` without scheme, tag or digest; any `*` inside
 * it is `wildcard` (only the lone `*` is a scope).
 */
export function registryScopeFormat(scope: string): ScopeFormat {
  if (scope.length > 1 && scope.includes(WILDCARD)) return 'wildcard';
  if (scope.length > MAX_SCOPE_LENGTH) return 'invalid';
  const slash = scope.indexOf('/');
  if (slash < 0) return 'invalid';
  const domain = scope.slice(0, slash);
  const repository = scope.slice(slash + 1);
  return SCOPE_DOMAIN_PATTERN.test(domain) && SCOPE_REPOSITORY_PATTERN.test(repository) ? 'valid' : 'invalid';
}

/**
 * The statement that applies to an artifact's repository (`registry/repository`, exactly as written in scopes,
 * no normalisation): the statement listing it, else the global `*` statement, else undefined (the artifact
 * is untrusted). Throws PolicyError ERR_POLICY_ARTIFACT_SCOPE_INVALID when `repository` is not a valid scope.
 */
export function selectPolicy(document: TrustPolicyDocument, repository: string): TrustPolicyStatement | undefined {
  if (repository === WILDCARD || registryScopeFormat(repository) !== 'valid') {
    throw new PolicyError(
      ERR_POLICY_ARTIFACT_SCOPE_INVALID,
      'invalid-input',
      `"${repository}" is not a fully qualified repository (registry/repository, without tag or digest)`,
    );
  }
  const index = scopeIndex(document);
  return index.exact.get(repository) ?? index.global;
}

interface ScopeIndex {
  statements: readonly TrustPolicyStatement[];
  count: number;
  /** Scope → the first statement that lists it (what the linear scan returned). */
  exact: Map<string, TrustPolicyStatement>;
  /** The last statement listing `*` (validation allows one). */
  global: TrustPolicyStatement | undefined;
}

/** One index per document, built on first use: a verify is a map lookup however many statements there are. */
const indexes = new WeakMap<TrustPolicyDocument, ScopeIndex>();

function scopeIndex(document: TrustPolicyDocument): ScopeIndex {
  const known = indexes.get(document);
  // Documents are parsed once and not changed; a replaced or resized statement list is still noticed.
  if (known && known.statements === document.trustPolicies && known.count === document.trustPolicies.length) return known;
  const exact = new Map<string, TrustPolicyStatement>();
  let global: TrustPolicyStatement | undefined;
  for (const statement of document.trustPolicies) {
    for (const scope of statement.registryScopes) {
      if (scope === WILDCARD) global = statement;
      else if (!exact.has(scope)) exact.set(scope, statement);
    }
  }
  const index = { statements: document.trustPolicies, count: document.trustPolicies.length, exact, global };
  indexes.set(document, index);
  return index;
}

/**
 * selectPolicy for a full artifact reference `registry/repository@algorithm:encoded`; the scope key is
 * everything before the last `@` (spec "Selecting a trust policy based on artifact URI"; tags must have been
 * resolved to a digest first). Throws PolicyError ERR_POLICY_ARTIFACT_SCOPE_INVALID for any other form.
 */
export function selectPolicyForReference(document: TrustPolicyDocument, reference: string): TrustPolicyStatement | undefined {
  const at = reference.lastIndexOf('@');
  if (at < 0 || !DIGEST_PATTERN.test(reference.slice(at + 1))) {
    throw new PolicyError(ERR_POLICY_ARTIFACT_SCOPE_INVALID, 'invalid-input', `"${reference}" is not a registry/repository@digest reference`);
  }
  return selectPolicy(document, reference.slice(0, at));
}
