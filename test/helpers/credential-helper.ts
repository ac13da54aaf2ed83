import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** What the fake helper answers for a server URL (Docker's credential helper protocol, `get`). */
export type HelperAnswer =
  | { kind: 'credentials'; username: string; secret: string }
  | { kind: 'not-found' }
  | { kind: 'fail'; stderr: string }
  | { kind: 'garbage' }
  | { kind: 'hang' }
  | { kind: 'flood' };

export interface CredentialHelpers {
  /** Directory holding the `docker-credential-<name>` executables; put it on PATH. */
  dir: string;
  /** Server URLs each helper was asked for, in order. */
  calls(name: string): Promise<string[]>;
  /** Puts `dir` first on process.env.PATH (spawned helpers are found through it); returns a function that restores it. */
  onPath(): () => void;
  stop(): Promise<void>;
}

/**
 * Real executables speaking the protocol — node scripts named `docker-credential-<name>` that read the server URL from
 * stdin and answer from a table — so the product runs them exactly as it runs docker-credential-desktop or -acr-env.
 */
export async function createCredentialHelpers(helpers: Record<string, Record<string, HelperAnswer>>): Promise<CredentialHelpers> {
  const dir = await mkdtemp(join(tmpdir(), 'trustgate-cred-helpers-'));
  for (const [name, answers] of Object.entries(helpers)) {
    const log = join(dir, `${name}.calls`);
    const script = `#!${process.execPath}
const fs = require('node:fs');
const answers = ${JSON.stringify(answers)};
if (process.argv[2] !== 'get') { process.stderr.write('unsupported action'); process.exit(2); }
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', () => {
  const server = input.trim();
  fs.appendFileSync(${JSON.stringify(log)}, server + '\\n');
  const answer = answers[server] ?? { kind: 'not-found' };
  switch (answer.kind) {
    case 'credentials': process.stdout.write(JSON.stringify({ ServerURL: server, Username: answer.username, Secret: answer.secret })); break;
    case 'not-found': process.stdout.write('credentials not found in native keychain\\n'); process.exitCode = 1; break;
    case 'fail': process.stderr.write(answer.stderr); process.stdout.write(answer.stderr); process.exitCode = 3; break;
    case 'garbage': process.stdout.write('this is not json'); break;
    case 'hang': setTimeout(() => undefined, 60000); break;
    case 'flood': process.stdout.write('x'.repeat(1024 * 1024)); break;
  }
});
`;
    const path = join(dir, `docker-credential-${name}`);
    await writeFile(path, script);
    await chmod(path, 0o755);
  }
  return {
    dir,
    calls: async (name) => (await readFile(join(dir, `${name}.calls`), 'utf8').catch(() => '')).split('\n').filter(Boolean),
    onPath: () => {
      const previous = process.env.PATH;
      process.env.PATH = [dir, previous].filter(Boolean).join(delimiter);
      return () => {
        process.env.PATH = previous;
      };
    },
    stop: () => rm(dir, { recursive: true, force: true }),
  };
}
