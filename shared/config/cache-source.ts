import { createVerdictTableClient, MemoryResultCache, TableResultCache, TieredResultCache, type ResultCache } from '../cache/index.js';
import type { Clock, Logger } from '../core/index.js';
import type { Metrics } from '../telemetry/index.js';
import { azureCredential } from './azure-credential.js';
import type { Settings } from './settings.js';

/** Memory tier always; Table Storage behind it when configured (shared by every instance, survives restarts). */
export async function buildCache(settings: Settings, clock: Clock, logger: Logger, metrics?: Metrics): Promise<ResultCache> {
  const memory = new MemoryResultCache({ maxEntries: settings.cacheMaxEntries, clock });
  const target = settings.azure.table;
  if (!target) return memory;
  const client =
    target.kind === 'connectionString'
      ? createVerdictTableClient(target)
      : createVerdictTableClient({ ...target, credential: await azureCredential() });
  const table = new TableResultCache({ client, logger, clock });
  if (target.kind === 'connectionString') {
    // Local runs (Azurite) create the table; in Azure the Bicep template does, and the identity may not create tables.
    await table.ensureTable().catch((error: unknown) => logger.log('warn', 'cache.ensure_table_failed', { error: error instanceof Error ? error.message : String(error) }));
  }
  return new TieredResultCache([memory, table], {
    names: ['memory', 'table'],
    ...(metrics ? { onLookup: (tier: string, hit: boolean) => metrics.cacheLookup(tier === 'memory' ? 'memory' : 'table', hit) } : {}),
  });
}
