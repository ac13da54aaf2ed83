import { AppError, isAppError } from '../shared/core/index.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

/** A usage or configuration problem the CLI found itself (a flag, a file): exit 2 with a message naming it. */
export class CliError extends AppError {
  constructor(message: string, code: 'ERR_CLI_USAGE' | 'ERR_CLI_CONFIG' = 'ERR_CLI_CONFIG') {
    super(code, code === 'ERR_CLI_USAGE' ? 'invalid-input' : 'config', message);
  }
}

/**
 * Prints a configuration or usage error once and returns exit 2; anything else is rethrown (main reports it, exit 3).
 * A trust policy error carries its problems both in the message and as a list: print the headline and the list, not both.
 */
export function reportUsageError(error: unknown, io: CliIo): number {
  if (!isAppError(error) || (error.kind !== 'config' && error.kind !== 'invalid-input')) throw error;
  const problems = (error as { problems?: Array<{ path?: string; message: string }> }).problems ?? [];
  const headline = problems.length > 0 ? (error.message.split('\n')[0] as string) : error.message;
  io.stderr(`trustgate: ${headline}\n`);
  // One problem is the headline itself; several are listed, each once (with its path unless the message names it).
  if (problems.length === 1 && headline.includes(problems[0]?.message ?? '')) return EXIT.usage;
  for (const problem of problems) {
    const where = problem.path && !problem.message.includes(problem.path) ? `${problem.path}: ` : '';
    io.stderr(`  - ${where}${problem.message}\n`);
  }
  return EXIT.usage;
}

/** Codes of inconclusive verdicts that are the operator's configuration, not the registry (exit 2, not 3). */
const CONFIG_REASONS = ['ERR_CREDENTIALS'];

/**
 * The message of a configuration problem hidden in an inconclusive verdict (a malformed Docker config, a failing
 * credential helper), whether the code is the reason's own or the suffix of a wrapping reason's message.
 */
export function configProblemIn(reasons: ReadonlyArray<{ code: string; message: string }>): string | undefined {
  for (const reason of reasons) {
    if (CONFIG_REASONS.includes(reason.code)) return reason.message;
    // The verification service keeps the underlying code once, as a suffix: "cannot read … (ERR_CREDENTIALS)".
    const suffixed = CONFIG_REASONS.find((code) => reason.message.endsWith(` (${code})`));
    if (suffixed) return reason.message.slice(0, -(suffixed.length + 3));
  }
  return undefined;
}
