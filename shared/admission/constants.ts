/** Kubernetes admission (admission.k8s.io/v1) and Gatekeeper external data (externaldata.gatekeeper.sh/v1beta1) wire constants. */

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
export const ADMISSION_REVIEW_KIND = 'AdmissionReview';
export const JSON_PATCH_TYPE = 'JSONPatch';

export const GATEKEEPER_API_VERSION = 'externaldata.gatekeeper.sh/v1beta1';
export const PROVIDER_REQUEST_KIND = 'ProviderRequest';
export const PROVIDER_RESPONSE_KIND = 'ProviderResponse';

/** App Service / Functions front end: the client certificate of the TLS connection, base64 DER. */
export const CLIENT_CERT_HEADER = 'x-arr-clientcert';
/** id-kp-clientAuth (RFC 5280 §4.2.1.12). */
export const OID_EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/** Namespaces never inspected, whatever the configuration says. */
export const ALWAYS_EXCLUDED_NAMESPACES: readonly string[] = ['kube-system'];

/** The API server's default webhook timeout, used when `?timeout=` is absent (and its maximum). */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
export const MAX_WEBHOOK_TIMEOUT_MS = 30_000;

/** Ratify verification-result fields we emulate (Gatekeeper templates written for Ratify read these). */
export const RATIFY_RESULT_VERSION = '0.2.0';
export const RATIFY_VERIFIER_NAME = 'trustgate-notation';
export const RATIFY_VERIFIER_TYPE = 'notation';
export const NOTARY_SIGNATURE_ARTIFACT_TYPE = 'application/vnd.cncf.notary.signature';

export interface RatifyVerifier {
  name: string;
  type: string;
  artifactType: string;
}

/**
 * The Ratify verifier each evidence scheme reports as. Notary keeps `notation` (Ratify's own verifier type), so
 * Gatekeeper templates written for Ratify match unchanged; cosign uses Ratify's `cosign` type; others their name.
 */
const RATIFY_VERIFIERS: Readonly<Record<string, RatifyVerifier>> = {
  notary: { name: RATIFY_VERIFIER_NAME, type: RATIFY_VERIFIER_TYPE, artifactType: NOTARY_SIGNATURE_ARTIFACT_TYPE },
  cosign: { name: 'trustgate-cosign', type: 'cosign', artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' },
};

/** The report of a decision no scheme's evidence stands behind (a verification policy found none of what it requires). */
export const TRUSTGATE_VERIFIER: RatifyVerifier = { name: 'trustgate', type: 'trustgate', artifactType: '' };

export function ratifyVerifierOf(scheme: string | undefined): RatifyVerifier {
  if (scheme === undefined) return RATIFY_VERIFIERS['notary'] as RatifyVerifier;
  return RATIFY_VERIFIERS[scheme] ?? { name: `trustgate-${scheme}`, type: scheme, artifactType: scheme };
}

/** Bounds on what one request may make us do. */
export const MAX_IMAGES_PER_REVIEW = 256;
export const MAX_PROVIDER_KEYS = 256;
/**
 * Distinct images verified at once for one review or provider request: the rest wait their turn (a 1,000-key request
 * once started 1,000 verifications together and stalled the event loop for seconds).
 */
export const MAX_SUBJECTS_IN_FLIGHT = 8;
export const MAX_REFERENCE_LENGTH = 4_096;
/** Kubernetes shows warnings to users; keep each short and the list bounded. */
export const MAX_WARNING_LENGTH = 256;
export const MAX_WARNINGS = 32;
export const MAX_STATUS_MESSAGE_LENGTH = 4_096;

/** Reason codes this module adds to the ones the verification service reports. */
export const REASON = {
  deadline: 'ERR_ADMISSION_DEADLINE',
  verifyFailed: 'ERR_ADMISSION_VERIFY_FAILED',
  invalidImage: 'ERR_INVALID_REFERENCE',
  invalidObject: 'ERR_ADMISSION_INVALID_OBJECT',
  tooManyImages: 'ERR_ADMISSION_TOO_MANY_IMAGES',
  noDigest: 'ERR_ADMISSION_NO_DIGEST',
  digestMismatch: 'ERR_ADMISSION_DIGEST_MISMATCH',
  denied: 'ERR_VERIFICATION_DENIED',
  tooManyKeys: 'ERR_GATEKEEPER_TOO_MANY_KEYS',
  internal: 'ERR_INTERNAL',
} as const;
