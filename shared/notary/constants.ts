/**
 * Names of the Notary Project signature format, as the specification spells them
 * (notaryproject/specifications signature-specification.md, signature-envelope-jws.md, signature-envelope-cose.md).
 */

/** Media type of a JWS signature envelope (flattened JSON serialization, RFC 7515 §7.2.2). */
export const MEDIA_TYPE_JWS = 'application/jose+json';
/** Media type of a COSE_Sign1_Tagged signature envelope (RFC 9052 §4.2). */
export const MEDIA_TYPE_COSE = 'application/cose';
/** The only payload content type a Notary signature may carry. */
export const PAYLOAD_CONTENT_TYPE = 'application/vnd.cncf.notary.payload.v1+json';

export const SIGNING_SCHEME_X509 = 'notary.x509';
export const SIGNING_SCHEME_SIGNING_AUTHORITY = 'notary.x509.signingAuthority';
export type SigningScheme = typeof SIGNING_SCHEME_X509 | typeof SIGNING_SCHEME_SIGNING_AUTHORITY;

/** Protected (signed) Notary header names; JWS member names = COSE text labels. */
export const HEADER_SIGNING_SCHEME = 'io.cncf.notary.signingScheme';
export const HEADER_SIGNING_TIME = 'io.cncf.notary.signingTime';
export const HEADER_AUTHENTIC_SIGNING_TIME = 'io.cncf.notary.authenticSigningTime';
export const HEADER_EXPIRY = 'io.cncf.notary.expiry';
export const HEADER_VERIFICATION_PLUGIN = 'io.cncf.notary.verificationPlugin';
export const HEADER_VERIFICATION_PLUGIN_MIN_VERSION = 'io.cncf.notary.verificationPluginMinVersion';

/** Unprotected (unsigned) Notary header names. */
export const HEADER_TIMESTAMP_SIGNATURE = 'io.cncf.notary.timestampSignature';
export const HEADER_SIGNING_AGENT = 'io.cncf.notary.signingAgent';

/** JWS registered header names (RFC 7515 §4.1) used by Notary. */
export const JWS_HEADER_ALG = 'alg';
export const JWS_HEADER_CRIT = 'crit';
export const JWS_HEADER_CTY = 'cty';
export const JWS_HEADER_X5C = 'x5c';

/** COSE header labels (RFC 9052 §3.1, RFC 9360 §2). */
export const COSE_LABEL_ALG = 1;
export const COSE_LABEL_CRIT = 2;
export const COSE_LABEL_CONTENT_TYPE = 3;
export const COSE_LABEL_X5CHAIN = 33;
/** CBOR tag of COSE_Sign1 (RFC 9052 §2). */
export const CBOR_TAG_COSE_SIGN1 = 18;
/** CBOR tag of an epoch-based date/time (RFC 8949 §3.4.2). */
export const CBOR_TAG_EPOCH_DATETIME = 1;
/** Context string of the COSE_Sign1 Sig_structure (RFC 9052 §4.4). */
export const COSE_SIG_CONTEXT = 'Signature1';

/** Protected headers that Notary defines and that may (or must) be listed as critical. */
export const NOTARY_CRITICAL_HEADERS: readonly string[] = [
  HEADER_SIGNING_SCHEME,
  HEADER_AUTHENTIC_SIGNING_TIME,
  HEADER_EXPIRY,
  HEADER_VERIFICATION_PLUGIN,
  HEADER_VERIFICATION_PLUGIN_MIN_VERSION,
];

/** Headers that only make sense in the protected bucket. */
export const NOTARY_SIGNED_HEADERS: readonly string[] = [...NOTARY_CRITICAL_HEADERS, HEADER_SIGNING_TIME];

/** Artifact type of a Notary signature manifest (OCI 1.1 form), and its config media type in the legacy form. */
export const ARTIFACT_TYPE_NOTATION_SIGNATURE = 'application/vnd.cncf.notary.signature';
/** The OCI empty descriptor's media type: the config of an OCI 1.1 artifact manifest. */
export const MEDIA_TYPE_OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
