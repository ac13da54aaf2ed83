import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { isAppError, silentLogger, jsonLogger } from '../shared/core/index.js';
import { createServices, loadSettings, type ServiceOverrides } from '../shared/config/index.js';
import { parseReference } from '../shared/oci/index.js';
import { validateTrustPolicy } from '../shared/policy/index.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { formatVerdictText } from './format.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Optional. Replacements for tests (clock, fetch). */
  overrides?: ServiceOverrides;
}

/** Runs `trustgate <args>` and returns the exit code (0 verified, 1 failed, 2 usage/config, 3 inconclusive). */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.usage;
  const program = new Command('trustgate')
    .description('Decides whether a container image may run: verifies its Notary Project signatures against a trust policy.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('verify')
    .description('verify the signatures of an image reference')
    .argument('<reference>', 'image reference, e.g. myregistry.azurecr.io/app:1.0 or repo@sha256:...')
    .option('--trust-policy <file>', 'Notation OCI trust policy (default: TRUSTGATE_TRUST_POLICY)')
    .option('--trust-store <dir>', 'trust store directory in Notation layout (default: TRUSTGATE_TRUST_STORE)')
    .option('--plain-http', "reach the reference's registry over plain HTTP")
    .option('--require-platforms <digests>', 'for an index: "all", or comma-separated platform manifest digests that must be covered')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--verbose', 'log what happens to stderr')
    .option('--timeout <seconds>', 'overall deadline of the verification; past it the answer is inconclusive (exit 3)', '120')
    .action(async (reference: string, opts: VerifyFlags) => {
      exitCode = await verifyCommand(reference, opts, io);
    });

  program
    .command('policy')
    .description('trust policy tools')
    .command('validate')
    .argument('<file>', 'trust policy JSON file')
    .description('print every problem in a trust policy; non-zero exit when there is one')
    .action(async (file: string) => {
      exitCode = await validateCommand(file, io);
    });

  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.usage;
    throw error;
  }
  return exitCode;
}

interface VerifyFlags {
  trustPolicy?: string;
  trustStore?: string;
  plainHttp?: boolean;
  requirePlatforms?: string;
  output: string;
  verbose?: boolean;
  timeout: string;
}

async function verifyCommand(reference: string, opts: VerifyFlags, io: CliIo): Promise<number> {
  const timeoutSeconds = Number(opts.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 3600) {
    io.stderr('trustgate: --timeout must be a number of seconds between 0 and 3600\n');
    return EXIT.usage;
  }
  let registry: string;
  try {
    registry = parseReference(reference).registry;
  } catch (error) {
    io.stderr(`trustgate: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const env = { ...io.env };
  if (opts.trustPolicy) env['TRUSTGATE_TRUST_POLICY'] = opts.trustPolicy;
  if (opts.trustStore) env['TRUSTGATE_TRUST_STORE'] = opts.trustStore;
  if (opts.plainHttp) env['TRUSTGATE_PLAIN_HTTP'] = [env['TRUSTGATE_PLAIN_HTTP'], registry].filter(Boolean).join(',');
  env['TRUSTGATE_DOCKER_CONFIG'] ??= join(env['DOCKER_CONFIG'] ?? join(homedir(), '.docker'), 'config.json');
  try {
    const settings = loadSettings(env);
    const logger = opts.verbose ? jsonLogger('debug', (line) => io.stderr(line + '\n')) : silentLogger;
    const services = await createServices(settings, { logger, ...io.overrides });
    const requirePlatforms = opts.requirePlatforms === undefined ? undefined : opts.requirePlatforms === 'all' ? 'all' : opts.requirePlatforms.split(',').map((d) => d.trim()).filter(Boolean);
    const signal = AbortSignal.timeout(timeoutSeconds * 1000);
    const verdict = await services.verification.verify(reference, { signal, ...(requirePlatforms === undefined ? {} : { requirePlatforms }) });
    io.stdout(opts.output === 'json' ? JSON.stringify(verdict, null, 2) + '\n' : formatVerdictText(verdict) + '\n');
    return exitCodeFor(verdict.decision);
  } catch (error) {
    if (isAppError(error) && (error.kind === 'config' || error.kind === 'invalid-input')) {
      io.stderr(`trustgate: ${error.message}\n`);
      for (const problem of (error as { problems?: Array<{ message: string }> }).problems ?? []) io.stderr(`  - ${problem.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

async function validateCommand(file: string, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    io.stderr(`trustgate: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}\n`);
    return EXIT.usage;
  }
  const problems = validateTrustPolicy(text);
  if (problems.length === 0) {
    io.stdout(`${file}: valid trust policy\n`);
    return 0;
  }
  io.stdout(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
  for (const problem of problems) io.stdout(`  ${problem.path ? `${problem.path}: ` : ''}${problem.message} [${problem.code}]\n`);
  return EXIT.failed;
}
