import type { Clock, Logger } from '../core/index.js';
import { CompositeTrustStore, FileTrustStore, InlineTrustStore, type TrustStore } from '../truststore/index.js';
import { azureCredential } from './azure-credential.js';
import { configError, type Settings } from './settings.js';

export interface TrustStores {
  store: TrustStore;
  /** Re-reads remote stores (Key Vault) now; the timer calls it. */
  refresh: () => Promise<void>;
}

/** The configured trust stores, in lookup order: inline PEM, the Notation-layout directory, Key Vault. */
export async function buildTrustStore(settings: Settings, clock: Clock, logger: Logger): Promise<TrustStores> {
  const stores: TrustStore[] = [];
  const refreshers: Array<() => Promise<unknown>> = [];
  if (settings.trustStoreInline) stores.push(new InlineTrustStore({ stores: settings.trustStoreInline }));
  if (settings.trustStoreDir) stores.push(new FileTrustStore({ root: settings.trustStoreDir, logger, clock, recheckIntervalMs: settings.trustStoreRecheckMs }));
  const vault = settings.azure.keyVault;
  if (vault) {
    const { KeyVaultTrustStore } = await import('../truststore/keyvault.js'); // the Key Vault SDKs load only when used
    const store = new KeyVaultTrustStore({ ...vault, credential: await azureCredential(), clock, logger });
    stores.push(store);
    refreshers.push(() => store.refresh());
  }
  if (stores.length === 0) {
    throw configError('TRUSTGATE_TRUST_STORE', 'is required (a directory in Notation layout), or set TRUSTGATE_TRUST_STORE_INLINE or TRUSTGATE_KEYVAULT_URL');
  }
  return {
    store: stores.length === 1 ? (stores[0] as TrustStore) : new CompositeTrustStore(stores),
    refresh: async () => void (await Promise.all(refreshers.map((refresh) => refresh()))),
  };
}
