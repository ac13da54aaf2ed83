/**
 * Media types, header names and limits of the OCI image and distribution specifications
 * (https://github.com/opencontainers/image-spec, https://github.com/opencontainers/distribution-spec).
 */

export const MEDIA_TYPE_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_TYPE_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MEDIA_TYPE_OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
export const MEDIA_TYPE_OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const MEDIA_TYPE_OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';
/** The retired OCI artifact manifest (image-spec 1.1 release candidates); notation still reads it. */
export const MEDIA_TYPE_ORAS_ARTIFACT_MANIFEST = 'application/vnd.oci.artifact.manifest.v1+json';
export const MEDIA_TYPE_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const MEDIA_TYPE_DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** Notary Project signature artifact type, and the legacy config media type (notary-spec §3). */
export const ARTIFACT_TYPE_NOTATION_SIGNATURE = 'application/vnd.cncf.notary.signature';
export const MEDIA_TYPE_JWS_ENVELOPE = 'application/jose+json';
export const MEDIA_TYPE_COSE_ENVELOPE = 'application/cose';

/** The empty JSON config `{}` of OCI 1.1 artifacts (image-spec manifest.md, "Guidance for an Empty Descriptor"). */
export const EMPTY_CONFIG_DIGEST = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
export const EMPTY_CONFIG_BYTES = '{}';

/** Every manifest type `resolve` and `fetchManifest` accept, in preference order. */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  MEDIA_TYPE_OCI_MANIFEST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_DOCKER_MANIFEST_LIST,
  MEDIA_TYPE_ORAS_ARTIFACT_MANIFEST,
];
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

export const HEADER_DOCKER_CONTENT_DIGEST = 'docker-content-digest';
export const HEADER_OCI_FILTERS_APPLIED = 'oci-filters-applied';
export const HEADER_WWW_AUTHENTICATE = 'www-authenticate';
export const HEADER_RETRY_AFTER = 'retry-after';
export const HEADER_LINK = 'link';

/** Limits of the Notary reference (notary-spec §3, §12). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_BLOB_BYTES = 32 * 1024 * 1024;
/** Token endpoint and OCI error bodies are small; refuse anything bigger. */
export const MAX_TOKEN_BODY_BYTES = 256 * 1024;
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The registry docker.io names, and the host that actually serves its API. */
export const DOCKER_HUB_REGISTRY = 'docker.io';
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
export const DOCKER_HUB_LEGACY_NAMES: readonly string[] = ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'];

/** Token service (Docker token spec; ACR OAuth2 endpoints, platform-notes "ACR"). */
export const TOKEN_CLIENT_ID = 'trustgate';
export const TOKEN_DEFAULT_EXPIRES_IN_SECONDS = 60;
/** Tokens are refreshed this long before they expire, so a request never carries one that lapses in flight. */
export const TOKEN_EXPIRY_MARGIN_MS = 10_000;
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const ACR_AAD_SCOPE = 'https://containerregistry.azure.net/.default';
export const ACR_EXCHANGE_PATH = '/oauth2/exchange';
export const ACR_HOST_SUFFIXES: readonly string[] = ['.azurecr.io', '.azurecr.cn', '.azurecr.us'];
