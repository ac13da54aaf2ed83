import type { EventGridHandler, InvocationContext } from '@azure/functions';
import { getServices } from '../shared/config/index.js';
import { deadlineSignal, isAppError } from '../shared/core/index.js';
import type { PushHandler } from '../shared/verification/index.js';
import { gateTrigger } from './availability.js';
import { EVENT_DELIVERY_DEADLINE_MS } from './deadlines.js';
import { lazy, type FunctionDefinition } from './definition.js';

/** shared/events pulls in @azure/eventgrid (~130 ms): it loads with the first event, not when the app starts. */
const importEvents = () => import('../shared/events/index.js');
let events: ReturnType<typeof importEvents> | undefined;
const loadEvents = () => (events ??= importEvents());

export interface AcrEventsDeps {
  push: PushHandler;
  /** Optional. Overall deadline of one delivery. Default: EVENT_DELIVERY_DEADLINE_MS (120 s). */
  deadlineMs?: number;
}

/**
 * acrEvents — ACR ImagePushed / ImageDeleted (Event Grid schema or CloudEvents 1.0): verify and store.
 * A malformed (poison) event is logged once and dropped; an inconclusive verification throws so Event Grid retries.
 */
export function makeAcrEventsHandler(deps: AcrEventsDeps): EventGridHandler {
  return async (event: unknown, context: InvocationContext) => {
    const { parseEventDelivery } = await loadEvents();
    const signal = deadlineSignal(deps.deadlineMs ?? EVENT_DELIVERY_DEADLINE_MS);
    let delivery;
    try {
      delivery = await parseEventDelivery(event);
    } catch (error) {
      if (!isAppError(error) || error.kind !== 'invalid-input') throw error;
      context.warn('dropping a malformed delivery (not retried)', { code: error.code, message: error.message });
      return;
    }
    for (const parsed of delivery) {
      switch (parsed.kind) {
        case 'image': {
          try {
            const outcome = await deps.push.handle(parsed.event, signal);
            context.log('acr event handled', { id: parsed.event.id, type: parsed.event.type, outcome });
          } catch (error) {
            // Bad input stays bad on every retry: drop it with one line. Anything else (inconclusive) is retried.
            if (!isAppError(error) || error.kind !== 'invalid-input') throw error;
            context.warn('dropping an event that cannot be handled (not retried)', { id: parsed.event.id, code: error.code, message: error.message });
          }
          break;
        }
        case 'invalid':
          context.warn('dropping a malformed event (not retried)', { id: parsed.id, code: parsed.error.code, message: parsed.error.message });
          break;
        case 'subscriptionValidation':
        case 'other':
          context.log('ignoring event', { kind: parsed.kind, id: parsed.id });
          break;
      }
    }
  };
}

export const acrEventsFunction: FunctionDefinition = {
  kind: 'eventGrid',
  name: 'acrEvents',
  handler: gateTrigger('acrEvents', lazy(async () => makeAcrEventsHandler(await getServices()))) as EventGridHandler,
};

