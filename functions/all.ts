import type { FunctionDefinition } from './definition.js';
import { healthFunction } from './health.js';
import { openApiFunction } from './openapi.js';
import { verifyFunction } from './verify.js';

/** Every trigger of the app: registered with Azure by index.ts and served locally by shared/host. */
export const allFunctions: readonly FunctionDefinition[] = [verifyFunction, healthFunction, openApiFunction];
