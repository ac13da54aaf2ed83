import { constants, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { NotaryErrorCode, notaryFailure } from '../errors.js';
import { algorithmInfo } from './algorithms.js';
import type { ParsedEnvelope } from './types.js';

/**
 * Verifies the envelope's signature over its signed bytes with the leaf public key
 * (signature-specification.md "Algorithm Selection"; RFC 7518 §3.4/§3.5, RFC 9053 §2.1, RFC 8230 §2).
 * RSASSA-PSS: MGF1 with the same hash and salt length = hash length for both formats — stricter than
 * the reference's JWS path, which accepts any salt length. ECDSA: raw fixed-width r||s.
 * The caller must already have checked that the header alg equals the algorithm implied by `publicKey`.
 */
export function verifyEnvelopeSignature(envelope: ParsedEnvelope, publicKey: KeyObject): void {
  const info = algorithmInfo(envelope.signed.algorithm);
  let valid: boolean;
  try {
    if (info.family === 'rsa-pss') {
      valid = verify(info.hash, envelope.signedBytes, {
        key: publicKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: info.hashLength,
      }, envelope.signature);
    } else {
      const width = (info.coordinateLength ?? 0) * 2;
      valid = envelope.signature.length === width && verify(info.hash, envelope.signedBytes, { key: publicKey, dsaEncoding: 'ieee-p1363' }, envelope.signature);
    }
  } catch (error) {
    throw notaryFailure(NotaryErrorCode.signature, `signature does not verify with the signing certificate's key (${info.name})`, error);
  }
  if (!valid) throw notaryFailure(NotaryErrorCode.signature, `signature does not verify with the signing certificate's key (${info.name})`);
}
