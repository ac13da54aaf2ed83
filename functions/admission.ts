import type { HttpHandler, HttpRequest } from '@azure/functions';
import { z } from 'zod';
import {
  ADMISSION_DEFAULTS, CLIENT_CERT_HEADER, admit, answerBudgetMs, createWebhookAuth, parseAdmissionReview, parseWebhookTimeout,
  resolveAdmissionPolicy, toAdmissionReview, type AdmissionSettings, type AuthInput,
} from '../shared/admission/index.js';
import { getServices, type Services } from '../shared/config/index.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../shared/core/index.js';
import { readJsonBody } from '../shared/http/index.js';
import type { VerificationService } from '../shared/verification/index.js';
import { gateAdmission } from './admission-gate.js';
import type { FunctionDefinition } from './definition.js';
import { guardHttp } from './guard.js';

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

/** Any JSON value: the AdmissionReview parser gives its own stable codes. */
const anyJson = z.unknown();

/**
 * POST /api/v1/admission/validate/{key} — AdmissionReview v1 in and out (same uid). Anonymous at the Functions level:
 * the path key and/or client certificate are checked here. Answers before the API server's `?timeout=` (minus the safety
 * margin) with the configured decision for whatever is still pending. With `pin`, verified images are pinned (mutate).
 * Building it throws ERR_ADMISSION_AUTH_NOT_CONFIGURED when neither a key nor a client CA is configured.
 */
export function makeAdmissionHandler(deps: AdmissionHandlerDeps, options: { pin: boolean } = { pin: false }): HttpHandler {
  const logger = deps.logger ?? silentLogger;
  const auth = createWebhookAuth(deps.settings, deps.clock ?? systemClock, logger);
  const policy = resolveAdmissionPolicy(deps.settings);
  const maxBytes = deps.settings.maxBodyBytes ?? ADMISSION_DEFAULTS.maxBodyBytes;
  return guardHttp(async (request) => {
    auth.authorize(authInput(request));
    // The clock for the deadline starts before the body is read: the API server's timeout covers the whole call.
    const signal = AbortSignal.timeout(answerBudgetMs(parseWebhookTimeout(request.query.get('timeout')), { safetyMarginMs: policy.safetyMarginMs }));
    const review = parseAdmissionReview(await readJsonBody(request, { maxBytes, schema: anyJson }));
    const response = await admit(review, { service: deps.verification, logger }, { policy, signal, pin: options.pin });
    return { status: 200, jsonBody: toAdmissionReview(response) };
  });
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

export const admissionValidateFunction: FunctionDefinition = {
  kind: 'http',
  name: 'admission-validate',
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'v1/admission/validate/{key?}',
  handler: guardHttp(gateAdmission('admission-validate', (deps) => makeAdmissionHandler(deps))),
};
