import type { HttpRequest } from '@azure/functions';
import { CLIENT_CERT_HEADER, type AdmissionSettings, type AuthInput } from '../shared/admission/index.js';
import { getServices, type Services } from '../shared/config/index.js';
import type { Clock, Logger } from '../shared/core/index.js';
import type { VerificationService } from '../shared/verification/index.js';

/** What the admission and Gatekeeper handlers are built from. */
export interface AdmissionHandlerDeps {
  /** Required. */
  verification: VerificationService;
  /** Required. Mode, exclusions, allow patterns, auth (see AdmissionSettings). */
  settings: AdmissionSettings;
  /** Optional. Validity of client certificates is judged at clock.now(). Default: system clock. */
  clock?: Clock;
  /** Optional. Default: silent. */
  logger?: Logger;
}

/** The credentials a webhook caller can present: the `{key}` route segment and the forwarded client certificate. */
export function authInput(request: HttpRequest): AuthInput {
  return { pathKey: request.params.key, clientCertHeader: request.headers.get(CLIENT_CERT_HEADER) };
}

/**
 * Builds handler deps from the composition root. Without a path key or client CA configured the endpoints stay closed
 * (ERR_ADMISSION_AUTH_NOT_CONFIGURED → 500) rather than open.
 */
export async function loadAdmissionDeps(load: () => Promise<Services> = getServices): Promise<AdmissionHandlerDeps> {
  const services = await load();
  const settings = services.settings.admission;
  return { verification: services.verification, settings, clock: services.clock, logger: services.logger };
}
