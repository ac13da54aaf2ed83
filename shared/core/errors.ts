/**
 * One base error for the whole project. `code` is part of the public API (stable `ERR_*` strings);
 * `kind` says how a caller should treat it. Each module subclasses AppError once and owns its codes.
 */
export type ErrorKind = 'invalid-input' | 'verification-failed' | 'inconclusive' | 'config' | 'internal';

export interface AppErrorOptions {
  /** Optional. The underlying error. */
  cause?: unknown;
  /** Optional. Machine-readable facts for logs and problem details (never secrets). */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, kind: ErrorKind, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.kind = kind;
    this.details = options.details;
  }
}

/** Narrows unknown values to AppError (errors crossing module boundaries keep their code). */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Wraps anything thrown into an AppError without losing an existing code. */
export function toAppError(value: unknown, fallbackCode = 'ERR_INTERNAL'): AppError {
  if (isAppError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new AppError(fallbackCode, 'internal', message, { cause: value });
}
