import type { HttpHandler } from '@azure/functions';
import { z } from 'zod';
import {
  ADMISSION_DEFAULTS, answerProviderRequest, createWebhookAuth, parseProviderRequest, resolveAdmissionPolicy, type ProviderKind,
} from '../shared/admission/index.js';
import { Deadline, silentLogger, systemClock } from '../shared/core/index.js';
import { readJsonBody } from '../shared/http/index.js';
import { authInput, type AdmissionHandlerDeps } from './admission.js';
import { gateAdmission } from './admission-gate.js';
import type { FunctionDefinition } from './definition.js';
import { guardHttp } from './guard.js';

const anyJson = z.unknown();

/**
 * POST /api/v1/gatekeeper/verify/{key} and /api/v1/gatekeeper/mutate/{key} — Gatekeeper external data providers
 * (externaldata.gatekeeper.sh/v1beta1). One item per key, always; verify items carry a Ratify-shaped result, mutate
 * items the digest-pinned reference. Same authentication as the admission webhook.
 */
export function makeGatekeeperHandler(deps: AdmissionHandlerDeps, kind: ProviderKind['kind']): HttpHandler {
  const logger = deps.logger ?? silentLogger;
  const auth = createWebhookAuth(deps.settings, deps.clock ?? systemClock, logger);
  const policy = resolveAdmissionPolicy(deps.settings);
  const provider: ProviderKind = kind === 'verify' ? { kind } : { kind, pinMode: policy.pinMode };
  const deadlineMs = kind === 'verify'
    ? (deps.settings.gatekeeperDeadlineMs ?? ADMISSION_DEFAULTS.gatekeeperDeadlineMs)
    : (deps.settings.gatekeeperMutateDeadlineMs ?? ADMISSION_DEFAULTS.gatekeeperMutateDeadlineMs);
  const maxBytes = deps.settings.maxBodyBytes ?? ADMISSION_DEFAULTS.maxBodyBytes;
  return guardHttp(async (request) => {
    auth.authorize(authInput(request));
    const deadline = new Deadline(deadlineMs);
    try {
      const keys = parseProviderRequest(await readJsonBody(request, { maxBytes, schema: anyJson }));
      return { status: 200, jsonBody: await answerProviderRequest(keys, provider, { service: deps.verification, logger }, deadline) };
    } finally {
      deadline.dispose();
    }
  });
}

export const gatekeeperVerifyFunction: FunctionDefinition = {
  kind: 'http',
  name: 'gatekeeper-verify',
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'v1/gatekeeper/verify/{key?}',
  handler: guardHttp(gateAdmission('gatekeeper-verify', (deps) => makeGatekeeperHandler(deps, 'verify'))),
};

export const gatekeeperMutateFunction: FunctionDefinition = {
  kind: 'http',
  name: 'gatekeeper-mutate',
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'v1/gatekeeper/mutate/{key?}',
  handler: guardHttp(gateAdmission('gatekeeper-mutate', (deps) => makeGatekeeperHandler(deps, 'mutate'))),
};
