import { odata } from '@azure/data-tables';
import type { TableClient } from '@azure/data-tables';
import { isAppError, systemClock, timeoutSignal } from '../core/index.js';
import type { Clock, Logger } from '../core/index.js';
import type { CachedVerdict, CacheKey, DuePage, ResultCache } from './port.js';
import { sameKey, toTableKeys } from './keys.js';
import type { TableKeys } from './keys.js';
import { isLive, isStorable, replaces } from './rules.js';
import { fromEntity, toEntity } from './table-codec.js';
import { TableHealth, tableErrorCode, tableStatus } from './table-health.js';
import { listDueEntries } from './table-due.js';
import { DELETE_MAX_ROWS, MAX_WRITE_ATTEMPTS, PROP } from './constants.js';

export interface TableResultCacheOptions {
  /** Required. A client of the verdicts table (see createVerdictTableClient for short retries). */
  client: TableClient;
  /** Required. Receives one warning per outage and every unexpected error. */
  logger: Logger;
  /** Optional. Default: the system clock. */
  clock?: Clock;
  /** Optional. Deadline of one Table call, retries included. Default: 2000 ms. */
  requestTimeoutMs?: number;
  /** Optional. After an outage is seen, skip the table for this long before probing again. Default: 10000 ms. */
  outageBackoffMs?: number;
  /** Optional. Create the table again when a write finds it gone (TableNotFound), then retry once. Default: true. */
  recreateMissingTable?: boolean;
}

/**
 * The durable tier in Azure Table Storage (one entity per digest + trust fingerprint, see table-codec.ts).
 * Never throws into the decision path: an outage or an unexpected error degrades get → miss and
 * put/deleteDigest/listDue → no-op, logged (outages once per window, see TableHealth).
 *
 * Concurrency: writes are optimistic. put creates; on 409 it reads the row and, when its own verdict has
 * the newer (or equal) verifiedAt, replaces it under the read ETag; a 412 (someone wrote in between) starts
 * the round again, at most MAX_WRITE_ATTEMPTS times. No write ever overwrites a row it has not read, so the
 * newest verdict wins and none is lost to a blind overwrite.
 */
export class TableResultCache implements ResultCache {
  private readonly client: TableClient;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly health: TableHealth;
  private readonly recreateMissingTable: boolean;

  constructor(options: TableResultCacheOptions) {
    this.client = options.client;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.requestTimeoutMs ?? 2_000;
    this.health = new TableHealth(this.logger, this.clock, options.outageBackoffMs ?? 10_000);
    this.recreateMissingTable = options.recreateMissingTable ?? true;
  }

  /** Creates the table when it does not exist (local runs; in Azure the Bicep template creates it). */
  async ensureTable(): Promise<void> {
    await this.client.createTable({ abortSignal: this.signal() });
  }

  async get(key: CacheKey, at: Date): Promise<CachedVerdict | undefined> {
    return this.guard('get', undefined, async () => {
      const keys = toTableKeys(key);
      const entity = await this.client.getEntity<Record<string, unknown>>(keys.partitionKey, keys.rowKey, { abortSignal: this.signal() })
        .catch((error: unknown) => (tableStatus(error) === 404 ? undefined : Promise.reject(error)));
      if (entity === undefined) return undefined;
      const entry = this.decode(entity, keys);
      return entry !== undefined && sameKey(entry.key, key) && isLive(entry, at) ? entry : undefined;
    });
  }

  async put(entry: CachedVerdict): Promise<void> {
    if (!isStorable(entry)) return;
    let entity: ReturnType<typeof toEntity>;
    try {
      entity = toEntity(entry);
    } catch (error) {
      this.logger.log('warn', 'cache.entry_not_stored', { code: isAppError(error) ? error.code : undefined, digest: entry.key.digest });
      return;
    }
    await this.guard('put', undefined, () => this.recreatingTable(() => this.write(entry, entity)));
  }

  /**
   * The table vanished (Azurite restarted empty, someone deleted it): every write would fail with TableNotFound
   * forever. Create it and try once more; a second failure is logged like any other.
   */
  private async recreatingTable(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!this.recreateMissingTable || tableErrorCode(error) !== 'TableNotFound') throw error;
      this.logger.log('warn', 'cache.table_recreated', {});
      await this.client.createTable({ abortSignal: this.signal() });
      await work();
    }
  }

  private async write(entry: CachedVerdict, entity: ReturnType<typeof toEntity>): Promise<void> {
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const created = await this.client.createEntity(entity, { abortSignal: this.signal() }).then(
        () => true,
        (error: unknown) => (tableStatus(error) === 409 ? false : Promise.reject(error)),
      );
      if (created) return;
      const current = await this.client
        .getEntity<Record<string, unknown>>(entity.partitionKey, entity.rowKey, { abortSignal: this.signal(), queryOptions: { select: [PROP.verifiedAt] } })
        .catch((error: unknown) => (tableStatus(error) === 404 ? undefined : Promise.reject(error)));
      if (current === undefined) continue; // deleted in between: create again
      if (!replaces(entry, current[PROP.verifiedAt] as Date | string | undefined)) return; // a newer verdict is stored
      const replaced = await this.client.updateEntity(entity, 'Replace', { etag: current.etag, abortSignal: this.signal() }).then(
        () => true,
        (error: unknown) => (tableStatus(error) === 412 || tableStatus(error) === 404 ? false : Promise.reject(error)),
      );
      if (replaced) return;
    }
    this.logger.log('warn', 'cache.write_contended', { digest: entry.key.digest, attempts: MAX_WRITE_ATTEMPTS });
  }

  async delete(key: CacheKey): Promise<void> {
    await this.guard('delete', undefined, async () => {
      const { partitionKey, rowKey } = toTableKeys(key);
      await this.client.deleteEntity(partitionKey, rowKey, { abortSignal: this.signal() })
        .catch((error: unknown) => (tableStatus(error) === 404 ? undefined : Promise.reject(error)));
    });
  }

  async deleteDigest(registry: string, repository: string, digest: string): Promise<void> {
    await this.guard('deleteDigest', undefined, async () => {
      const { partitionKey } = toTableKeys({ registry, repository, digest, fingerprint: '' });
      const rows = this.client.listEntities({
        queryOptions: { filter: odata`PartitionKey eq ${partitionKey} and digest eq ${digest}`, select: ['PartitionKey', 'RowKey'] },
        abortSignal: this.signal(),
      });
      let deleted = 0;
      for await (const row of rows) {
        await this.client.deleteEntity(partitionKey, row.rowKey ?? '', { abortSignal: this.signal() })
          .catch((error: unknown) => (tableStatus(error) === 404 ? undefined : Promise.reject(error)));
        if (++deleted >= DELETE_MAX_ROWS) break;
      }
    });
  }

  /**
   * Due entries oldest first. Table Storage orders only by keys, so each call scans the rows with
   * expiresAt < before (keys and expiresAt only, at most DUE_SCAN_MAX_ROWS) and sorts them; see table-due.ts.
   */
  async listDue(before: Date, limit: number, continuation?: string): Promise<DuePage> {
    return this.guard('listDue', { entries: [] }, () =>
      listDueEntries({
        client: this.client,
        signal: () => this.signal(),
        decode: (entity, keys) => this.decode(entity, keys),
        before,
        limit,
        continuation,
      }),
    );
  }

  private decode(entity: Parameters<typeof fromEntity>[0], keys: TableKeys): CachedVerdict | undefined {
    try {
      return fromEntity(entity);
    } catch (error) {
      this.logger.log('warn', 'cache.corrupt_entry', { ...keys, code: isAppError(error) ? error.code : undefined });
      return undefined;
    }
  }

  private signal(): AbortSignal {
    return timeoutSignal(this.timeoutMs);
  }

  /** Runs one Table operation; failures are logged and become `fallback`. Caller errors (bad continuation) still throw. */
  private async guard<T>(operation: string, fallback: T, work: () => Promise<T>): Promise<T> {
    if (!this.health.shouldTry()) return fallback;
    try {
      const result = await work();
      this.health.succeeded();
      return result;
    } catch (error) {
      if (isAppError(error) && error.kind === 'invalid-input') throw error;
      this.health.failed(operation, error);
      return fallback;
    }
  }
}
