import { AppError } from '../core/index.js';

/**
 * A delivery or event that cannot be understood. The Event Grid handler logs such a poison event once
 * and acknowledges it (retrying the same bytes cannot succeed).
 */
export class EventError extends AppError {}

export const EVENT_ERROR_CODES = {
  invalidEvent: 'ERR_INVALID_EVENT',
} as const;

export function invalidEvent(message: string, details?: Record<string, unknown>, cause?: unknown): EventError {
  return new EventError(EVENT_ERROR_CODES.invalidEvent, 'invalid-input', message, { details, cause });
}
