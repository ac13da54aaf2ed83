import type { Logger } from '../core/index.js';
import { CompositeTrustStore, FileTrustStore, InlineTrustStore, type TrustStore } from '../truststore/index.js';
import { configError, type Settings } from './settings.js';

/** The configured trust stores, in lookup order: inline PEM first (explicit), then the directory. */
export async function buildTrustStore(settings: Settings, logger: Logger): Promise<TrustStore> {
  const stores: TrustStore[] = [];
  if (settings.trustStoreInline) stores.push(new InlineTrustStore({ stores: settings.trustStoreInline }));
  if (settings.trustStoreDir) stores.push(new FileTrustStore({ root: settings.trustStoreDir, logger }));
  if (stores.length === 0) throw configError('TRUSTGATE_TRUST_STORE', 'is required (a directory in Notation layout), or set TRUSTGATE_TRUST_STORE_INLINE');
  return stores.length === 1 ? (stores[0] as TrustStore) : new CompositeTrustStore(stores);
}
