import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import { isAppError } from '../shared/core/index.js';
import { errorResponse } from '../shared/http/index.js';

/**
 * Every HTTP function answers; none throws into the host. Expected errors become problem+json with
 * their code; anything else is logged with the invocation id and answered as a generic 500.
 */
export function guardHttp(handler: HttpHandler): HttpHandler {
  return async (request, context): Promise<HttpResponseInit> => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (!isAppError(error) || error.kind === 'internal' || error.kind === 'config') {
        context.error('request failed', { invocationId: context.invocationId, error: describe(error) });
      }
      return errorResponse(error);
    }
  };
}

function describe(error: unknown): Record<string, unknown> {
  if (isAppError(error)) return { code: error.code, kind: error.kind, message: error.message };
  return { message: error instanceof Error ? error.message : String(error) };
}
