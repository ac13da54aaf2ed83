import type { HttpHandler } from '@azure/functions';
import { isAppError } from '../shared/core/index.js';
import { getServices, type Services } from '../shared/config/index.js';
import type { FunctionDefinition } from './definition.js';
import { guardHttp } from './guard.js';

/**
 * GET /api/health — liveness plus whether configuration loaded. Names settings and counts, never values
 * (no paths, keys or certificates in the answer).
 */
export function makeHealthHandler(load: () => Promise<Services>): HttpHandler {
  return guardHttp(async () => {
    try {
      const services = await load();
      const health = await services.describe();
      return { status: 200, jsonBody: { status: 'ok', configuration: { loaded: true, ...health } } };
    } catch (error) {
      const code = isAppError(error) ? error.code : 'ERR_INTERNAL';
      const setting = isAppError(error) ? error.details?.['setting'] : undefined;
      return { status: 503, jsonBody: { status: 'degraded', configuration: { loaded: false, error: { code, ...(setting ? { setting } : {}) } } } };
    }
  });
}

export const healthFunction: FunctionDefinition = {
  kind: 'http',
  name: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'health',
  handler: makeHealthHandler(getServices),
};
