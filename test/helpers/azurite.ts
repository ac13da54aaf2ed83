import { TableClient } from '@azure/data-tables';
import { startAzuriteTable } from '../../host/azurite.js';
import type { LocalAzurite, StartAzuriteTableOptions } from '../../host/azurite.js';

export type { LocalAzurite };

/**
 * Azurite Table for a test: in-process on 127.0.0.1 and a free port (CLI fallback), in-memory.
 * Restart on the same port with `startAzurite({port: previous.port})` to end a simulated outage.
 */
export function startAzurite(options: StartAzuriteTableOptions = {}): Promise<LocalAzurite> {
  return startAzuriteTable(options);
}

/**
 * A client with no retries (tests exercise the cache's own retry/outage logic, not the SDK's back-off),
 * with its table created.
 */
export async function createTestTable(azurite: LocalAzurite, tableName: string): Promise<TableClient> {
  const client = TableClient.fromConnectionString(azurite.connectionString, tableName, {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
  await client.createTable();
  return client;
}
