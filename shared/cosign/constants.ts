/** Media types, annotation keys and bounds of the cosign scheme (sigstore/cosign specs, sigstore/protobuf-specs). */

export const SCHEME_NAME = 'cosign';

/** Layer media type of cosign's tag-scheme signatures (`sha256-<hex>.sig`). */
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
/** The simple-signing payload `type` cosign writes. */
export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';

export const ANNOTATION_SIGNATURE = 'dev.cosignproject.cosign/signature';
export const ANNOTATION_CERTIFICATE = 'dev.sigstore.cosign/certificate';
export const ANNOTATION_CHAIN = 'dev.sigstore.cosign/chain';
export const ANNOTATION_BUNDLE = 'dev.sigstore.cosign/bundle';
export const ANNOTATION_RFC3161 = 'dev.sigstore.cosign/rfc3161timestamp';

/** Sigstore bundle media types a referrer may carry (artifactType and layer type); v0.3 is what cosign 3 writes. */
export const BUNDLE_MEDIA_TYPES: readonly string[] = [
  'application/vnd.dev.sigstore.bundle.v0.3+json',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
];

/** in-toto statement types accepted inside a DSSE bundle. */
export const IN_TOTO_STATEMENT_TYPES: readonly string[] = ['https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1'];
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** Fulcio OIDC issuer extensions (v2 is DER UTF8String, v1 raw). */
export const OID_FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';

/** Hostile-input bounds. */
export const LIMITS = {
  /** Simple-signing payload blob. */
  payloadBytes: 256 * 1024,
  /** Sigstore bundle blob (certificates, tlog entries and a DSSE envelope fit easily). */
  bundleBytes: 1024 * 1024,
  /** Any single annotation value. */
  annotationBytes: 64 * 1024,
  /** Signature layers read from one `.sig` manifest. */
  layersPerManifest: 32,
  /** Bundle referrers examined per subject (the orchestrator also caps evidence). */
  bundlesPerSubject: 32,
  /** Certificates in a chain (annotation or bundle). */
  chainLength: 10,
  /** Nesting depth of any JSON document, checked before parsing. */
  jsonDepth: 32,
  /** Display text in outcomes. */
  displayChars: 512,
  /** trusted_root.json. */
  trustedRootBytes: 4 * 1024 * 1024,
} as const;
