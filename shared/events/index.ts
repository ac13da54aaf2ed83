export { parseEventDelivery } from './delivery.js';
export type { ParsedEvent } from './delivery.js';
export type { AcrImageEvent } from './acr-event.js';
export { EventError, EVENT_ERROR_CODES } from './errors.js';
export { ACR_IMAGE_PUSHED, ACR_IMAGE_DELETED, SUBSCRIPTION_VALIDATION_EVENT, EVENT_TYPE_HEADER } from './constants.js';
export { eventGridPublisher, noEventPublisher } from './publisher.js';
export type { EventPublisher, TrustgateEvent } from './publisher.js';
