import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../shared/core/index.js';

/** Azurite's documented development account (public, identical on every machine). */
export const DEV_ACCOUNT_NAME = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const HOST = '127.0.0.1';

export class LocalAzuriteError extends AppError {}

export interface LocalAzurite {
  /** How it runs: in this process (deep import) or as the `azurite-table` CLI child process. */
  mode: 'in-process' | 'cli';
  port: number;
  tableEndpoint: string;
  /** The development-account connection string for TableClient.fromConnectionString. */
  connectionString: string;
  stop(): Promise<void>;
}

export interface StartAzuriteTableOptions {
  /** Optional. Port on 127.0.0.1. Default: a free port. */
  port?: number;
  /** Optional. Skip the in-process server and run the CLI. Default: false. */
  cli?: boolean;
}

/**
 * Starts Azurite's Table service on 127.0.0.1 with in-memory persistence and no telemetry: in this process
 * through a deep import of `azurite/dist/src/table/TableServer` (milliseconds), or when that import fails,
 * the `azurite-table` CLI from node_modules. Azurite is a dev dependency: a production install
 * without it gets ERR_AZURITE_MISSING with what to do.
 */
export async function startAzuriteTable(options: StartAzuriteTableOptions = {}): Promise<LocalAzurite> {
  const port = options.port ?? (await freePort());
  if (!options.cli) {
    const server = await loadInProcessServer(port);
    if (server !== undefined) {
      await server.start();
      return describe('in-process', port, () => server.close());
    }
  }
  const child = spawnCli(port);
  await waitForPort(port, child);
  return describe('cli', port, () => stopChild(child));
}

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
}

async function loadInProcessServer(port: number): Promise<AzuriteServer | undefined> {
  try {
    // Specifiers held in variables: azurite ships no types for its internals, and it may be absent.
    const serverSpecifier = 'azurite/dist/src/table/TableServer.js';
    const configSpecifier = 'azurite/dist/src/table/TableConfiguration.js';
    const serverModule = (await import(serverSpecifier)) as { default: { default: new (config: unknown) => AzuriteServer } };
    const configModule = (await import(configSpecifier)) as { default: { default: new (...args: unknown[]) => unknown } };
    const TableServer = serverModule.default.default;
    const TableConfiguration = configModule.default.default;
    // Positional: host, port, keepAlive(s), db path, debug log, access log, access stream, debug path,
    // loose, skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, inMemoryPersistence.
    const config = new TableConfiguration(HOST, port, 5, join(tmpdir(), `azurite-table-${port}.json`), false, false, undefined, undefined,
      false, true, '', '', '', undefined, false, true);
    return new TableServer(config);
  } catch {
    return undefined;
  }
}

function spawnCli(port: number): ChildProcess {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('azurite/dist/src/table/main.js');
  } catch (error) {
    throw new LocalAzuriteError('ERR_AZURITE_MISSING', 'config',
      'Azurite is not installed (it is a dev dependency): run `npm install` without --omit=dev, or set TRUSTGATE_TABLE_ENDPOINT to a real table endpoint',
      { cause: error });
  }
  return spawn(process.execPath, [entry, '--tableHost', HOST, '--tablePort', String(port), '--inMemoryPersistence', '--disableTelemetry', '--skipApiVersionCheck'], {
    stdio: 'ignore',
  });
}

function describe(mode: LocalAzurite['mode'], port: number, stop: () => Promise<void>): LocalAzurite {
  const tableEndpoint = `http://${HOST}:${port}/${DEV_ACCOUNT_NAME}`;
  return {
    mode,
    port,
    tableEndpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${DEV_ACCOUNT_KEY};TableEndpoint=${tableEndpoint};`,
    stop,
  };
}

/** A port the OS just handed out on 127.0.0.1 (Azurite cannot report the port it bound for port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, deadlineMs = 15_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    if (child.exitCode !== null) throw new LocalAzuriteError('ERR_AZURITE_START', 'config', `azurite-table exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, HOST, () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill();
  throw new LocalAzuriteError('ERR_AZURITE_START', 'config', `azurite-table did not listen on ${HOST}:${port} within ${deadlineMs} ms`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}
