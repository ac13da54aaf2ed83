import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort, killChild, waitUntilAnswering } from './child-process.js';
import { startTokenServer } from './token-server.js';
import type { TokenServer } from './token-server.js';

/**
 * Runs the Debian `docker-registry` (distribution 2.8: no referrers API, see platform-notes) on a free
 * 127.0.0.1 port with in-memory storage, for integration tests.
 *
 * Suites guard themselves with `describe.skipIf(!dockerRegistryAvailable())`: when the binary is missing
 * that call throws under CI=true (the suite fails) and returns false elsewhere (the suite is skipped visibly).
 */
export interface DockerRegistryOptions {
  /** Optional. Default: none (anonymous push and pull). */
  auth?: 'htpasswd' | 'token';
  /** Optional. Credentials for htpasswd auth, or required by the token server. Default: tester / secret-pass. */
  credentials?: { username: string; password: string };
  /** Optional. For `auth: 'token'`: a token server you started; otherwise one is started and stopped with the registry. */
  tokenServer?: TokenServer;
  /** Optional. Milliseconds to wait for `/v2/` to answer. Default: 10000. */
  readyTimeoutMs?: number;
}

export interface DockerRegistry {
  /** `127.0.0.1:PORT`: the registry part of references. */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The credentials the registry (htpasswd) or token server checks; absent without auth. */
  credentials?: { username: string; password: string };
  tokenServer?: TokenServer;
  /** What the registry printed so far (to explain a failure). */
  output(): string;
  stop(): Promise<void>;
}

const DEFAULT_CREDENTIALS = { username: 'tester', password: 'secret-pass' };

/** The docker-registry binary path, or undefined when it is not installed. */
export function findDockerRegistry(): string | undefined {
  return findBinary('docker-registry', ['/usr/bin/docker-registry']);
}

/**
 * True when docker-registry (and htpasswd, for basic-auth suites) can run here. Missing under CI=true → throws,
 * so CI never silently skips the integration suites.
 */
export function dockerRegistryAvailable(options: { needHtpasswd?: boolean } = {}): boolean {
  const missing = [findDockerRegistry() ? undefined : 'docker-registry', options.needHtpasswd && !findBinary('htpasswd', ['/usr/bin/htpasswd']) ? 'htpasswd' : undefined].filter(Boolean);
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') throw new Error(`integration tests need ${missing.join(' and ')} (apt-get install docker-registry apache2-utils)`);
  return false;
}

/** Starts a registry and waits until `/v2/` answers (200, or 401 with auth). */
export async function startDockerRegistry(options: DockerRegistryOptions = {}): Promise<DockerRegistry> {
  const binary = findDockerRegistry();
  if (!binary) throw new Error('docker-registry is not installed (apt-get install docker-registry)');
  const dir = await mkdtemp(join(tmpdir(), 'trustgate-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const credentials = options.auth ? (options.credentials ?? DEFAULT_CREDENTIALS) : undefined;
  let tokenServer = options.tokenServer;
  const ownsTokenServer = options.auth === 'token' && !tokenServer;
  const lines = ['version: 0.1', 'log:', '  level: warn', '  accesslog:', '    disabled: true', 'storage:', '  inmemory: {}', '  delete:', '    enabled: true', 'http:', `  addr: ${host}`];
  if (options.auth === 'htpasswd' && credentials) {
    const htpasswdFile = join(dir, 'htpasswd');
    await writeFile(htpasswdFile, htpasswdLine(credentials.username, credentials.password));
    lines.push('auth:', '  htpasswd:', '    realm: trustgate-test', `    path: ${htpasswdFile}`);
  }
  if (options.auth === 'token') {
    tokenServer ??= await startTokenServer({ ...(credentials ? { credentials } : {}) });
    const bundle = join(dir, 'token-root.pem');
    await writeFile(bundle, tokenServer.certificatePem);
    lines.push('auth:', '  token:', `    realm: ${tokenServer.realm}`, `    service: ${tokenServer.service}`, `    issuer: ${tokenServer.issuer}`, `    rootcertbundle: ${bundle}`);
  }
  const configFile = join(dir, 'config.yml');
  await writeFile(configFile, lines.join('\n') + '\n');

  let output = '';
  const child = spawn(binary, ['serve', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (): Promise<void> => {
    await killChild(child);
    if (ownsTokenServer) await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(`http://${host}/v2/`, child, options.readyTimeoutMs ?? 10_000, [200, 401]);
  } catch (error) {
    await stop();
    throw new Error(`docker-registry did not start: ${(error as Error).message}\n${output}`, { cause: error });
  }
  return { host, url: `http://${host}`, ...(credentials ? { credentials } : {}), ...(tokenServer ? { tokenServer } : {}), output: () => output, stop };
}

function findBinary(name: string, fallbacks: string[]): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return fallbacks.find((path) => existsSync(path));
}

function htpasswdLine(username: string, password: string): string {
  const binary = findBinary('htpasswd', ['/usr/bin/htpasswd']);
  if (!binary) throw new Error('htpasswd is not installed (apt-get install apache2-utils)');
  const result = spawnSync(binary, ['-Bbn', username, password], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`htpasswd failed: ${result.stderr}`);
  return result.stdout.trim() + '\n';
}
