/**
 * Verification levels and custom overrides (spec "Signature Verification details" and "Custom Verification Level").
 */
import { CHECK_ACTIONS, CHECK_NAMES, LEVEL_NAMES, VERIFY_TIMESTAMP_OPTIONS } from './constants.js';
import { invalidPolicyError } from './errors.js';
import type { CheckAction, CheckName, PolicyProblem, ResolvedLevel, SignatureVerification, VerificationLevelName } from './types.js';

/** The spec's level table: what each preset does with each check. */
export const LEVEL_TABLE: Readonly<Record<VerificationLevelName, Readonly<Record<CheckName, CheckAction>>>> = {
  strict: { integrity: 'enforce', authenticity: 'enforce', authenticTimestamp: 'enforce', expiry: 'enforce', revocation: 'enforce' },
  permissive: { integrity: 'enforce', authenticity: 'enforce', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' },
  audit: { integrity: 'enforce', authenticity: 'log', authenticTimestamp: 'log', expiry: 'log', revocation: 'log' },
  skip: { integrity: 'skip', authenticity: 'skip', authenticTimestamp: 'skip', expiry: 'skip', revocation: 'skip' },
};

/** Checks whose override may be `skip`. */
const SKIPPABLE: ReadonlySet<CheckName> = new Set<CheckName>(['revocation']);

/**
 * Problems of a `signatureVerification` object (level, override, verifyTimestamp) at `path`.
 * Accepts untyped JSON so the document validator and resolveLevel share one rule set.
 */
export function signatureVerificationProblems(value: unknown, path: string): PolicyProblem[] {
  if (!isRecord(value)) return [{ code: 'TYPE_INVALID', message: 'signatureVerification must be an object', path }];
  const problems: PolicyProblem[] = [];
  for (const key of Object.keys(value)) {
    if (key !== 'level' && key !== 'override' && key !== 'verifyTimestamp') {
      problems.push({ code: 'FIELD_UNKNOWN', message: `unknown field "${key}"`, path: `${path}.${key}` });
    }
  }
  const level = value.level;
  if (level === undefined || level === '') {
    problems.push({ code: 'LEVEL_MISSING', message: 'the verification level is missing', path: `${path}.level` });
  } else if (!isOneOf(LEVEL_NAMES, level)) {
    problems.push({ code: 'LEVEL_UNKNOWN', message: `unknown verification level ${JSON.stringify(level)} (strict, permissive, audit or skip)`, path: `${path}.level` });
  }
  if (value.override !== undefined) problems.push(...overrideProblems(value.override, level, `${path}.override`));
  const verifyTimestamp = value.verifyTimestamp;
  if (verifyTimestamp !== undefined && !isOneOf(VERIFY_TIMESTAMP_OPTIONS, verifyTimestamp)) {
    problems.push({
      code: 'VERIFY_TIMESTAMP_INVALID',
      message: `verifyTimestamp must be "always" or "afterCertExpiry", not ${JSON.stringify(verifyTimestamp)}`,
      path: `${path}.verifyTimestamp`,
    });
  }
  return problems;
}

function overrideProblems(override: unknown, level: unknown, path: string): PolicyProblem[] {
  if (!isRecord(override)) return [{ code: 'TYPE_INVALID', message: 'override must be an object', path }];
  const entries = Object.entries(override);
  if (level === 'skip' && entries.length > 0) {
    return [{ code: 'OVERRIDE_ON_SKIP', message: 'the skip level cannot be customized with override', path }];
  }
  const problems: PolicyProblem[] = [];
  for (const [check, action] of entries) {
    const at = `${path}.${check}`;
    if (!isOneOf(CHECK_NAMES, check)) {
      problems.push({ code: 'OVERRIDE_CHECK_UNKNOWN', message: `unknown check "${check}" (authenticity, authenticTimestamp, expiry or revocation)`, path: at });
    } else if (check === 'integrity') {
      problems.push({ code: 'OVERRIDE_INTEGRITY', message: 'integrity cannot be overridden, not even to enforce', path: at });
    } else if (!isOneOf(CHECK_ACTIONS, action)) {
      problems.push({ code: 'OVERRIDE_ACTION_UNKNOWN', message: `unknown action ${JSON.stringify(action)} (enforce, log or skip)`, path: at });
    } else if (action === 'skip' && !SKIPPABLE.has(check)) {
      problems.push({ code: 'OVERRIDE_SKIP_NOT_ALLOWED', message: `${check} cannot be skipped (only revocation can)`, path: at });
    }
  }
  return problems;
}

/**
 * The action of every check for a statement: the level's preset with the override applied, and the
 * timestamp option (default `always`). Throws PolicyError (ERR_TRUST_POLICY_INVALID) on an invalid object.
 */
export function resolveLevel(signatureVerification: SignatureVerification): ResolvedLevel {
  const problems = signatureVerificationProblems(signatureVerification, 'signatureVerification');
  if (problems.length > 0) throw invalidPolicyError(problems, 'signatureVerification');
  const level = signatureVerification.level;
  const actions: Record<CheckName, CheckAction> = { ...LEVEL_TABLE[level] };
  for (const [check, action] of Object.entries(signatureVerification.override ?? {})) {
    actions[check as CheckName] = action;
  }
  return { level, actions, verifyTimestamp: signatureVerification.verifyTimestamp ?? 'always' };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isOneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

