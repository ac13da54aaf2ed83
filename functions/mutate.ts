import type { HttpHandler } from '@azure/functions';
import { makeAdmissionHandler, type AdmissionHandlerDeps } from './admission.js';
import { gateAdmission } from './admission-gate.js';
import type { FunctionDefinition } from './definition.js';
import { guardHttp } from './guard.js';

/**
 * POST /api/v1/admission/mutate/{key} — the validating decision plus a JSONPatch that pins every verified image to its
 * digest (`repo:tag@sha256:…` or `repo@sha256:…`, TRUSTGATE_MUTATE_PIN), so what runs is exactly what was verified.
 * An image that did not verify is never patched.
 */
export function makeMutateHandler(deps: AdmissionHandlerDeps): HttpHandler {
  return makeAdmissionHandler(deps, { pin: true });
}

export const admissionMutateFunction: FunctionDefinition = {
  kind: 'http',
  name: 'admission-mutate',
  methods: ['POST'],
  authLevel: 'anonymous',
  route: 'v1/admission/mutate/{key?}',
  handler: guardHttp(gateAdmission('admission-mutate', (deps) => makeMutateHandler(deps))),
};
