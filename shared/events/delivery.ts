import { EventGridDeserializer } from '@azure/eventgrid';
import { z } from 'zod';
import { acrImageEventDataSchema, toAcrImageEvent } from './acr-event.js';
import type { AcrImageEvent } from './acr-event.js';
import { invalidEvent } from './errors.js';
import type { EventError } from './errors.js';
import { ACR_IMAGE_DELETED, ACR_IMAGE_PUSHED, MAX_EVENTS_PER_DELIVERY, SUBSCRIPTION_VALIDATION_EVENT } from './constants.js';

/** One event of a delivery, classified. */
export type ParsedEvent =
  | { kind: 'image'; event: AcrImageEvent }
  /** Answer `{validationResponse: validationCode}` to complete the handshake (webhook endpoints only). */
  | { kind: 'subscriptionValidation'; id: string; validationCode: string; validationUrl?: string }
  /** A well-formed event of a type trustgate does not act on (ChartPushed, …). */
  | { kind: 'other'; id: string; type: string }
  /** A poison event: log once, do not retry. */
  | { kind: 'invalid'; id?: string; error: EventError };

const deserializer = new EventGridDeserializer();

const validationDataSchema = z.looseObject({ validationCode: z.string().min(1), validationUrl: z.string().optional() });

/**
 * Parses an Event Grid delivery body: a JSON array (or single object) of events in the Event Grid schema or
 * in CloudEvents 1.0 structured mode (an event with `specversion` is a CloudEvent), even mixed.
 * Each event is checked on its own, so one poison event does not hide the others; a body that is not a
 * delivery at all throws EventError ERR_INVALID_EVENT.
 * (https://learn.microsoft.com/azure/event-grid/event-schema, https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md)
 */
export async function parseEventDelivery(body: unknown): Promise<ParsedEvent[]> {
  let decoded = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    try {
      decoded = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
    } catch (error) {
      throw invalidEvent('event delivery body is not JSON', undefined, error);
    }
  }
  const items = Array.isArray(decoded) ? decoded : [decoded];
  if (items.length === 0) throw invalidEvent('event delivery holds no events');
  if (items.length > MAX_EVENTS_PER_DELIVERY) throw invalidEvent('event delivery holds too many events', { count: items.length });
  if (items.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
    throw invalidEvent('event delivery holds something other than event objects');
  }
  return Promise.all(items.map((item) => parseOne(item as Record<string, unknown>)));
}

async function parseOne(raw: Record<string, unknown>): Promise<ParsedEvent> {
  const rawId = typeof raw.id === 'string' ? raw.id : undefined;
  let event: EnvelopeFacts;
  try {
    event = await readEnvelope(raw);
  } catch (error) {
    return invalid(rawId, 'event envelope does not match the Event Grid or CloudEvents 1.0 schema', error);
  }
  const time = event.time instanceof Date && Number.isFinite(event.time.getTime()) ? event.time.toISOString() : undefined;

  if (event.type === SUBSCRIPTION_VALIDATION_EVENT) {
    const data = validationDataSchema.safeParse(event.data);
    if (!data.success) return invalid(event.id, 'subscription validation event has no validationCode', data.error);
    return { kind: 'subscriptionValidation', id: event.id, validationCode: data.data.validationCode, ...optional('validationUrl', data.data.validationUrl) };
  }
  const imageType = event.type === ACR_IMAGE_PUSHED ? 'ImagePushed' : event.type === ACR_IMAGE_DELETED ? 'ImageDeleted' : undefined;
  if (imageType === undefined) return { kind: 'other', id: event.id, type: event.type };

  const data = acrImageEventDataSchema.safeParse(event.data);
  if (!data.success) {
    return invalid(event.id, `${imageType} event data is malformed`, data.error, { issues: data.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
  }
  if (time === undefined && data.data.timestamp === undefined) return invalid(event.id, `${imageType} event has no time`);
  return { kind: 'image', event: toAcrImageEvent(event.id, imageType, data.data, time ?? '') };
}

interface EnvelopeFacts {
  id: string;
  type: string;
  time: Date | undefined;
  data: unknown;
}

/** Validates the envelope with the SDK's deserializer (required fields, types, event time → Date). */
async function readEnvelope(raw: Record<string, unknown>): Promise<EnvelopeFacts> {
  if ('specversion' in raw) {
    const [event] = await deserializer.deserializeCloudEvents(raw);
    if (event === undefined) throw new TypeError('no CloudEvent');
    return { id: event.id, type: event.type, time: event.time, data: event.data };
  }
  const [event] = await deserializer.deserializeEventGridEvents(raw);
  if (event === undefined) throw new TypeError('no Event Grid event');
  return { id: event.id, type: event.eventType, time: event.eventTime, data: event.data };
}

function invalid(id: string | undefined, message: string, cause?: unknown, details: Record<string, unknown> = {}): ParsedEvent {
  return { kind: 'invalid', ...optional('id', id), error: invalidEvent(message, { ...details, ...optional('eventId', id) }, cause) };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
