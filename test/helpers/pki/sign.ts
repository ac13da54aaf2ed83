import { createHash, sign, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import type { HashName } from './keys.js';

/** Hash OIDs (RFC 5754 / RFC 3279). */
export const HASH_OIDS: Record<HashName, string> = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};

const RSA_PKCS1_OIDS: Record<HashName, string> = {
  sha1: '1.2.840.113549.1.1.5',
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};

const ECDSA_OIDS: Record<HashName, string> = {
  sha1: '1.2.840.10045.4.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};

/** DER NULL, the parameters of the RSA PKCS#1 v1.5 signature algorithms. */
const DER_NULL = new Uint8Array([0x05, 0x00]).buffer;

/** The AlgorithmIdentifier of a signature by `key` with `hash` (RSA PKCS#1 v1.5 or ECDSA). */
export function signatureAlgorithm(key: KeyObject, hash: HashName): AlgorithmIdentifier {
  if (key.asymmetricKeyType === 'rsa') return new AlgorithmIdentifier({ algorithm: RSA_PKCS1_OIDS[hash], parameters: DER_NULL });
  return new AlgorithmIdentifier({ algorithm: ECDSA_OIDS[hash] });
}

/** The AlgorithmIdentifier of a digest (CMS digestAlgorithm, ESS hashAlgorithm, OCSP CertID). */
export function digestAlgorithm(hash: HashName): AlgorithmIdentifier {
  return new AlgorithmIdentifier({ algorithm: HASH_OIDS[hash], parameters: DER_NULL });
}

/** Signs `data` the way X.509/CMS/OCSP/CRL signatures are made: PKCS#1 v1.5 for RSA, DER ECDSA for EC. */
export function signBytes(key: KeyObject, hash: HashName, data: Uint8Array): Buffer {
  return sign(hash, data, key);
}

export function digest(hash: HashName, data: Uint8Array): Buffer {
  return createHash(hash).update(data).digest();
}

/** Serializes an @peculiar/asn1 object to a Buffer. */
export function toDer(value: unknown): Buffer {
  return Buffer.from(AsnConvert.serialize(value));
}

/** Wraps DER in an OctetString (extension values, eContent). */
export function octets(der: Uint8Array): OctetString {
  return new OctetString(der);
}

/** Flips one bit near the end of a signature so it no longer verifies (but still parses). */
export function corrupt(signature: Uint8Array): Buffer {
  const copy = Buffer.from(signature);
  const at = copy.length - 2;
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

/** A serial number as the positive big-endian INTEGER bytes X.509 wants (leading zero when the high bit is set). */
export function serialBytes(serialHex: string): ArrayBuffer {
  const even = serialHex.length % 2 === 0 ? serialHex : `0${serialHex}`;
  const bytes = Buffer.from(even, 'hex');
  const positive = (bytes[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return new Uint8Array(positive).buffer;
}
