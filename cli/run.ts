import { EXIT } from './exit-codes.js';
import { topLevelHelp } from './help.js';
import type { CliIo } from './io.js';
import { readVersion } from './version.js';

export type { CliIo } from './io.js';

/**
 * Runs `trustgate <args>` and returns the exit code (0 verified, 1 failed, 2 usage/config, 3 inconclusive).
 * `--help` and `--version` are answered from this file alone; a command loads its own code (and only then the engine
 * and SDKs it needs), so pipelines do not pay for what they do not run.
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const [first] = args;
  if (first === undefined) {
    io.stderr(topLevelHelp());
    return EXIT.usage;
  }
  if (first === '--help' || first === '-h' || (first === 'help' && args.length === 1)) {
    io.stdout(topLevelHelp());
    return EXIT.verified;
  }
  if (first === '--version' || first === '-V') {
    io.stdout(`${readVersion()}\n`);
    return EXIT.verified;
  }
  const { runCommand } = await import('./program.js');
  return runCommand(args, io);
}
