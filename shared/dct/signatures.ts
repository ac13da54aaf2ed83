import { canonicalJson } from './canonical-json.js';
import { failed } from './errors.js';
import { parseTufKey, strictBase64, verifyTufSignature } from './keys.js';
import type { PublicTufKey, TufKey } from './keys.js';
import type { Envelope } from './metadata.js';

/** The keys and threshold a parent role assigns to a role. */
export interface RoleKeys {
  keyids: readonly string[];
  threshold: number;
}

/**
 * The keys a role may be signed with: the parent's `keys` entries listed in the role's keyids whose declared id
 * equals the id computed from the key (Notary refuses a key whose id does not match its content).
 */
export function roleKeyring(keys: Readonly<Record<string, TufKey>>, role: RoleKeys): Map<string, PublicTufKey> {
  const ring = new Map<string, PublicTufKey>();
  for (const id of new Set(role.keyids)) {
    const declared = Object.hasOwn(keys, id) ? keys[id] : undefined;
    if (!declared) continue;
    const key = parseTufKey(declared);
    if (key.id === id) ring.set(id, key);
  }
  return ring;
}

/**
 * Counts distinct keys of the ring with a valid signature over the canonical form of `signed`; throws
 * `failureCode` when fewer than the threshold verify. Returns the key ids that signed.
 */
export function verifyThreshold(envelope: Envelope, ring: ReadonlyMap<string, PublicTufKey>, threshold: number, roleName: string, failureCode: string): string[] {
  const message = Buffer.from(canonicalJson(envelope.signed), 'utf8');
  // Counted by the bare public key: one key listed twice (bare and in a certificate) is still one signer.
  const valid = new Map<string, string>();
  for (const signature of envelope.signatures) {
    const key = ring.get(signature.keyid);
    if (!key || valid.has(key.canonicalId)) continue;
    let bytes: Buffer;
    try {
      bytes = strictBase64(signature.sig);
    } catch {
      continue;
    }
    if (verifyTufSignature(signature.method.toLowerCase(), key, message, bytes)) valid.set(key.canonicalId, key.id);
  }
  if (valid.size < threshold) {
    throw failed(failureCode, `${roleName} has ${valid.size} valid signature(s) from its keys, below its threshold of ${threshold}`, {
      role: roleName,
      valid: valid.size,
      threshold,
    });
  }
  return [...valid.values()];
}
