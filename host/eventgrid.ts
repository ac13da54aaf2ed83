import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { EventGridEvent, HttpResponseInit } from '@azure/functions';
import { InvocationContext } from './functions-runtime.js';
import type { FunctionDefinition } from '../functions/definition.js';
import type { Logger } from '../shared/core/index.js';
import { logHandler } from './log-handler.js';

const VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';

/**
 * Mimics the Event Grid extension's webhook (`/runtime/webhooks/eventgrid?functionName=X`): answers the
 * subscription handshakes (Event Grid schema validation event, CloudEvents OPTIONS) itself and invokes
 * the function once per event. A failing event answers 500 so Event Grid would retry the delivery.
 */
export async function invokeEventGrid(
  options: { definitions: readonly FunctionDefinition[]; logger: Logger },
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  body: Uint8Array,
): Promise<HttpResponseInit> {
  const origin = headers['webhook-request-origin'];
  if (method === 'OPTIONS' && typeof origin === 'string') return { status: 200, headers: { 'WebHook-Allowed-Origin': origin } };
  if (method !== 'POST') return { status: 405 };
  const name = url.searchParams.get('functionName') ?? '';
  const definition = options.definitions.find((d) => d.kind === 'eventGrid' && d.name.toLowerCase() === name.toLowerCase());
  if (!definition || definition.kind !== 'eventGrid') return { status: 404, jsonBody: { code: 'ERR_NOT_FOUND', detail: `no Event Grid function "${name}"` } };

  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return { status: 400, jsonBody: { code: 'ERR_INVALID_JSON', detail: 'delivery body is not JSON' } };
  }
  const events = Array.isArray(parsed) ? parsed : [parsed];
  const validation = events.find((e) => (e as { eventType?: unknown })?.eventType === VALIDATION_EVENT) as { data?: { validationCode?: string } } | undefined;
  if (headers['aeg-event-type'] === 'SubscriptionValidation' || validation) {
    return { status: 200, jsonBody: { validationResponse: validation?.data?.validationCode ?? '' } };
  }
  for (const event of events) {
    const context = new InvocationContext({ invocationId: randomUUID(), functionName: definition.name, logHandler: logHandler(options.logger) });
    try {
      await definition.handler(event as EventGridEvent, context);
    } catch (error) {
      options.logger.log('warn', 'host.event_failed', { function: definition.name, error: error instanceof Error ? error.message : String(error) });
      return { status: 500, jsonBody: { code: 'ERR_EVENT_FAILED', detail: 'the function failed; Event Grid would retry' } };
    }
  }
  return { status: 200 };
}
