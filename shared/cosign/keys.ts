import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** Public key types a keyed cosign root may hold (what cosign generates or imports). */
const EC_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);
const MIN_RSA_BITS = 2048;

/**
 * Parses a PEM public key (SPKI "PUBLIC KEY", or "RSA PUBLIC KEY") and checks it is ECDSA P-256/384/521,
 * RSA ≥ 2048 bits or Ed25519. Throws a plain Error with the reason (the caller adds the config path).
 */
export function parsePublicKeyPem(pem: string): KeyObject {
  if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) throw new Error('not a PEM public key (BEGIN PUBLIC KEY)');
  return checkPublicKey(createPublicKey(pem));
}

/** Checks a public key is of a type and size cosign keys may have (see parsePublicKeyPem). */
export function checkPublicKey(key: KeyObject): KeyObject {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec':
      if (!EC_CURVES.has(details.namedCurve ?? '')) throw new Error(`unsupported EC curve ${details.namedCurve ?? '?'} (P-256, P-384, P-521)`);
      return key;
    case 'rsa':
      if ((details.modulusLength ?? 0) < MIN_RSA_BITS) throw new Error(`RSA key of ${details.modulusLength ?? 0} bits (at least ${MIN_RSA_BITS})`);
      return key;
    case 'ed25519':
      return key;
    default:
      throw new Error(`unsupported key type ${key.asymmetricKeyType ?? '?'} (ECDSA, RSA, Ed25519)`);
  }
}

/** SHA-256 hex of the key's DER SubjectPublicKeyInfo: the key id shown as the signer of keyed evidence. */
export function keyId(key: KeyObject): string {
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}
