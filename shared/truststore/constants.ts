/** Trust store layout, limits and codes (spec "Trust Store"; notary-spec digest §4). */

/** Sub-directory of the root that holds the X.509 store types (Notation layout `<root>/x509/<type>/<name>/`). */
export const X509_DIR = 'x509';

/** Named-store names: the spec's charset, minus `.` and `..`, which would address another directory. */
export const STORE_NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
export const RESERVED_STORE_NAMES: readonly string[] = ['.', '..'];

/**
 * Certificate file extensions read from a named store (lower-cased). The spec names .pem, .crt and .cer;
 * .der is added because the reference's own stores use it. Any other file makes the store invalid.
 */
export const CERTIFICATE_EXTENSIONS: readonly string[] = ['.pem', '.crt', '.cer', '.der'];

/** Optional-limit defaults: trust stores are small; these stop a misconfigured path from reading a disk. */
export const DEFAULT_MAX_FILES_PER_STORE = 256;
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_CERTIFICATES_PER_STORE = 1024;

export const PEM_CERTIFICATE_LABEL = 'CERTIFICATE';

export const OID_KEY_USAGE = '2.5.29.15';

/** Signature algorithms the spec forbids (SHA-1, MD5, MD2): such self-signatures never make a certificate trusted. */
export const WEAK_SIGNATURE_ALGORITHMS: ReadonlySet<string> = new Set([
  '1.2.840.113549.1.1.5', // sha1WithRSAEncryption
  '1.3.14.3.2.29', // sha1WithRSA (OIW)
  '1.2.840.10045.4.1', // ecdsa-with-SHA1
  '1.2.840.10040.4.3', // dsa-with-sha1
  '1.2.840.113549.1.1.4', // md5WithRSAEncryption
  '1.2.840.113549.1.1.2', // md2WithRSAEncryption
]);

/** Error codes of TrustStoreError (all kind `config`). */
export const TRUST_STORE_ERROR_CODES = {
  typeInvalid: 'ERR_TRUST_STORE_TYPE_INVALID',
  nameInvalid: 'ERR_TRUST_STORE_NAME_INVALID',
  notFound: 'ERR_TRUST_STORE_NOT_FOUND',
  notDirectory: 'ERR_TRUST_STORE_NOT_DIRECTORY',
  symlink: 'ERR_TRUST_STORE_SYMLINK',
  subdirectory: 'ERR_TRUST_STORE_SUBDIRECTORY',
  entryUnsupported: 'ERR_TRUST_STORE_ENTRY_UNSUPPORTED',
  tooLarge: 'ERR_TRUST_STORE_TOO_LARGE',
  unreadable: 'ERR_TRUST_STORE_UNREADABLE',
  certificateInvalid: 'ERR_TRUST_STORE_CERT_INVALID',
  notCaOrSelfSigned: 'ERR_TRUST_STORE_CERT_NOT_CA',
  tsaNotRoot: 'ERR_TRUST_STORE_TSA_NOT_ROOT',
  empty: 'ERR_TRUST_STORE_EMPTY',
  configInvalid: 'ERR_TRUST_STORE_CONFIG_INVALID',
} as const;

export type TrustStoreErrorCode = (typeof TRUST_STORE_ERROR_CODES)[keyof typeof TRUST_STORE_ERROR_CODES];
