import { isDigest, parseReference } from '../../shared/oci/index.js';
import { CliError, configProblemIn, reportUsageError } from '../cli-error.js';
import { exitCodeFor } from '../exit-codes.js';
import { formatVerdictText } from '../format.js';
import type { CliIo } from '../io.js';
import { cliServices, type ServiceFlags } from '../services.js';

export interface VerifyFlags extends ServiceFlags {
  requirePlatforms?: string;
  /** Seconds; the overall deadline of the verification. Default 120. */
  timeout?: string;
}

/** `trustgate verify <reference>`: one verdict, printed as text or JSON; the exit code is the decision. */
export async function verifyCommand(reference: string, flags: VerifyFlags, io: CliIo): Promise<number> {
  try {
    let registry: string;
    try {
      registry = parseReference(reference).registry;
    } catch (error) {
      throw new CliError((error as Error).message, 'ERR_CLI_USAGE');
    }
    const requirePlatforms = parseRequirePlatforms(flags.requirePlatforms);
    const timeoutMs = parseTimeout(flags.timeout);
    const services = await cliServices(flags, io, [registry]);
    const signal = AbortSignal.timeout(timeoutMs);
    const verdict = await services.verification.verify(reference, { signal, ...(requirePlatforms === undefined ? {} : { requirePlatforms }) });
    const problem = verdict.decision === 'inconclusive' ? configProblemIn(verdict.reasons) : undefined;
    if (problem !== undefined) throw new CliError(problem);
    io.stdout(flags.output === 'json' ? JSON.stringify(verdict, null, 2) + '\n' : formatVerdictText(verdict) + '\n');
    return exitCodeFor(verdict.decision);
  } catch (error) {
    return reportUsageError(error, io);
  }
}

/** The same rule as REST (functions/verify.ts): "all" or sha256/sha512 digests; anything else is a usage error. */
function parseRequirePlatforms(value: string | undefined): 'all' | string[] | undefined {
  if (value === undefined) return undefined;
  if (value === 'all') return 'all';
  const digests = value.split(',').map((d) => d.trim()).filter(Boolean);
  if (digests.length === 0 || !digests.every(isDigest)) throw new CliError('--require-platforms must be "all" or comma-separated sha256/sha512 digests', 'ERR_CLI_USAGE');
  return digests;
}

/** `--timeout` in seconds, (0, 3600]; past it the verdict is inconclusive (ERR_VERIFICATION_DEADLINE, exit 3). */
function parseTimeout(value: string | undefined): number {
  const seconds = Number(value ?? '120');
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new CliError('--timeout must be a number of seconds between 0 and 3600', 'ERR_CLI_USAGE');
  return seconds * 1000;
}
