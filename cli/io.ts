import type { ServiceOverrides } from '../shared/config/index.js';

/** What a command may touch of its process: output streams, environment, stdin. Tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Optional. Standard input (`trustgate pin` without files). Default: none (a usage error when a command needs it). */
  stdin?: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** Optional. Replacements for tests (clock, fetch). */
  overrides?: ServiceOverrides;
}
