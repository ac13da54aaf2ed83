import { isAppError } from '../core/index.js';
import type { Reason } from '../verdict/index.js';

/** Evidence that could not be read because the registry could not be reached (not a verdict on the evidence). */
export interface Unreachable {
  unreachable: Reason;
}

/** Registry errors of kind `inconclusive` (timeouts, 5xx, connection, rate limits, aborts) mean "could not reach". */
export function isUnreachable(error: unknown): boolean {
  return isAppError(error) && error.kind === 'inconclusive';
}

export function isUnreachableResult(value: object): value is Unreachable {
  return 'unreachable' in value;
}
