import { Command, CommanderError, Option } from 'commander';
import { EXIT } from './exit-codes.js';
import { COMMANDS, DESCRIPTION } from './help.js';
import type { CliIo } from './io.js';
import type { ServiceFlags } from './services.js';
import { readVersion } from './version.js';

/** Flags shared by the commands that verify images: they choose the same settings as TRUSTGATE_* do. */
function withServiceOptions(command: Command): Command {
  return command
    .option('--trust-policy <file>', 'Notation OCI trust policy (default: TRUSTGATE_TRUST_POLICY)')
    .option('--trust-store <dir>', 'trust store directory in Notation layout (default: TRUSTGATE_TRUST_STORE)')
    .option('--plain-http', "reach the images' registries over plain HTTP")
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--verbose', 'log what happens to stderr');
}

/** The commander program; each action imports its command module only when it runs. */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.usage;
  const summary = (usage: string) => COMMANDS.find((c) => c.usage.startsWith(usage))?.summary ?? '';
  const program = new Command('trustgate')
    .description(DESCRIPTION)
    .version(readVersion())
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  withServiceOptions(
    program
      .command('verify')
      .description(summary('verify'))
      .argument('<reference>', 'image reference, e.g. myregistry.azurecr.io/app:1.0 or repo@sha256:...')
      .option('--require-platforms <digests>', 'for an index: "all", or comma-separated platform manifest digests that must be covered')
      .option('--timeout <seconds>', 'overall deadline of the verification; past it the answer is inconclusive (exit 3)', '120'),
  ).action(async (reference: string, flags: ServiceFlags & { requirePlatforms?: string; timeout?: string }) => {
    const { verifyCommand } = await import('./verify/command.js');
    exitCode = await verifyCommand(reference, flags, io);
  });

  withServiceOptions(
    program
      .command('pin')
      .description(summary('pin'))
      .argument('[files...]', 'Kubernetes YAML files (multi-document); none or "-" reads standard input')
      .option('--check', 'only verify: never write anything, exit non-zero when an image is not allowed')
      .option('-w, --write', 'rewrite the files in place instead of printing the pinned manifests'),
  ).action(async (files: string[], flags: ServiceFlags & { check?: boolean; write?: boolean }) => {
    const { pinCommand } = await import('./pin/command.js');
    exitCode = await pinCommand(files, flags, io);
  });

  program
    .command('policy')
    .description('trust policy tools')
    .command('validate')
    .argument('<file>', 'Notation trust policy or trustgate verification policy (TRUSTGATE_VERIFICATION_POLICY) JSON file')
    .description(summary('policy validate'))
    .action(async (file: string) => {
      const { validateCommand } = await import('./policy/validate.js');
      exitCode = await validateCommand(file, io);
    });

  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.verified : EXIT.usage;
    throw error;
  }
  return exitCode;
}
