import { readFile, stat } from 'node:fs/promises';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../io.js';

/** One input of `trustgate pin`: a file, or standard input. */
export interface Source {
  /** How messages name it: the path, or `<stdin>`. */
  name: string;
  /** Set for files (where `--write` writes). */
  path?: string;
  text: string;
}

/** Kubernetes objects are at most ~1.5 MiB each in etcd; rendered charts of a few hundred objects fit well under this. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Reads the files (none, or `-`, means standard input), each bounded; a missing file is a usage error naming it. */
export async function readSources(files: readonly string[], io: CliIo): Promise<Source[]> {
  const names = files.length === 0 ? ['-'] : files;
  if (names.filter((name) => name === '-').length > 1) throw new CliError('standard input ("-") can be read only once', 'ERR_CLI_USAGE');
  const sources: Source[] = [];
  for (const name of names) sources.push(name === '-' ? { name: '<stdin>', text: await readStdin(io) } : { name, path: name, text: await readFileBounded(name) });
  return sources;
}

async function readFileBounded(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError(`${path} is not a file`, 'ERR_CLI_USAGE');
    if (info.size > MAX_INPUT_BYTES) throw new CliError(`${path} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, 'ERR_CLI_USAGE');
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path} (${code ?? 'error'})`, 'ERR_CLI_USAGE');
  }
}

async function readStdin(io: CliIo): Promise<string> {
  if (io.stdin === undefined) throw new CliError('no files given and no standard input to read', 'ERR_CLI_USAGE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += bytes.length;
    if (size > MAX_INPUT_BYTES) throw new CliError(`standard input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`, 'ERR_CLI_USAGE');
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}
