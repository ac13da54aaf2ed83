import { acrEventsFunction } from './acr-events.js';
import { admissionValidateFunction } from './admission.js';
import type { FunctionDefinition } from './definition.js';
import { gatekeeperMutateFunction, gatekeeperVerifyFunction } from './gatekeeper.js';
import { healthFunction } from './health.js';
import { admissionMutateFunction } from './mutate.js';
import { openApiFunction } from './openapi.js';
import { recheckFunction } from './recheck.js';
import { verdictsFunction } from './verdicts.js';
import { verifyFunction } from './verify.js';

/** Every trigger of the app: registered with Azure by index.ts and served locally by host/. */
export const allFunctions: readonly FunctionDefinition[] = [
  verifyFunction,
  healthFunction,
  openApiFunction,
  admissionValidateFunction,
  admissionMutateFunction,
  gatekeeperVerifyFunction,
  gatekeeperMutateFunction,
  verdictsFunction,
  acrEventsFunction,
  recheckFunction,
];
