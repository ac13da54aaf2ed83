import type { HttpHandler } from '@azure/functions';
import { z } from 'zod';
import {
  ADMISSION_DEFAULTS, admit, answerBudgetMs, createWebhookAuth, parseAdmissionReview, parseWebhookTimeout,
  resolveAdmissionPolicy, toAdmissionReview,
} from '../shared/admission/index.js';
import { Deadline, silentLogger, systemClock } from '../shared/core/index.js';
import { readJsonBody } from '../shared/http/index.js';
import { authInput, type AdmissionHandlerDeps } from './admission-deps.js';
import { gateAdmission } from './admission-gate.js';
import type { FunctionDefinition } from './definition.js';
import { guardHttp } from './guard.js';

export { authInput, loadAdmissionDeps, type AdmissionHandlerDeps } from './admission-deps.js';

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
    const deadline = new Deadline(answerBudgetMs(parseWebhookTimeout(request.query.get('timeout')), { safetyMarginMs: policy.safetyMarginMs }));
    try {
      const review = parseAdmissionReview(await readJsonBody(request, { maxBytes, schema: anyJson }));
      const response = await admit(review, { service: deps.verification, logger }, { policy, deadline, pin: options.pin });
      return { status: 200, jsonBody: toAdmissionReview(response) };
    } finally {
      deadline.dispose();
    }
  });
}

export const admissionValidateFunction: FunctionDefinition = {
  kind: 'http',
  name: 'admission-validate',
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'v1/admission/validate/{key?}',
  handler: guardHttp(gateAdmission('admission-validate', (deps) => makeAdmissionHandler(deps))),
};
