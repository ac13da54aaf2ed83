import type { KeyObject } from 'node:crypto';
import { PkiError } from './errors.js';

export type EcCurve = 'P-256' | 'P-384' | 'P-521';

/** The public key of a certificate, as the Notary key rules see it (spec §7.2). */
export type KeyFacts =
  | { type: 'rsa'; bits: number }
  | { type: 'ec'; curve: EcCurve | string; bits: number }
  | { type: 'other'; name: string };

/** Notary signature algorithms (signature-specification.md "Algorithm Selection"). */
export type NotaryAlgorithm = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

const CURVES: Readonly<Record<string, { curve: EcCurve; bits: number }>> = {
  prime256v1: { curve: 'P-256', bits: 256 },
  secp384r1: { curve: 'P-384', bits: 384 },
  secp521r1: { curve: 'P-521', bits: 521 },
};

const CURVE_BITS: Readonly<Record<string, number>> = { secp224r1: 224, secp256k1: 256, prime192v1: 192 };

export function describeKey(key: KeyObject): KeyFacts {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { type: 'rsa', bits: details.modulusLength ?? 0 };
  if (key.asymmetricKeyType === 'ec') {
    const named = CURVES[details.namedCurve ?? ''];
    return named ? { type: 'ec', ...named } : { type: 'ec', curve: details.namedCurve ?? 'unknown', bits: CURVE_BITS[details.namedCurve ?? ''] ?? 0 };
  }
  return { type: 'other', name: key.asymmetricKeyType ?? 'unknown' };
}

const ALGORITHMS: Readonly<Record<string, NotaryAlgorithm>> = {
  'rsa/2048': 'PS256',
  'rsa/3072': 'PS384',
  'rsa/4096': 'PS512',
  'ec/256': 'ES256',
  'ec/384': 'ES384',
  'ec/521': 'ES512',
};

/**
 * The signature algorithm a Notary signer with this key uses (spec §7.2): RSA 2048/3072/4096 → PS256/384/512,
 * EC P-256/384/521 → ES256/384/512. Any other key (RSA-1024, RSA-8192, P-224, Ed25519, …) → ERR_KEY_UNSUPPORTED.
 */
export function signatureAlgorithmForKey(cert: { key: KeyFacts; subject: string }): NotaryAlgorithm {
  const { key } = cert;
  const algorithm =
    key.type === 'rsa' ? ALGORITHMS[`rsa/${key.bits}`] : key.type === 'ec' && key.curve.startsWith('P-') ? ALGORITHMS[`ec/${key.bits}`] : undefined;
  if (!algorithm) {
    const what = key.type === 'other' ? `${key.name} keys are` : `${key.type} key size ${key.bits} bits is`;
    throw new PkiError('ERR_KEY_UNSUPPORTED', `certificate "${cert.subject}": ${what} not supported`, { details: { key } });
  }
  return algorithm;
}

/**
 * CA keys: the spec's "RSA ≥ 2048, EC ≥ 256" on the named curves node knows (the reference checks only leaves;
 * trustgate refuses weak CA keys too).
 */
export function assertCaKeyAcceptable(cert: { key: KeyFacts; subject: string }): void {
  const { key } = cert;
  const ok = (key.type === 'rsa' && key.bits >= 2048) || (key.type === 'ec' && key.curve.startsWith('P-') && key.bits >= 256);
  if (!ok) throw new PkiError('ERR_KEY_UNSUPPORTED', `CA certificate "${cert.subject}": key is too weak or of an unsupported type`, { details: { key } });
}
