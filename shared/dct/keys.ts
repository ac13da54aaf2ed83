import { X509Certificate, createHash, createPublicKey, constants, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { DCT_CODES, failed } from './errors.js';

/** A TUF public key as Notary writes it (`keyval.public` is base64 of DER, PEM certificate or raw Ed25519 bytes). */
export interface TufKey {
  keytype: string;
  keyval: { public: string; private?: null };
}

export const KEY_TYPES = ['ecdsa', 'ecdsa-x509', 'rsa', 'rsa-x509', 'ed25519'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** Notary refuses RSA below 2048 bits (tuf/signed/verifiers.go); so do we. */
const MIN_RSA_BITS = 2048;

/** A key ready to verify with, plus the facts outcomes report. */
export interface PublicTufKey {
  /** Notary's key id: sha256 of the canonical `{"keytype","keyval":{"private":null,"public"}}`. */
  id: string;
  /** For x509 keys, the id of the bare public key inside the certificate (what `notary key list` and ~/.docker/trust show). */
  canonicalId: string;
  type: KeyType;
  key: KeyObject;
  /** x509 keys: the certificate's validity window. */
  notBefore?: Date;
  notAfter?: Date;
}

/** The id Notary computes for a key: it only depends on the type and the public bytes. */
export function tufKeyId(keytype: string, publicBytes: Buffer): string {
  const canonical = canonicalJson({ keytype, keyval: { private: null, public: publicBytes.toString('base64') } });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

const MAX_CACHED_KEYS = 1024;
const parsedKeys = new Map<string, PublicTufKey>();

/**
 * Parses a TUF key; throws ERR_DCT_MALFORMED_METADATA for unknown types, bad encodings or weak RSA. Keys are
 * values (type + public bytes), so parsed keys are memoised: every verification re-reads the same few keys.
 */
export function parseTufKey(key: TufKey): PublicTufKey {
  const cacheKey = `${key.keytype} ${key.keyval.public}`;
  const known = parsedKeys.get(cacheKey);
  if (known) return known;
  const parsed = parseUncached(key);
  if (parsedKeys.size >= MAX_CACHED_KEYS) parsedKeys.clear();
  parsedKeys.set(cacheKey, parsed);
  return parsed;
}

function parseUncached(key: TufKey): PublicTufKey {
  const type = key.keytype as KeyType;
  if (!KEY_TYPES.includes(type)) throw failed(DCT_CODES.malformed, `unsupported key type ${JSON.stringify(key.keytype.slice(0, 40))}`);
  const bytes = strictBase64(key.keyval.public);
  const id = tufKeyId(type, bytes);
  if (type === 'ecdsa-x509' || type === 'rsa-x509') {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(bytes);
    } catch {
      throw failed(DCT_CODES.malformed, `key ${id} is not a PEM certificate`);
    }
    const publicKey = cert.publicKey;
    const bare = type === 'ecdsa-x509' ? 'ecdsa' : 'rsa';
    checkAlgorithm(publicKey, bare, id);
    const der = publicKey.export({ type: 'spki', format: 'der' });
    return { id, canonicalId: tufKeyId(bare, der), type, key: publicKey, notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) };
  }
  let publicKey: KeyObject;
  try {
    publicKey =
      type === 'ed25519'
        ? createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: ed25519Bytes(bytes, id).toString('base64url') }, format: 'jwk' })
        : createPublicKey({ key: bytes, format: 'der', type: 'spki' });
  } catch {
    throw failed(DCT_CODES.malformed, `key ${id} is not a valid ${type} public key`);
  }
  checkAlgorithm(publicKey, type, id);
  return { id, canonicalId: id, type, key: publicKey };
}

function ed25519Bytes(bytes: Buffer, id: string): Buffer {
  if (bytes.length !== 32) throw failed(DCT_CODES.malformed, `ed25519 key ${id} is not 32 bytes`);
  return bytes;
}

function checkAlgorithm(key: KeyObject, type: 'ecdsa' | 'rsa' | 'ed25519', id: string): void {
  const expected = type === 'ecdsa' ? 'ec' : type;
  if (key.asymmetricKeyType !== expected) throw failed(DCT_CODES.malformed, `key ${id} of type ${type} holds a ${String(key.asymmetricKeyType)} key`);
  if (type === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    throw failed(DCT_CODES.malformed, `RSA key ${id} is shorter than ${MIN_RSA_BITS} bits`);
  }
}

/** Go's []byte JSON decoding is strict base64; Node's is lenient, so require the canonical encoding. */
export function strictBase64(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) throw failed(DCT_CODES.malformed, 'value is not canonical base64');
  return bytes;
}

const EC_SIGNATURE_BYTES: Readonly<Record<string, number>> = { prime256v1: 64, secp384r1: 96, secp521r1: 132 };

/**
 * Verifies one TUF signature as Notary's verifiers do: the method must fit the key type; ECDSA is r‖s over
 * SHA-256 of the message whatever the curve; RSA-PSS uses SHA-256 with a 32-byte salt; Ed25519 is pure.
 */
export function verifyTufSignature(method: string, key: PublicTufKey, message: Buffer, signature: Buffer): boolean {
  try {
    switch (method) {
      case 'ecdsa': {
        if (key.type !== 'ecdsa' && key.type !== 'ecdsa-x509') return false;
        const expected = EC_SIGNATURE_BYTES[key.key.asymmetricKeyDetails?.namedCurve ?? ''];
        if (expected === undefined || signature.length !== expected) return false;
        return verify('sha256', message, { key: key.key, dsaEncoding: 'ieee-p1363' }, signature);
      }
      case 'eddsa':
        return key.type === 'ed25519' && signature.length === 64 && verify(null, message, key.key, signature);
      case 'rsapss':
        if (key.type !== 'rsa' && key.type !== 'rsa-x509') return false;
        return verify('sha256', message, { key: key.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
      case 'rsapkcs1v15':
        if (key.type !== 'rsa' && key.type !== 'rsa-x509') return false;
        return verify('sha256', message, { key: key.key, padding: constants.RSA_PKCS1_PADDING }, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}
