import { createHash } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { isAppError } from '../core/index.js';
import { TRUST_STORE_ERROR_CODES as CODES } from './constants.js';
import { TrustStoreError } from './errors.js';
import type { TrustStore, TrustStoreType } from './port.js';

/**
 * Several stores behind one: the first store that has the named store answers. Only "not found" passes the
 * question on; an invalid store is an error and is never hidden by a later store with the same name.
 */
export class CompositeTrustStore implements TrustStore {
  private readonly stores: readonly TrustStore[];
  private combined: { prints: string; value: string } | undefined;

  /** `stores` in lookup order. */
  constructor(stores: readonly TrustStore[]) {
    this.stores = [...stores];
  }

  async getCertificates(type: TrustStoreType, name: string): Promise<readonly X509Certificate[]> {
    for (const store of this.stores) {
      try {
        return await store.getCertificates(type, name);
      } catch (error) {
        // By code, not class: every store implementation reports a missing named store as ERR_TRUST_STORE_NOT_FOUND.
        if (isAppError(error) && error.code === CODES.notFound) continue;
        throw error;
      }
    }
    throw new TrustStoreError(CODES.notFound, `trust store ${type}:${name} does not exist in any configured source`);
  }

  /** Hash of the member fingerprints in lookup order (order decides which store answers, so it counts). */
  async fingerprint(): Promise<string> {
    const prints = (await Promise.all(this.stores.map((store) => store.fingerprint()))).join('\n');
    // Hashed only when a member changed: every verification asks, members rarely change.
    if (this.combined?.prints !== prints) this.combined = { prints, value: createHash('sha256').update(prints).digest('hex') };
    return this.combined.value;
  }

  /** The combined fingerprint when every member knows its own without I/O and none changed since the last one. */
  currentFingerprint(): string | undefined {
    const prints: string[] = [];
    for (const store of this.stores) {
      const print = store.currentFingerprint?.();
      if (print === undefined) return undefined;
      prints.push(print);
    }
    const joined = prints.join('\n');
    return this.combined?.prints === joined ? this.combined.value : undefined;
  }
}
