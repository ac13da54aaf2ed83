import { AppError, type ErrorKind } from '../core/index.js';

/** One problem of a verification policy document, located by its JSON path. */
export interface VerificationPolicyProblem {
  code: string;
  message: string;
  /** e.g. `policies[0].require.anyOf[1]`; '' for the document itself. */
  path: string;
}

const CODE_KINDS = {
  ERR_VERIFICATION_POLICY_INVALID: 'config',
} as const satisfies Record<string, ErrorKind>;

export type VerificationPolicyErrorCode = keyof typeof CODE_KINDS;

/** The module's error: every problem of the document, listed in the message and kept as data. */
export class VerificationPolicyError extends AppError {
  declare readonly code: VerificationPolicyErrorCode;
  readonly problems: readonly VerificationPolicyProblem[];

  constructor(code: VerificationPolicyErrorCode, problems: readonly VerificationPolicyProblem[]) {
    const lines = problems.map((p) => `${p.path || '(document)'}: ${p.message}`);
    super(code, CODE_KINDS[code], `verification policy is invalid:\n${lines.join('\n')}`, { details: { problems } });
    this.problems = problems;
  }
}
