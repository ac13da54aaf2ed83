import type { X509Certificate } from 'node:crypto';

/** Store types of the Notary Project trust store specification. */
export type TrustStoreType = 'ca' | 'signingAuthority' | 'tsa';

export const TRUST_STORE_TYPES: readonly TrustStoreType[] = ['ca', 'signingAuthority', 'tsa'];

/**
 * Where trust anchors come from (files, inline PEM, Key Vault, or a composite of them).
 * Implementations validate what they load the way the spec says (CA-or-self-signed; tsa = roots only)
 * and throw a TrustStoreError (kind 'config') for a missing or invalid named store.
 */
export interface TrustStore {
  getCertificates(type: TrustStoreType, name: string): Promise<readonly X509Certificate[]>;
  /**
   * A stable hash of everything this store can serve; it changes whenever any certificate changes,
   * so verdict caches keyed by it never serve a verdict made with other trust material.
   */
  fingerprint(): Promise<string>;
  /**
   * Optional. What fingerprint() would answer right now when that needs no I/O and no re-check is due; undefined
   * otherwise (then callers ask fingerprint()). Lets a cache hit be answered without an await.
   */
  currentFingerprint?(): string | undefined;
}
