import type { VerificationPolicyProblem } from './errors.js';
import type { VerificationPolicyDocument } from './types.js';

/** What the reference check needs of a built scheme. */
export interface SchemeRoots {
  name: string;
  trustRootNames(): readonly string[];
}

/**
 * Problems that need the built schemes: every required scheme must be configured, and every named trust root must be
 * one of that scheme's configured roots (a typo must not silently require the impossible, or the wrong signer).
 */
export function referenceProblems(document: VerificationPolicyDocument, schemes: readonly SchemeRoots[]): VerificationPolicyProblem[] {
  const problems: VerificationPolicyProblem[] = [];
  const byName = new Map(schemes.map((s) => [s.name, s]));
  document.policies.forEach((policy, i) => {
    const listKey = policy.require.mode === 'atLeast' ? 'of' : policy.require.mode;
    policy.require.items.forEach((item, j) => {
      const path = `policies[${i}].require.${listKey}[${j}]`;
      const scheme = byName.get(item.scheme);
      if (!scheme) {
        problems.push({ code: 'SCHEME_NOT_CONFIGURED', message: `scheme "${item.scheme}" is required but not configured (add schemes.${item.scheme})`, path });
      } else if (item.trustRoot !== undefined && !scheme.trustRootNames().includes(item.trustRoot)) {
        const known = scheme.trustRootNames();
        problems.push({ code: 'TRUST_ROOT_UNKNOWN', message: `${item.scheme} has no trust root "${item.trustRoot}" (configured: ${known.length > 0 ? known.join(', ') : 'none'})`, path });
      }
    });
  });
  return problems;
}
