import { X509Certificate } from 'node:crypto';
import { parseTufKey } from './keys.js';
import type { PublicTufKey, TufKey } from './keys.js';

/** A root key as configured: a key id (TUF or canonical), a TUF key object, or a PEM certificate. */
export type RootKeyConfig = string | TufKey;

/**
 * The pinned root of one trust root: the ids a root.json signing key may have. For key material both Notary ids
 * are pinned, the certificate-wrapped one and the bare public key's ("canonical", what `notary key list` shows),
 * so a root certificate re-issued for the same key still matches.
 */
export interface PinnedRoot {
  ids: ReadonlySet<string>;
  /** Pinned key material: verifies root.json signatures even when a rotated root no longer lists the key. */
  keys: readonly PublicTufKey[];
  /** Distinct pinned keys that must sign root.json. */
  threshold: number;
}

export function pinRootKeys(keys: readonly RootKeyConfig[], threshold: number): PinnedRoot {
  const ids = new Set<string>();
  const material: PublicTufKey[] = [];
  for (const key of keys) {
    if (typeof key === 'string' && /^[a-f0-9]{64}$/.test(key)) {
      ids.add(key);
      continue;
    }
    const parsed = parseMaterial(key);
    material.push(parsed);
    ids.add(parsed.id).add(parsed.canonicalId);
  }
  return { ids, keys: material, threshold };
}

function parseMaterial(key: RootKeyConfig): PublicTufKey {
  if (typeof key === 'string') {
    const cert = new X509Certificate(key);
    const keytype = cert.publicKey.asymmetricKeyType === 'rsa' ? 'rsa-x509' : 'ecdsa-x509';
    key = { keytype, keyval: { public: Buffer.from(key, 'utf8').toString('base64') } };
  }
  return parseTufKey(key);
}
