import { isAppError } from '../core/index.js';
import type { Reason } from '../verdict/index.js';

/** An error's message with its own code once, as a suffix: "registry answered 503 (ERR_REGISTRY_UNAVAILABLE)". */
export function describeError(error: unknown): string {
  if (isAppError(error)) return error.message.endsWith(`(${error.code})`) ? error.message : `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

/** A verdict reason for an error: the verdict's code, and the underlying code once (unless it is the same). */
export function reasonOf(error: unknown, code: string): Reason {
  if (isAppError(error) && error.code === code) return { code, message: error.message };
  return { code, message: describeError(error) };
}
