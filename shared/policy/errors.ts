import { AppError } from '../core/index.js';
import type { AppErrorOptions } from '../core/index.js';
import { ERR_TRUST_POLICY_INVALID } from './constants.js';
import type { PolicyProblem } from './types.js';

/**
 * The policy module's error. `ERR_TRUST_POLICY_INVALID` (kind `config`) carries every problem found;
 * `ERR_POLICY_ARTIFACT_SCOPE_INVALID` (kind `invalid-input`) is a malformed repository given to selectPolicy.
 */
export class PolicyError extends AppError {
  readonly problems: readonly PolicyProblem[];

  constructor(code: string, kind: AppError['kind'], message: string, problems: readonly PolicyProblem[] = [], options: AppErrorOptions = {}) {
    super(code, kind, message, { ...options, details: { ...options.details, problems } });
    this.problems = problems;
  }
}

/** Builds the error for a document with problems: the message lists all of them. */
export function invalidPolicyError(problems: readonly PolicyProblem[], subject = 'trust policy'): PolicyError {
  const lines = problems.map((p) => `${p.path || '(document)'}: ${p.message}`);
  return new PolicyError(ERR_TRUST_POLICY_INVALID, 'config', `${subject} is invalid:\n${lines.join('\n')}`, problems);
}
