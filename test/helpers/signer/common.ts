import { constants, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { KeyType } from '../pki/index.js';
import {
  HEADER_AUTHENTIC_SIGNING_TIME,
  HEADER_EXPIRY,
  HEADER_SIGNING_SCHEME,
  HEADER_SIGNING_TIME,
  SIGNING_SCHEME_SIGNING_AUTHORITY,
  SIGNING_SCHEME_X509,
} from '../../../shared/notary/constants.js';
import { algorithmInfo } from '../../../shared/notary/envelope/index.js';
import type { SignatureAlgorithm } from '../../../shared/notary/envelope/index.js';
import type { SignOptions } from './options.js';

/** Every Notary signature algorithm with the key type that implies it (notary-spec §7.2), for table-driven tests. */
export const ALGORITHM_KEY_TYPES: ReadonlyArray<readonly [SignatureAlgorithm, KeyType]> = [
  ['PS256', 'rsa-2048'],
  ['PS384', 'rsa-3072'],
  ['PS512', 'rsa-4096'],
  ['ES256', 'ec-p256'],
  ['ES384', 'ec-p384'],
  ['ES512', 'ec-p521'],
];

export const DEFAULT_SIGNING_TIME = new Date('2026-05-31T00:00:00Z');

/** The Notary algorithm a key implies (signature-specification.md "Algorithm Selection"). */
export function algorithmForKey(key: KeyObject): SignatureAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    const bits = details.modulusLength;
    return bits === 4096 ? 'PS512' : bits === 3072 ? 'PS384' : 'PS256';
  }
  const curve = details.namedCurve;
  return curve === 'secp521r1' ? 'ES512' : curve === 'secp384r1' ? 'ES384' : 'ES256';
}

export function payloadBytesOf(options: SignOptions): Buffer {
  return Buffer.from(options.payloadBytes ?? JSON.stringify({ targetArtifact: options.descriptor }));
}

/** Signed Notary header names → values (times as Date; each format encodes them its own way). */
export function notaryHeaders(options: SignOptions): Map<string, unknown> {
  const scheme = options.scheme ?? SIGNING_SCHEME_X509;
  const time = options.signingTime ?? DEFAULT_SIGNING_TIME;
  const headers = new Map<string, unknown>([[HEADER_SIGNING_SCHEME, scheme]]);
  if (scheme === SIGNING_SCHEME_SIGNING_AUTHORITY || options.bothTimes) headers.set(HEADER_AUTHENTIC_SIGNING_TIME, time);
  if (scheme !== SIGNING_SCHEME_SIGNING_AUTHORITY || options.bothTimes) headers.set(HEADER_SIGNING_TIME, time);
  if (options.expiry) headers.set(HEADER_EXPIRY, options.expiry);
  return headers;
}

export function defaultCrit(options: SignOptions): string[] {
  const crit = [HEADER_SIGNING_SCHEME];
  if ((options.scheme ?? SIGNING_SCHEME_X509) === SIGNING_SCHEME_SIGNING_AUTHORITY) crit.push(HEADER_AUTHENTIC_SIGNING_TIME);
  if (options.expiry) crit.push(HEADER_EXPIRY);
  return [...crit, ...(options.extraCritical ?? [])];
}

/** Signs like a Notary signer: RSASSA-PSS (salt = hash length) or ECDSA raw r||s. */
export function signValue(options: SignOptions, algorithm: SignatureAlgorithm, data: Uint8Array): Buffer {
  const info = algorithmInfo(options.signWith ?? algorithm);
  const signature =
    info.family === 'rsa-pss'
      ? sign(info.hash, data, { key: options.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: options.pssSaltLength ?? info.hashLength })
      : sign(info.hash, data, { key: options.privateKey, dsaEncoding: 'ieee-p1363' });
  if (options.corruptSignature) signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 0x01;
  return signature;
}
