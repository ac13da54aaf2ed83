/**
 * The verification policy across evidence schemes (TRUSTGATE_VERIFICATION_POLICY): per registry scope, which evidence
 * is required (any-of, all-of, N-of-M across schemes and trust roots).
 */
export type { Requirement, RequirementItem, ScopedRequirement, VerificationPolicyDocument } from './types.js';
export { neededCount, describeItem } from './types.js';
export { selectRequirement, DEFAULT_REQUIREMENT } from './select.js';
export type { AppliedRequirement } from './select.js';
export { parseVerificationPolicy, validateVerificationPolicy, fingerprintVerificationPolicy } from './parse.js';
export { referenceProblems } from './references.js';
export type { SchemeRoots } from './references.js';
export { VerificationPolicyError } from './errors.js';
export type { VerificationPolicyProblem, VerificationPolicyErrorCode } from './errors.js';
