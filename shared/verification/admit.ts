import { isAppError } from '../core/index.js';
import { parseReference, type Reference } from '../oci/index.js';
import type { EvidenceScheme, SchemePlan } from '../scheme/index.js';
import { neededCount, selectRequirement, type Requirement, type VerificationPolicyDocument } from '../verification-policy/index.js';
import type { Reason, VerdictPolicy } from '../verdict/index.js';
import { REASON } from './codes.js';
import { reasonOf } from './reasons.js';

/** A reference that needs the registry: its requirement and each named scheme's plan. */
export interface Admitted {
  ref: Reference;
  requirement: Requirement;
  plans: ReadonlyMap<string, SchemePlan>;
  policy?: VerdictPolicy;
}

/** A reference decided without any network call. */
export interface Decided {
  decision: 'allow' | 'deny';
  reasons: Reason[];
  digest?: string;
  policy?: VerdictPolicy;
}

/**
 * The checks that need no network, in order: reference syntax, an applicable requirement, the schemes' own plans
 * (level skip satisfies its items; a scheme with no trust configuration for the scope cannot), the registry allowlist.
 */
export function admit(
  reference: string,
  input: { schemes: ReadonlyMap<string, EvidenceScheme>; document: VerificationPolicyDocument | undefined; allowRegistry: (host: string) => boolean },
): Admitted | Decided {
  let ref: Reference;
  try {
    ref = parseReference(reference);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { decision: 'deny', reasons: [reasonOf(error, REASON.invalidReference)] };
  }
  const scope = `${ref.registry}/${ref.repository}`;
  const applied = selectRequirement(input.document, scope);
  if (!applied) return { decision: 'deny', reasons: [{ code: REASON.noTrustPolicy, message: `no verification policy applies to ${scope}` }] };
  const plans = new Map<string, SchemePlan>();
  for (const item of applied.require.items) {
    if (plans.has(item.scheme)) continue;
    const scheme = input.schemes.get(item.scheme);
    plans.set(item.scheme, scheme ? scheme.plan(ref) : { kind: 'none' });
  }
  const policy = verdictPolicy(applied.policyName, plans);
  const skipped = applied.require.items.filter((i) => plans.get(i.scheme)?.kind === 'skip');
  const possible = applied.require.items.filter((i) => plans.get(i.scheme)?.kind !== 'none');
  const needed = neededCount(applied.require);
  if (skipped.length >= needed) {
    const names = [...new Set(skipped.map((i) => nameOf(plans.get(i.scheme)) ?? i.scheme))];
    const reasons = names.map((name) => ({ code: REASON.levelSkip, message: `trust policy "${name}" skips verification` }));
    return { decision: 'allow', reasons, ...(ref.digest ? { digest: ref.digest } : {}), ...(policy ? { policy } : {}) };
  }
  if (possible.length < needed) {
    const message = applied.policyName === undefined ? `no trust policy applies to ${scope}` : `verification policy "${applied.policyName}" cannot be met: no trust configuration of ${missingSchemes(applied.require, plans)} applies to ${scope}`;
    return { decision: 'deny', reasons: [{ code: REASON.noTrustPolicy, message }], ...(policy ? { policy } : {}) };
  }
  if (!input.allowRegistry(ref.registry)) {
    return { decision: 'deny', reasons: [{ code: REASON.registryNotAllowed, message: `registry ${ref.registry} is not allowed` }], ...(policy ? { policy } : {}) };
  }
  return { ref, requirement: applied.require, plans, ...(policy ? { policy } : {}) };
}

/** The verification policy's name, else (no document) the applying scheme policy's; the level of the first plan that has one. */
function verdictPolicy(policyName: string | undefined, plans: ReadonlyMap<string, SchemePlan>): VerdictPolicy | undefined {
  const planned = [...plans.values()].map((p) => (p.kind === 'none' ? undefined : p.policy)).filter((p) => p !== undefined);
  const level = planned.find((p) => p.level !== undefined)?.level;
  const name = policyName ?? planned[0]?.name;
  if (name === undefined) return undefined;
  return { name, ...(level !== undefined ? { level } : {}) };
}

function nameOf(plan: SchemePlan | undefined): string | undefined {
  return plan && plan.kind !== 'none' ? plan.policy?.name : undefined;
}

function missingSchemes(requirement: Requirement, plans: ReadonlyMap<string, SchemePlan>): string {
  return [...new Set(requirement.items.filter((i) => plans.get(i.scheme)?.kind === 'none').map((i) => i.scheme))].join(', ');
}
