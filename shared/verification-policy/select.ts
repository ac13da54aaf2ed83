import type { Requirement, ScopedRequirement, VerificationPolicyDocument } from './types.js';

/** The requirement that applies to a repository, and the name of the policy it came from. */
export interface AppliedRequirement {
  /** The verification policy's name; undefined for the default (no document configured). */
  policyName?: string;
  require: Requirement;
}

/**
 * Without a verification policy document, Notary is required wherever the Notation trust policy has a statement:
 * exactly trustgate's behaviour before evidence schemes (the Notary scheme answers "none" where no statement applies).
 */
export const DEFAULT_REQUIREMENT: Requirement = { mode: 'anyOf', items: [{ scheme: 'notary' }] };

/**
 * Picks the policy for `registry/repository` the way Notation picks trust policy statements: an exact scope wins over
 * the wildcard `*`; repository scopes may end in `/*` for everything below (the longest such prefix wins).
 * Returns undefined when no policy applies (the caller denies).
 */
export function selectRequirement(document: VerificationPolicyDocument | undefined, repository: string): AppliedRequirement | undefined {
  if (document === undefined) return { require: DEFAULT_REQUIREMENT };
  const scope = repository.toLowerCase();
  let best: { policy: ScopedRequirement; rank: number } | undefined;
  for (const policy of document.policies) {
    for (const pattern of policy.registryScopes) {
      const rank = rankOf(pattern, scope);
      if (rank > 0 && (best === undefined || rank > best.rank)) best = { policy, rank };
    }
  }
  return best === undefined ? undefined : { policyName: best.policy.name, require: best.policy.require };
}

/** 0: no match; 1: `*`; 2 + prefix length: `prefix/*`; highest: exact. */
function rankOf(pattern: string, scope: string): number {
  if (pattern === '*') return 1;
  if (pattern.endsWith('/*')) {
    const prefix = pattern.slice(0, -1);
    return scope.startsWith(prefix) ? 2 + prefix.length : 0;
  }
  return pattern === scope ? Number.MAX_SAFE_INTEGER : 0;
}
