import { X509Certificate } from '@sigstore/core';
import { CosignError } from './errors.js';
import { LIMITS } from './constants.js';

/** Splits PEM text into DER certificates (at most LIMITS.chainLength), refusing anything else. */
export function pemCertificates(pem: string, what: string): Buffer[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new CosignError('ERR_COSIGN_MALFORMED', `${what} holds no PEM certificate`);
  if (blocks.length > LIMITS.chainLength) throw new CosignError('ERR_COSIGN_TOO_LARGE', `${what} holds ${blocks.length} certificates (limit ${LIMITS.chainLength})`);
  return blocks.map((block) => Buffer.from(block.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, ''), 'base64'));
}

/** Parses a DER certificate with the kept Sigstore parser; a parse failure is malformed evidence. */
export function parseCertificate(der: Uint8Array, what: string): X509Certificate {
  try {
    return X509Certificate.parse(Buffer.from(der));
  } catch (error) {
    throw new CosignError('ERR_COSIGN_MALFORMED', `${what} is not a valid certificate`, { cause: error });
  }
}
