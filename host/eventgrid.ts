import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { EventGridEvent, HttpResponseInit } from '@azure/functions';
import type { FunctionDefinition } from '../functions/definition.js';
import type { Logger } from '../shared/core/index.js';
import { problemResponse } from '../shared/http/index.js';
import { InvocationContext } from './functions-runtime.js';
import { logHandler } from './log-handler.js';

const VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';

/**
 * Mimics the Event Grid extension's webhook (`/runtime/webhooks/eventgrid?functionName=X`): answers the
 * subscription handshakes (a SubscriptionValidation delivery, CloudEvents OPTIONS) itself and invokes the function
 * once per event. A validation event inside a notification batch is skipped, not taken for a handshake. A failing
 * event answers 500 so Event Grid would retry the delivery. The body is read only after the route and method are known.
 */
export async function invokeEventGrid(
  options: { definitions: readonly FunctionDefinition[]; logger: Logger },
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  readBody: () => Promise<Uint8Array | 'too-large'>,
): Promise<HttpResponseInit> {
  const origin = headers['webhook-request-origin'];
  if (method === 'OPTIONS' && typeof origin === 'string') return { status: 200, headers: { 'WebHook-Allowed-Origin': origin } };
  if (method !== 'POST') {
    const answer = problemResponse(405, 'ERR_METHOD_NOT_ALLOWED', `${method} is not allowed here`);
    return { ...answer, headers: { ...(answer.headers as Record<string, string>), allow: 'POST, OPTIONS' } };
  }
  const name = url.searchParams.get('functionName') ?? '';
  const definition = options.definitions.find((d) => d.kind === 'eventGrid' && d.name.toLowerCase() === name.toLowerCase());
  if (!definition || definition.kind !== 'eventGrid') return problemResponse(404, 'ERR_NOT_FOUND', 'no Event Grid function of that name');
  const contentType = headers['content-type'];
  if (!contentType || !/^application\/([a-z.+-]*\+)?json\b/i.test(contentType)) {
    return problemResponse(415, 'ERR_UNSUPPORTED_MEDIA_TYPE', 'an Event Grid delivery is application/json or application/cloudevents-batch+json');
  }
  const body = await readBody();
  if (body === 'too-large') return problemResponse(413, 'ERR_BODY_TOO_LARGE', 'request body too large');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return problemResponse(400, 'ERR_INVALID_JSON', 'delivery body is not JSON');
  }
  const events = Array.isArray(parsed) ? parsed : [parsed];
  const isValidation = (e: unknown) => (e as { eventType?: unknown } | null)?.eventType === VALIDATION_EVENT;
  if (headers['aeg-event-type'] === 'SubscriptionValidation') {
    const validation = events.find(isValidation) as { data?: { validationCode?: string } } | undefined;
    return { status: 200, jsonBody: { validationResponse: validation?.data?.validationCode ?? '' } };
  }
  for (const event of events) {
    if (isValidation(event)) {
      options.logger.log('warn', 'host.validation_event_in_batch', { function: definition.name });
      continue;
    }
    const context = new InvocationContext({ invocationId: randomUUID(), functionName: definition.name, logHandler: logHandler(options.logger) });
    try {
      await definition.handler(event as EventGridEvent, context);
    } catch (error) {
      options.logger.log('warn', 'host.event_failed', { function: definition.name, error: error instanceof Error ? error.message : String(error) });
      return problemResponse(500, 'ERR_EVENT_FAILED', 'the function failed; Event Grid would retry');
    }
  }
  return { status: 200 };
}
