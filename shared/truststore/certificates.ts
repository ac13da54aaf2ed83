/**
 * Reading and vetting trust anchors (spec "Trust Store"; reference truststore.ValidateCertificates and the tsa
 * root rule). Used by every store implementation so all of them apply the same rules.
 */
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, KeyUsage, KeyUsageFlags } from '@peculiar/asn1-x509';
import { OID_KEY_USAGE, PEM_CERTIFICATE_LABEL, TRUST_STORE_ERROR_CODES as CODES, WEAK_SIGNATURE_ALGORITHMS } from './constants.js';
import { rawIssuerAndSubject, splitDerSequences } from './der.js';
import { TrustStoreError } from './errors.js';
import type { TrustStoreType } from './port.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/**
 * Certificates of one file: PEM (one or more CERTIFICATE blocks; text around blocks is ignored) or DER
 * (one or more concatenated certificates). `source` names the file in errors. Throws ERR_TRUST_STORE_CERT_INVALID
 * for anything that is not a certificate, including a file with no certificate at all.
 */
export function parseCertificates(bytes: Uint8Array, source: string): X509Certificate[] {
  const text = Buffer.from(bytes).toString('latin1');
  const ders = text.includes('-----BEGIN') ? pemBodies(text, source) : derParts(bytes, source);
  if (ders.length === 0) throw new TrustStoreError(CODES.certificateInvalid, `${source} contains no certificate`);
  return ders.map((der, i) => {
    try {
      return new X509Certificate(der);
    } catch (error) {
      throw new TrustStoreError(CODES.certificateInvalid, `${source}: certificate #${i + 1} does not parse`, { cause: error });
    }
  });
}

function pemBodies(text: string, source: string): Buffer[] {
  const bodies: Buffer[] = [];
  let blocks = 0;
  for (const match of text.matchAll(PEM_BLOCK)) {
    blocks++;
    const [, label, body = ''] = match;
    if (label !== PEM_CERTIFICATE_LABEL) throw new TrustStoreError(CODES.certificateInvalid, `${source} contains a "${label}" PEM block, not a certificate`);
    if (!BASE64_BODY.test(body)) throw new TrustStoreError(CODES.certificateInvalid, `${source} has a PEM block that is not base64`);
    bodies.push(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
  }
  if (blocks !== text.split('-----BEGIN').length - 1) throw new TrustStoreError(CODES.certificateInvalid, `${source} has an unterminated PEM block`);
  return bodies;
}

function derParts(bytes: Uint8Array, source: string): Uint8Array[] {
  try {
    return splitDerSequences(bytes);
  } catch (error) {
    throw new TrustStoreError(CODES.certificateInvalid, `${source} is neither PEM nor DER certificates`, { cause: error });
  }
}

/**
 * Anchors must be CA certificates (basicConstraints cA) or self-signed; in `tsa` stores every certificate
 * must be a self-signed, self-issued root CA. Stricter than the reference: a self-signature made with
 * SHA-1/MD5 never counts, and a tsa root needs basicConstraints cA even for a v1 certificate.
 */
export function validateAnchors(type: TrustStoreType, certificates: readonly X509Certificate[], source: string): void {
  for (const certificate of certificates) {
    const subject = certificate.subject.replace(/\n/g, ', ');
    if (type === 'tsa') {
      if (!(certificate.ca && isSelfIssued(certificate, source) && mayCertSign(certificate, source) && isSelfSigned(certificate, source))) {
        throw new TrustStoreError(CODES.tsaNotRoot, `${source}: "${subject}" is not a self-signed, self-issued root CA`);
      }
    } else if (!certificate.ca && !isSelfSigned(certificate, source)) {
      throw new TrustStoreError(CODES.notCaOrSelfSigned, `${source}: "${subject}" is neither a CA nor a self-signed certificate`);
    }
  }
}

/** The signature verifies with the certificate's own key, made with an acceptable algorithm. */
function isSelfSigned(certificate: X509Certificate, source: string): boolean {
  return inspect(certificate, source, () => {
    const parsed = AsnConvert.parse(certificate.raw, Certificate);
    return !WEAK_SIGNATURE_ALGORITHMS.has(parsed.signatureAlgorithm.algorithm) && certificate.verify(certificate.publicKey);
  });
}

/** Issuer and subject are the same bytes. */
function isSelfIssued(certificate: X509Certificate, source: string): boolean {
  return inspect(certificate, source, () => {
    const names = rawIssuerAndSubject(certificate.raw);
    return Buffer.from(names.issuer).equals(names.subject);
  });
}

/** No keyUsage extension, or one that allows keyCertSign (Go's CheckSignatureFrom rule for a parent). */
function mayCertSign(certificate: X509Certificate, source: string): boolean {
  return inspect(certificate, source, () => {
    const extension = AsnConvert.parse(certificate.raw, Certificate).tbsCertificate.extensions?.find((e) => e.extnID === OID_KEY_USAGE);
    return extension === undefined || (AsnConvert.parse(extension.extnValue, KeyUsage).toNumber() & KeyUsageFlags.keyCertSign) !== 0;
  });
}

function inspect(certificate: X509Certificate, source: string, work: () => boolean): boolean {
  try {
    return work();
  } catch (error) {
    throw new TrustStoreError(CODES.certificateInvalid, `${source}: "${certificate.subject.replace(/\n/g, ', ')}" cannot be inspected`, { cause: error });
  }
}
