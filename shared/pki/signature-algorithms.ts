import { constants, verify, type KeyObject } from 'node:crypto';
import { AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { HASH_BY_OID, OID, SIGNATURE_HASH_BY_OID, type HashAlgorithm } from './constants.js';

/** RSASSA-PSS-params (RFC 4055 §3.1); only the hash is inspected, the rest is left to node's verifier. */
@AsnType({ type: AsnTypeTypes.Sequence })
class RsaPssParams {
  @AsnProp({ type: AlgorithmIdentifier, context: 0, optional: true }) hashAlgorithm?: AlgorithmIdentifier;
  @AsnProp({ type: AsnPropTypes.Any, context: 1, optional: true }) maskGenAlgorithm?: ArrayBuffer;
  @AsnProp({ type: AsnPropTypes.Integer, context: 2, optional: true }) saltLength?: number;
  @AsnProp({ type: AsnPropTypes.Integer, context: 3, optional: true }) trailerField?: number;
}

/**
 * The hash of an accepted signature algorithm, or undefined when it is not accepted. Accepted: RSA PKCS#1 v1.5,
 * RSASSA-PSS and ECDSA with SHA-256/384/512. SHA-1 (and MD5, SHA-224, DSA, …) are refused everywhere — stricter
 * than the reference, which still accepts SHA-1 on a lone self-signed certificate (spec §7.1, §13 item 11).
 */
export function acceptedSignatureHash(oid: string, params?: Uint8Array): HashAlgorithm | undefined {
  const direct = SIGNATURE_HASH_BY_OID[oid];
  if (direct) return direct;
  if (oid !== OID.rsaPss || !params) return undefined;
  try {
    const parsed = AsnConvert.parse(params, RsaPssParams);
    // An absent hashAlgorithm means the DEFAULT, SHA-1.
    return parsed.hashAlgorithm ? HASH_BY_OID[parsed.hashAlgorithm.algorithm] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies `signature` over `data` for an X.509-style signed structure (CRL, OCSP response) with node:crypto:
 * PKCS#1 v1.5 / ECDSA (DER) with SHA-256/384/512, or RSASSA-PSS. Unaccepted algorithms never verify.
 */
export function verifySignedBytes(algorithmOid: string, params: Uint8Array | undefined, data: Uint8Array, signature: Uint8Array, key: KeyObject): boolean {
  const hash = acceptedSignatureHash(algorithmOid, params);
  if (!hash) return false;
  const verifyKey = algorithmOid === OID.rsaPss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO } : key;
  try {
    return verify(hash, data, verifyKey, signature);
  } catch {
    return false;
  }
}
