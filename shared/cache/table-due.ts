import { odata } from '@azure/data-tables';
import type { TableClient, TableEntityResult } from '@azure/data-tables';
import type { CachedVerdict, DuePage } from './port.js';
import type { TableKeys } from './keys.js';
import { compareDue, decodeContinuation, encodeContinuation } from './due-cursor.js';
import type { DuePosition } from './due-cursor.js';
import { DUE_SCAN_MAX_ROWS, PROP } from './constants.js';
import { tableStatus } from './table-health.js';

/** How many full entities are read at once after the scan. */
const FETCH_CONCURRENCY = 16;

export interface ListDueInput {
  client: TableClient;
  signal: () => AbortSignal;
  decode: (entity: TableEntityResult<Record<string, unknown>>, keys: TableKeys) => CachedVerdict | undefined;
  before: Date;
  limit: number;
  continuation: string | undefined;
}

/**
 * listDue over Table Storage, which can only order by (PartitionKey, RowKey):
 * 1. scan the rows with `expiresAt < before` (and `>=` the continuation's expiresAt), projecting only the
 *    keys and expiresAt, at most DUE_SCAN_MAX_ROWS rows;
 * 2. sort them by (expiresAt, PartitionKey, RowKey) and keep those after the continuation position;
 * 3. read the first `limit` entities in full.
 * The order is exact when at most DUE_SCAN_MAX_ROWS rows are due. Past that it is exact within the
 * scanned rows; the rest stay due and are reached by the next runs (a recheck moves expiresAt forward).
 * The continuation is the position of the last entry returned, so a walk never repeats an entry.
 */
export async function listDueEntries(input: ListDueInput): Promise<DuePage> {
  const after = decodeContinuation(input.continuation);
  const filter = after === undefined
    ? odata`expiresAt lt ${input.before}`
    : odata`expiresAt lt ${input.before} and expiresAt ge ${new Date(after.at)}`;
  const scanned: Array<{ position: DuePosition; keys: TableKeys }> = [];
  let truncated = false;
  const pages = input.client
    .listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ['PartitionKey', 'RowKey', PROP.expiresAt] }, abortSignal: input.signal() })
    .byPage({ maxPageSize: 1_000 });
  for await (const page of pages) {
    for (const row of page) {
      const expiresAt = row[PROP.expiresAt];
      if (!(expiresAt instanceof Date)) continue;
      const position = { at: expiresAt.getTime(), key: `${row.partitionKey} ${row.rowKey}` };
      if (after === undefined || compareDue(position, after) > 0) {
        scanned.push({ position, keys: { partitionKey: row.partitionKey ?? '', rowKey: row.rowKey ?? '' } });
      }
    }
    if (scanned.length >= DUE_SCAN_MAX_ROWS) {
      truncated = page.continuationToken !== undefined;
      break;
    }
  }
  scanned.sort((a, b) => compareDue(a.position, b.position));
  const chosen = scanned.slice(0, Math.max(0, input.limit));
  const entries: CachedVerdict[] = [];
  for (let i = 0; i < chosen.length; i += FETCH_CONCURRENCY) {
    const batch = chosen.slice(i, i + FETCH_CONCURRENCY);
    const read = await Promise.all(batch.map(({ keys }) => readEntity(input, keys)));
    for (const entry of read) if (entry !== undefined) entries.push(entry);
  }
  const last = chosen.at(-1);
  const more = scanned.length > chosen.length || truncated;
  return { entries, ...(more && last !== undefined ? { continuation: encodeContinuation(last.position) } : {}) };
}

async function readEntity(input: ListDueInput, keys: TableKeys): Promise<CachedVerdict | undefined> {
  const entity = await input.client
    .getEntity<Record<string, unknown>>(keys.partitionKey, keys.rowKey, { abortSignal: input.signal() })
    .catch((error: unknown) => (tableStatus(error) === 404 ? undefined : Promise.reject(error)));
  return entity === undefined ? undefined : input.decode(entity, keys);
}
