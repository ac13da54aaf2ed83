/** OIDs and limits of the pki module (RFC 5280, RFC 5652, RFC 3161, RFC 5035, RFC 6960). */

export const OID = {
  // Certificate extensions (RFC 5280 §4.2).
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  certificatePolicies: '2.5.29.32',
  crlDistributionPoints: '2.5.29.31',
  freshestCrl: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  accessOcsp: '1.3.6.1.5.5.7.48.1',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  // CRL extensions (RFC 5280 §5.2, §5.3).
  crlNumber: '2.5.29.20',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  authorityKeyIdentifierCrl: '2.5.29.35',
  crlReason: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  certificateIssuer: '2.5.29.29',
  // Extended key usages (RFC 5280 §4.2.1.12).
  ekuAny: '2.5.29.37.0',
  ekuServerAuth: '1.3.6.1.5.5.7.3.1',
  ekuClientAuth: '1.3.6.1.5.5.7.3.2',
  ekuCodeSigning: '1.3.6.1.5.5.7.3.3',
  ekuEmailProtection: '1.3.6.1.5.5.7.3.4',
  ekuTimeStamping: '1.3.6.1.5.5.7.3.8',
  ekuOcspSigning: '1.3.6.1.5.5.7.3.9',
  // CMS / TSP (RFC 5652, RFC 3161, RFC 5035).
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  attrContentType: '1.2.840.113549.1.9.3',
  attrMessageDigest: '1.2.840.113549.1.9.4',
  attrSigningTime: '1.2.840.113549.1.9.5',
  attrSigningCertificateV2: '1.2.840.113549.1.9.16.2.47',
  baselineTsaPolicy: '0.4.0.2023.1.1',
  // OCSP (RFC 6960).
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  // Algorithms.
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
} as const;

export type HashAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** Digest OIDs accepted anywhere in trustgate (SHA-1 and MD5 never are). */
export const HASH_BY_OID: Readonly<Record<string, HashAlgorithm>> = {
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

export const HASH_LENGTH: Readonly<Record<HashAlgorithm, number>> = { sha256: 32, sha384: 48, sha512: 64 };

/** Signature algorithms accepted on certificates, CRLs, OCSP responses and CMS signers (RSA-PSS resolved separately). */
export const SIGNATURE_HASH_BY_OID: Readonly<Record<string, HashAlgorithm>> = {
  [OID.sha256WithRsa]: 'sha256',
  [OID.sha384WithRsa]: 'sha384',
  [OID.sha512WithRsa]: 'sha512',
  [OID.ecdsaWithSha256]: 'sha256',
  [OID.ecdsaWithSha384]: 'sha384',
  [OID.ecdsaWithSha512]: 'sha512',
};

/** Attribute short names as Go's pkix.Name.String() prints them (Notary trusted identities, spec §9). */
export const GO_ATTRIBUTE_NAMES: Readonly<Record<string, SubjectAttributeName>> = {
  '2.5.4.6': 'C',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.9': 'STREET',
  '2.5.4.17': 'POSTALCODE',
};

export type SubjectAttributeName = 'C' | 'ST' | 'L' | 'O' | 'OU' | 'CN' | 'SERIALNUMBER' | 'STREET' | 'POSTALCODE';

/** Size of the parsed-certificate cache (entries, keyed by SHA-256 thumbprint). */
export const CERTIFICATE_CACHE_SIZE = 2048;

/** Revocation limits (spec §11; notary-spec digest §12). */
export const REVOCATION_DEFAULTS = {
  ocspTimeoutMs: 2_000,
  crlTimeoutMs: 5_000,
  ocspMaxBytes: 20 * 1024,
  crlMaxBytes: 32 * 1024 * 1024,
  /** OCSP requests go by GET when the whole GET URL is shorter than this (RFC 5019 §5), else by POST. */
  ocspGetMaxLength: 255,
} as const;

export const MEDIA_TYPE = {
  ocspRequest: 'application/ocsp-request',
  ocspResponse: 'application/ocsp-response',
} as const;

/**
 * Most certificates accepted in one chain (signing or timestamping). Notary chains are leaf, an intermediate or two
 * and a root; the bound is checked before any certificate is parsed, so a signature cannot buy CPU with its x5c.
 */
export const MAX_CHAIN_CERTIFICATES = 10;
