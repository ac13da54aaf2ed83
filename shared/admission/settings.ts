import type { WebhookAuthOptions } from './auth.js';
import type { AdmissionOptions } from './options.js';

/**
 * Everything the admission and Gatekeeper endpoints are configured with, as shared/config should parse it:
 * TRUSTGATE_ADMISSION_MODE (deny|warn|audit), TRUSTGATE_ADMISSION_ON_INCONCLUSIVE (deny|allow),
 * TRUSTGATE_ADMISSION_EXCLUDED_NAMESPACES, TRUSTGATE_ADMISSION_ALLOW_IMAGES (comma lists),
 * TRUSTGATE_ADMISSION_SAFETY_MARGIN_MS, TRUSTGATE_MUTATE_PIN (tag-digest|digest), TRUSTGATE_ADMISSION_KEY,
 * TRUSTGATE_ADMISSION_CLIENT_CA (PEM), TRUSTGATE_GATEKEEPER_DEADLINE_MS, TRUSTGATE_GATEKEEPER_MUTATE_DEADLINE_MS,
 * TRUSTGATE_ADMISSION_MAX_BODY_BYTES.
 */
export interface AdmissionSettings extends AdmissionOptions, WebhookAuthOptions {
  /**
   * Optional. false turns the four admission and Gatekeeper endpoints off (TRUSTGATE_ADMISSION_ENABLED): they answer
   * 404, need no authentication settings and do not count against health. Default: true.
   */
  enabled?: boolean;
  /** Optional. Time the Gatekeeper verify provider may spend; keep it under the Provider's `timeout`. Default: 2500 ms. */
  gatekeeperDeadlineMs?: number;
  /** Optional. Same for the Gatekeeper mutate provider (Gatekeeper's mutation webhook is short). Default: 1500 ms. */
  gatekeeperMutateDeadlineMs?: number;
  /** Optional. Largest AdmissionReview / ProviderRequest body. Default: 6 MiB (object + oldObject near etcd's 1.5 MiB each, as JSON). */
  maxBodyBytes?: number;
}

export const ADMISSION_DEFAULTS = {
  gatekeeperDeadlineMs: 2_500,
  gatekeeperMutateDeadlineMs: 1_500,
  maxBodyBytes: 6 * 1024 * 1024,
} as const;
