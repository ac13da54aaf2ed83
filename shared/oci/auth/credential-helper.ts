import { spawn } from 'node:child_process';
import { DOCKER_HUB_REGISTRY } from '../constants.js';
import { RegistryError } from '../errors.js';
import type { RegistryCredential } from './credential.js';

/** `credsStore` (every registry) and `credHelpers` (per registry host) of a Docker config.json. */
export interface HelperConfig {
  store?: string;
  /** Normalised registry host → helper name. */
  byRegistry: Map<string, string>;
}

export interface CredentialHelperOptions {
  /** Optional. A helper that has not answered by then is killed. Default: 10000. */
  timeoutMs?: number;
  /** Optional. Most bytes read from the helper's stdout (and stderr). Default: 64 KiB. */
  maxOutputBytes?: number;
}

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** What docker-credential-helpers print (exit 1) when they hold nothing for the server. */
const NOT_FOUND = 'credentials not found in native keychain';
/** The ServerURL Docker passes for Docker Hub. */
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
const IDENTITY_TOKEN_USER = '<token>';

/** Reads `credsStore` and `credHelpers`; wrong types are configuration errors naming the field. */
export function readHelperConfig(parsed: Record<string, unknown>, path: string, normalise: (key: string) => string): HelperConfig {
  const config: HelperConfig = { byRegistry: new Map() };
  const store = parsed.credsStore;
  if (store !== undefined && store !== '') config.store = helperName(store, path, 'credsStore');
  const helpers = parsed.credHelpers;
  if (helpers === undefined) return config;
  if (typeof helpers !== 'object' || helpers === null || Array.isArray(helpers)) throw helperError(path, '"credHelpers" is not an object');
  for (const [registry, name] of Object.entries(helpers)) config.byRegistry.set(normalise(registry), helperName(name, path, `credHelpers[${registry}]`));
  return config;
}

/**
 * Credentials from the helper configured for a registry (credHelpers wins over credsStore), each helper asked at most
 * once per registry; undefined when no helper is configured for it. "Not found" means anonymous, as for Docker.
 */
export function helperCredentials(config: HelperConfig, path: string, options: CredentialHelperOptions = {}) {
  const answers = new Map<string, Promise<RegistryCredential | undefined>>();
  return (registry: string): Promise<RegistryCredential | undefined> | undefined => {
    const name = config.byRegistry.get(registry) ?? config.store;
    if (name === undefined) return undefined;
    let answer = answers.get(registry);
    if (!answer) {
      answer = runHelper(name, registry === DOCKER_HUB_REGISTRY ? DOCKER_HUB_SERVER : registry, path, options);
      answers.set(registry, answer);
      answer.catch(() => answers.delete(registry)); // a failure is reported, not remembered
    }
    return answer;
  };
}

/**
 * The credential helper protocol: `docker-credential-<name> get` with the server URL on stdin, JSON
 * `{ServerURL, Username, Secret}` on stdout; Username `<token>` marks an identity token. No shell, bounded output,
 * a timeout. Errors name the helper and the config file, never anything the helper printed (it may be a secret).
 */
export function runHelper(name: string, serverUrl: string, path: string, options: CredentialHelperOptions = {}): Promise<RegistryCredential | undefined> {
  const program = `docker-credential-${name}`;
  const limit = options.maxOutputBytes ?? 64 * 1024;
  return new Promise((resolve, reject) => {
    const fail = (why: string, cause?: unknown) => reject(helperError(path, `credential helper ${program} ${why}`, cause));
    const child = spawn(program, ['get'], { shell: false, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const stdout: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (work: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      work();
    };
    const timer = setTimeout(() => finish(() => (child.kill('SIGKILL'), fail(`did not answer within ${options.timeoutMs ?? 10_000} ms`))), options.timeoutMs ?? 10_000);
    const count = (chunk: Buffer, keep: boolean) => {
      size += chunk.length;
      if (size > limit) finish(() => (child.kill('SIGKILL'), fail(`printed more than ${limit} bytes`)));
      else if (keep) stdout.push(chunk);
    };
    child.stdout.on('data', (chunk: Buffer) => count(chunk, true));
    child.stderr.on('data', (chunk: Buffer) => count(chunk, false));
    child.stdin.on('error', () => undefined); // a helper that exits without reading stdin is judged by its exit code
    child.on('error', (error: NodeJS.ErrnoException) => finish(() => fail(error.code === 'ENOENT' ? 'is not on the PATH' : `could not be started (${error.code ?? 'error'})`, error)));
    child.on('close', (code) =>
      finish(() => {
        const output = Buffer.concat(stdout).toString('utf8');
        if (code !== 0) return output.includes(NOT_FOUND) ? resolve(undefined) : fail(`failed (exit code ${code ?? 'signal'})`);
        const credential = toCredential(output);
        return credential === null ? fail('printed no {ServerURL, Username, Secret} JSON') : resolve(credential);
      }),
    );
    child.stdin.end(serverUrl);
  });
}

/** null: malformed output; undefined: an empty answer (no credentials). */
function toCredential(output: string): RegistryCredential | undefined | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { Username: username, Secret: secret } = parsed as { Username?: unknown; Secret?: unknown };
  if (typeof secret !== 'string' || (username !== undefined && typeof username !== 'string')) return null;
  if (secret === '') return undefined;
  if (username === IDENTITY_TOKEN_USER) return { kind: 'refresh-token', refreshToken: secret };
  return { kind: 'basic', username: username ?? '', password: secret };
}

function helperName(value: unknown, path: string, field: string): string {
  if (typeof value !== 'string' || !HELPER_NAME.test(value)) throw helperError(path, `"${field}" is not a credential helper name`);
  return value;
}

function helperError(path: string, why: string, cause?: unknown): RegistryError {
  return new RegistryError('ERR_CREDENTIALS', 'config', `cannot use Docker config ${path}: ${why}`, cause === undefined ? {} : { cause });
}
