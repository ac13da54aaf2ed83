import type { HttpHandler } from '@azure/functions';
import { createWebhookAuth, type AdmissionSettings, type WebhookAuth } from '../shared/admission/index.js';
import { admissionSettings, installedServices } from '../shared/config/index.js';
import { jsonLogger, systemClock } from '../shared/core/index.js';
import { problemResponse } from '../shared/http/index.js';
import { invocationAwareLogger } from '../shared/telemetry/index.js';
import { authInput, loadAdmissionDeps, type AdmissionHandlerDeps } from './admission-deps.js';
import { disabledResponse, disablingProblems } from './availability.js';
import { lazy } from './definition.js';

/** In Azure a line goes to the current invocation (severity, invocation id); locally it is a JSON line. */
const GATE_LOGGER = invocationAwareLogger(jsonLogger('info'), 'info');

/**
 * The admission and Gatekeeper endpoints are anonymous at the Functions level, so the caller is authenticated before
 * anything else: the check is built from the admission settings alone, and only an authenticated caller gets to learn
 * which setting is broken or make the services build. Unconfigured authentication answers 503 and names nothing.
 */
export function gateAdmission(name: string, build: (deps: AdmissionHandlerDeps) => HttpHandler): HttpHandler {
  let cached: { key: string; auth: WebhookAuth } | undefined;
  const handler = lazy(async () => build(await loadAdmissionDeps()));
  const authFor = async (settings: AdmissionSettings): Promise<WebhookAuth | undefined> => {
    const installed = await installedServices()?.catch(() => undefined);
    const key = JSON.stringify([settings.pathKey ?? '', settings.clientCaPem ?? '', installed !== undefined]);
    if (cached?.key === key) return cached.auth;
    try {
      // Refused callers are logged (admission.unauthorized) through the invocation, before any service is built.
      cached = { key, auth: createWebhookAuth(settings, installed?.clock ?? systemClock, installed?.logger ?? GATE_LOGGER) };
      return cached.auth;
    } catch {
      return undefined;
    }
  };
  return async (request, context) => {
    const { settings, problems } = await admissionSettings();
    if (problems.length === 0 && settings.enabled === false) return problemResponse(404, 'ERR_NOT_FOUND', `${name} is turned off (TRUSTGATE_ADMISSION_ENABLED=false)`);
    const auth = problems.length === 0 ? await authFor(settings) : undefined;
    if (!auth) return disabledResponse(name, [], false);
    auth.authorize(authInput(request)); // ERR_UNAUTHORIZED → 401 through guardHttp
    const blocking = await disablingProblems(name);
    if (blocking.length > 0) return disabledResponse(name, blocking);
    return handler(request, context);
  };
}
