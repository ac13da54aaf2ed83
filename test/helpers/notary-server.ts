import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, killChild, waitUntilAnswering } from './child-process.js';

/**
 * Runs Debian's `notary-server` (0.7) on a free 127.0.0.1 port: plain HTTP, in-memory storage, local signing
 * service (it holds each gun's timestamp key). Suites guard with `notaryAvailable()`: missing binaries fail under
 * CI=true and skip visibly elsewhere, like the docker-registry harness.
 */
export interface NotaryServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export function notaryAvailable(): boolean {
  const missing = ['/usr/bin/notary-server', '/usr/bin/notary'].filter((path) => !existsSync(path));
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') throw new Error(`DCT integration tests need ${missing.join(' and ')} (apt-get install notary)`);
  return false;
}

export async function startNotaryServer(): Promise<NotaryServer> {
  const dir = await mkdtemp(join(tmpdir(), 'trustgate-notary-server-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = {
    server: { http_addr: `127.0.0.1:${port}` },
    trust_service: { type: 'local', key_algorithm: 'ecdsa' },
    storage: { backend: 'memory' },
    logging: { level: 'warn' },
  };
  await writeFile(join(dir, 'server.json'), JSON.stringify(config));
  let output = '';
  const child = spawn('notary-server', ['-config', join(dir, 'server.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (): Promise<void> => {
    await killChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(`${url}/_notary_server/health`, child, 10_000);
  } catch (error) {
    await stop();
    throw new Error(`notary-server did not start: ${(error as Error).message}\n${output}`, { cause: error });
  }
  return { url, output: () => output, stop };
}
