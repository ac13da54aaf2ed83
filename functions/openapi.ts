import document from './openapi.json' with { type: 'json' };
import type { FunctionDefinition } from './definition.js';

/** GET /api/openapi.json — the API description kept in the repo (functions/openapi.json). */
export const openApiFunction: FunctionDefinition = {
  kind: 'http',
  name: 'openapi',
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'openapi.json',
  handler: async () => ({ status: 200, jsonBody: document }),
};
