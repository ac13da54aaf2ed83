import 'reflect-metadata';
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate as AsnCertificate } from '@peculiar/asn1-x509';
import { CERTIFICATE_CACHE_SIZE } from './constants.js';
import { rawCertificateParts, readElement } from './der.js';
import { guardParse, PkiError } from './errors.js';
import { readExtensions, type BasicConstraintsFacts, type EkuFacts, type KeyUsageFacts } from './extensions.js';
import { describeKey, type KeyFacts } from './keys.js';
import { nameAttributes, nameToString, type SubjectAttribute } from './names.js';

/** A parsed certificate: node's X509Certificate for crypto, plus the facts node does not expose. Immutable and shared. */
export interface Certificate {
  readonly x509: X509Certificate;
  readonly der: Buffer;
  /** SHA-256 of the DER, lowercase hex (the `io.cncf.notary.x509chain.thumbprint#S256` form). */
  readonly thumbprint: string;
  /** RFC 4514 text. */
  readonly subject: string;
  readonly issuer: string;
  /** Raw DER of the subject and issuer Names (chain links compare these bytes, spec §7.1). */
  readonly subjectDer: Buffer;
  readonly issuerDer: Buffer;
  /** Subject attributes in certificate order, with Go's short names (spec §9). */
  readonly subjectAttributes: readonly SubjectAttribute[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Lowercase hex without leading zeros. */
  readonly serialNumber: string;
  /** True when basicConstraints is present with cA=true. */
  readonly isCA: boolean;
  readonly basicConstraints?: BasicConstraintsFacts;
  readonly keyUsage?: KeyUsageFacts;
  readonly eku?: EkuFacts;
  readonly publicKey: KeyObject;
  readonly key: KeyFacts;
  /** Issuer bytes equal subject bytes. */
  readonly selfIssued: boolean;
  readonly ocspUrls: readonly string[];
  readonly crlUrls: readonly string[];
  readonly freshestCrlUrls: readonly string[];
  /** Subject key identifier (lowercase hex), when present. */
  readonly subjectKeyIdentifier?: string;
  readonly signatureAlgorithmOid: string;
  /** DER parameters of the signature algorithm (RSA-PSS needs them). */
  readonly signatureAlgorithmParams?: Buffer;
  readonly extensions: ReadonlyArray<{ oid: string; critical: boolean }>;
}

const cache = new Map<string, Certificate>();

/**
 * Parses one certificate (DER bytes, a PEM string or PEM bytes) once: results are cached by SHA-256
 * thumbprint, so the hot path (the same chains again and again) costs a hash and a map lookup.
 */
export function parseCertificate(input: Uint8Array | string | X509Certificate | Certificate): Certificate {
  if (isCertificate(input)) return input;
  const der = input instanceof X509Certificate ? input.raw : toDer(input);
  const thumbprint = createHash('sha256').update(der).digest('hex');
  const known = cache.get(thumbprint);
  if (known) return known;
  const parsed = parseUncached(Buffer.from(der), thumbprint);
  if (cache.size >= CERTIFICATE_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(thumbprint, parsed);
  return parsed;
}

function isCertificate(value: unknown): value is Certificate {
  return typeof value === 'object' && value !== null && 'thumbprint' in value && 'x509' in value;
}

function toDer(input: Uint8Array | string): Uint8Array {
  const text = typeof input === 'string' ? input : isPemBytes(input) ? Buffer.from(input).toString('latin1') : undefined;
  if (text === undefined) return input as Uint8Array;
  const blocks = pemBlocks(text);
  if (blocks.length !== 1) throw new PkiError('ERR_CERT_PARSE', `expected exactly one PEM certificate, found ${blocks.length}`);
  return blocks[0] as Buffer;
}

/** True when bytes look like PEM text rather than DER (DER certificates start with a SEQUENCE tag). */
export function isPemBytes(bytes: Uint8Array): boolean {
  return bytes[0] !== 0x30 && Buffer.from(bytes.subarray(0, 4096)).toString('latin1').includes('-----BEGIN');
}

/** The DER of every `CERTIFICATE` PEM block in `text` (other block types are ignored). */
export function pemBlocks(text: string): Buffer[] {
  const out: Buffer[] = [];
  const pattern = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (const match of text.matchAll(pattern)) {
    const body = (match[1] ?? '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) throw new PkiError('ERR_CERT_PARSE', 'PEM block is not valid base64');
    out.push(Buffer.from(body, 'base64'));
  }
  return out;
}

function parseUncached(der: Buffer, thumbprint: string): Certificate {
  const x509 = guardParse('ERR_CERT_PARSE', 'certificate is not valid DER X.509', () => new X509Certificate(der));
  const asn = guardParse('ERR_CERT_PARSE', 'certificate is not valid DER X.509', () => AsnConvert.parse(der, AsnCertificate));
  const raw = rawCertificateParts(der);
  const tbs = asn.tbsCertificate;
  const extensions = readExtensions(tbs.extensions);
  const params = asn.signatureAlgorithm.parameters;
  // node decodes the key lazily: an unreadable key must fail here, as a parse error, not later.
  const publicKey = guardParse('ERR_CERT_PARSE', 'certificate public key is unreadable', () => x509.publicKey);
  return Object.freeze({
    x509,
    der,
    thumbprint,
    subject: nameToString(tbs.subject),
    issuer: nameToString(tbs.issuer),
    subjectDer: raw.subject,
    issuerDer: raw.issuer,
    subjectAttributes: Object.freeze(nameAttributes(tbs.subject)),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    serialNumber: Buffer.from(tbs.serialNumber).toString('hex').replace(/^0+(?=.)/, ''),
    isCA: extensions.basicConstraints?.ca === true,
    ...(extensions.basicConstraints ? { basicConstraints: extensions.basicConstraints } : {}),
    ...(extensions.keyUsage ? { keyUsage: extensions.keyUsage } : {}),
    ...(extensions.eku ? { eku: extensions.eku } : {}),
    publicKey,
    key: describeKey(publicKey),
    selfIssued: raw.issuer.equals(raw.subject),
    ocspUrls: extensions.ocspUrls,
    crlUrls: extensions.crlUrls,
    freshestCrlUrls: extensions.freshestCrlUrls,
    ...(extensions.subjectKeyIdentifier ? { subjectKeyIdentifier: extensions.subjectKeyIdentifier } : {}),
    signatureAlgorithmOid: asn.signatureAlgorithm.algorithm,
    ...(params ? { signatureAlgorithmParams: Buffer.from(params) } : {}),
    extensions: extensions.all,
  });
}

/**
 * Every certificate in a bundle: concatenated PEM blocks, or one or more concatenated DER certificates.
 * An empty or unparsable bundle is an error (as the reference's loader).
 */
export function parseCertificates(bundle: Uint8Array | string): Certificate[] {
  const text = typeof bundle === 'string' ? bundle : isPemBytes(bundle) ? Buffer.from(bundle).toString('latin1') : undefined;
  const ders = text !== undefined ? pemBlocks(text) : splitDer(bundle as Uint8Array);
  if (ders.length === 0) throw new PkiError('ERR_CERT_PARSE', 'no certificates found');
  return ders.map((der) => parseCertificate(der));
}

function splitDer(bytes: Uint8Array): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (bytes[at] !== 0x30) throw new PkiError('ERR_CERT_PARSE', `expected a certificate SEQUENCE at byte ${at}`);
    const element = readElement(bytes, at);
    out.push(Buffer.from(bytes.subarray(at, element.end)));
    at = element.end;
  }
  return out;
}
